package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// monthWords name months as people type them with a day: "3 декабря",
// "3 дек.", "dec 3", "3 December".
var monthWords = map[string]time.Month{
	"января": 1, "янв": 1, "январь": 1, "january": 1, "jan": 1,
	"февраля": 2, "фев": 2, "февр": 2, "февраль": 2, "february": 2, "feb": 2,
	"марта": 3, "мар": 3, "март": 3, "march": 3, "mar": 3,
	"апреля": 4, "апр": 4, "апрель": 4, "april": 4, "apr": 4,
	"мая": 5, "май": 5, "may": 5,
	"июня": 6, "июн": 6, "июнь": 6, "june": 6, "jun": 6,
	"июля": 7, "июл": 7, "июль": 7, "july": 7, "jul": 7,
	"августа": 8, "авг": 8, "август": 8, "august": 8, "aug": 8,
	"сентября": 9, "сен": 9, "сент": 9, "сентябрь": 9, "september": 9, "sep": 9, "sept": 9,
	"октября": 10, "окт": 10, "октябрь": 10, "october": 10, "oct": 10,
	"ноября": 11, "ноя": 11, "нояб": 11, "ноябрь": 11, "november": 11, "nov": 11,
	"декабря": 12, "дек": 12, "декабрь": 12, "december": 12, "dec": 12,
}

// fillerWords are left out: "завтра в 19:00", "on dec 3 at 6pm".
var fillerWords = map[string]bool{"в": true, "во": true, "at": true, "on": true}

// parseWhen reads a day and a time of day as people type them: "3 декабря
// 18:30", "03.12 18:30", "завтра в 19:00", "пт 18.30", "dec 3 6:30pm". The day
// is any that parseDay reads, or a day and a month by name; the time comes
// last, as 18:30, 18.30, 6pm or 6:30 pm. now gives today and the zone of the
// result.
func parseWhen(s string, now time.Time) (time.Time, bool) {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if !fillerWords[w] {
			words = append(words, w)
		}
	}
	n := len(words)
	if n < 2 {
		return time.Time{}, false
	}
	clockText := words[n-1]
	if (clockText == "am" || clockText == "pm") && n >= 3 {
		clockText = words[n-2] + clockText
		n--
	}
	hour, minute, ok := parseClock(clockText)
	if !ok {
		return time.Time{}, false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day, ok := parseMeetingDay(words[:n-1], today)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, now.Location()), true
}

// parseClock reads 18:30, 18.30, 9:05, 6pm, 6:30pm, 12am.
func parseClock(s string) (hour, minute int, ok bool) {
	half := ""
	if rest, found := strings.CutSuffix(s, "am"); found {
		s, half = rest, "am"
	} else if rest, found := strings.CutSuffix(s, "pm"); found {
		s, half = rest, "pm"
	}
	h, m, hasMinutes := strings.Cut(s, ":")
	if !hasMinutes {
		h, m, hasMinutes = strings.Cut(s, ".")
	}
	if !hasMinutes && half == "" { // a bare number is not a time: "18" could be a day
		return 0, 0, false
	}
	hour, ok = smallNumber(h, 1, 2)
	if !ok {
		return 0, 0, false
	}
	if hasMinutes {
		if minute, ok = smallNumber(m, 2, 2); !ok || minute > 59 {
			return 0, 0, false
		}
	}
	switch {
	case half == "" && hour <= 23:
	case half != "" && hour >= 1 && hour <= 12:
		hour %= 12
		if half == "pm" {
			hour += 12
		}
	default:
		return 0, 0, false
	}
	return hour, minute, true
}

// smallNumber reads a number of minDigits to maxDigits ASCII digits.
func smallNumber(s string, minDigits, maxDigits int) (int, bool) {
	if len(s) < minDigits || len(s) > maxDigits {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parseMeetingDay reads the day part of parseWhen: what parseDay reads, or a
// day and a month by name in either order, with an optional year after.
func parseMeetingDay(words []string, today time.Time) (time.Time, bool) {
	if len(words) == 0 {
		return time.Time{}, false
	}
	if d, ok := parseDay(strings.Join(words, " "), today); ok {
		return d, true
	}
	if len(words) > 3 {
		return time.Time{}, false
	}
	a, b := strings.TrimSuffix(words[0], "."), ""
	if len(words) > 1 {
		b = strings.TrimSuffix(words[1], ".")
	}
	month, ok := monthWords[b]
	dayText := a
	if !ok {
		month, ok = monthWords[a]
		dayText = b
	}
	if !ok {
		return time.Time{}, false
	}
	day, ok := smallNumber(strings.TrimRight(dayText, "stndrh"), 1, 2) // 3rd, 21st
	if !ok || day < 1 || day > 31 {
		return time.Time{}, false
	}
	var d time.Time
	if len(words) == 3 {
		year, ok := smallNumber(words[2], 4, 4)
		if !ok {
			return time.Time{}, false
		}
		d = time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	} else {
		d = nearestYear(today, month, day)
	}
	if d.Day() != day { // 31 ноября
		return time.Time{}, false
	}
	return d, true
}
