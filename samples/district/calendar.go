package district

import (
	"strconv"
	"time"
)

// calendar is one school year: its terms and the days lessons are held on.
type calendar struct {
	yearID     string // the school year's academicSession sourcedId
	yearTitle  string
	endingYear int // OneRoster's schoolYear: the calendar year the school year ends in
	start, end string
	terms      [4]term
	days       []schoolDay // every lesson day of the year, in order
}

type term struct {
	id, title  string
	start, end string
}

type schoolDay struct {
	date    string // YYYY-MM-DD
	weekday int    // ISO: 1 is Monday
	term    int    // index into calendar.terms
}

// termBounds are the four quarters (четверти) as month and day; the first two fall
// in the year the school year starts, the last two in the next.
var termBounds = [4]struct{ fromMonth, fromDay, toMonth, toDay int }{
	{9, 1, 10, 25},
	{11, 5, 12, 28},
	{1, 12, 3, 21},
	{4, 1, 5, 31},
}

// holidays are the public holidays that fall inside terms, as month and day.
var holidays = [][2]int{{2, 23}, {3, 8}, {5, 1}, {5, 9}}

// weekdays is how many days of the week have lessons: Monday to Friday.
const weekdays = 5

// periods is the most lessons a day can hold.
const periods = 7

// bells are the start and end of each period.
var bells = [periods][2]string{
	{"08:30", "09:15"},
	{"09:25", "10:10"},
	{"10:30", "11:15"},
	{"11:35", "12:20"},
	{"12:30", "13:15"},
	{"13:25", "14:10"},
	{"14:20", "15:05"},
}

// newCalendar lays out the school year that starts in September of startYear.
func newCalendar(startYear int) *calendar {
	c := &calendar{
		yearID:     "y" + strconv.Itoa(startYear),
		yearTitle:  strconv.Itoa(startYear) + "/" + strconv.Itoa(startYear+1) + " учебный год",
		endingYear: startYear + 1,
	}
	for i, b := range termBounds {
		year := startYear
		if b.fromMonth < 9 {
			year++
		}
		from := time.Date(year, time.Month(b.fromMonth), b.fromDay, 0, 0, 0, 0, time.UTC)
		to := time.Date(year, time.Month(b.toMonth), b.toDay, 0, 0, 0, 0, time.UTC)
		c.terms[i] = term{
			id:    c.yearID + "-t" + strconv.Itoa(i+1),
			title: strconv.Itoa(i+1) + " четверть",
			start: from.Format(time.DateOnly),
			end:   to.Format(time.DateOnly),
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			wd := isoWeekday(d)
			if wd <= weekdays && !isHoliday(d) {
				c.days = append(c.days, schoolDay{date: d.Format(time.DateOnly), weekday: wd, term: i})
			}
		}
	}
	c.start, c.end = c.terms[0].start, c.terms[len(c.terms)-1].end
	return c
}

func isoWeekday(d time.Time) int {
	if d.Weekday() == time.Sunday {
		return 7
	}
	return int(d.Weekday())
}

func isHoliday(d time.Time) bool {
	for _, h := range holidays {
		if int(d.Month()) == h[0] && d.Day() == h[1] {
			return true
		}
	}
	return false
}
