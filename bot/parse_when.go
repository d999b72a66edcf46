package bot

import (
	"strings"
	"time"
)

// fillerWords are left out: "завтра в 19:00", "on dec 3 at 6pm".
var fillerWords = map[string]bool{"в": true, "во": true, "at": true, "on": true}

// parseWhen reads a day and a time of day as people type them: "3 декабря
// 18:30", "03.12 18:30", "завтра в 19:00", "пт 18.30", "dec 3 6:30pm". The day
// is any that parseDay reads; the time comes last, as 18:30, 18.30, 6pm or
// 6:30 pm. now gives today and the zone of the
// result.
func parseWhen(s string, now time.Time) (time.Time, bool) {
	words := typedWords(s, fillerWords)
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
	day, ok := parseDay(strings.Join(words[:n-1], " "), today)
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
