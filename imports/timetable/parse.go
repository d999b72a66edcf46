package timetable

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// weekdays are the ISO numbers (Monday is 1) of the ways a timetable names a day.
var weekdays = func() map[string]int {
	m := map[string]int{}
	for i, names := range [][]string{
		{"1", "пн", "понедельник", "mon", "monday"},
		{"2", "вт", "вторник", "tue", "tuesday"},
		{"3", "ср", "среда", "wed", "wednesday"},
		{"4", "чт", "четверг", "thu", "thursday"},
		{"5", "пт", "пятница", "fri", "friday"},
		{"6", "сб", "суббота", "sat", "saturday"},
		{"7", "вс", "воскресенье", "sun", "sunday"},
	} {
		for _, name := range names {
			m[name] = i + 1
		}
	}
	return m
}()

// parseWeekday reads a day as 1–7, пн…вс, mon…sun or a full name, in any case.
func parseWeekday(s string) (int, error) {
	if d, ok := weekdays[strings.ToLower(strings.TrimSuffix(s, "."))]; ok {
		return d, nil
	}
	return 0, fmt.Errorf("%q: expected a weekday as 1–7 (Monday is 1), пн…вс or mon…sun", s)
}

// parseClock reads a bell time, HH:MM or H:MM, as minutes after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hour, herr := digits(h, 1, 2)
	minute, merr := digits(m, 2, 2)
	if !ok || herr != nil || merr != nil || hour > 23 || minute > 59 {
		return 0, fmt.Errorf("%q: expected a time as HH:MM", s)
	}
	return hour*60 + minute, nil
}

// Periods are 0 (a lesson before the first) to 20, as the schema allows.
const maxPeriod = 20

// parsePeriod reads a lesson's number in the day.
func parsePeriod(s string) (int, error) {
	p, err := digits(s, 1, 2)
	if err != nil || p > maxPeriod {
		return 0, fmt.Errorf("%q: expected a period from 0 to %d", s, maxPeriod)
	}
	return p, nil
}

// digits reads a number of min to max decimal digits: no sign, no spaces.
func digits(s string, min, max int) (int, error) {
	if len(s) < min || len(s) > max || strings.Trim(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(s)
}

// Dates outside these years are typos, not timetables.
const (
	minYear = 1900
	maxYear = 2999
)

// parseDate reads YYYY-MM-DD or DD.MM.YYYY.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse("02.01.2006", s)
	}
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, fmt.Errorf("%q: expected a date as YYYY-MM-DD or DD.MM.YYYY", s)
	}
	return t, nil
}
