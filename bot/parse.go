package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// maxCommandLength bounds what is read as a command: Telegram allows 32
// characters in a command name; anything longer is text.
const maxCommandLength = 32

// parseCommand splits "/homework@dnevnik_bot завтра" into "homework" and
// "завтра". A command addressed to another bot, or text that is not a command,
// is not ok.
func parseCommand(text, botUsername string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 { // "/today\nextra"
		head, args = head[:i], head[i+1:]+" "+args
	}
	head, mention, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(mention, botUsername) {
		return "", "", false
	}
	if head == "" || len(head) > maxCommandLength {
		return "", "", false
	}
	for _, c := range head {
		if !(c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')) {
			return "", "", false
		}
	}
	return strings.ToLower(head), strings.TrimSpace(args), true
}

// dayWords are the words for days relative to today, in both languages.
var dayWords = map[string]int{
	"сегодня": 0, "today": 0,
	"завтра": 1, "tomorrow": 1,
	"послезавтра": 2,
	"вчера":       -1, "yesterday": -1,
}

// weekdayWords name weekdays as people type them, short and long.
var weekdayWords = map[string]time.Weekday{
	"пн": time.Monday, "понедельник": time.Monday, "mon": time.Monday, "monday": time.Monday,
	"вт": time.Tuesday, "вторник": time.Tuesday, "tue": time.Tuesday, "tuesday": time.Tuesday,
	"ср": time.Wednesday, "среда": time.Wednesday, "среду": time.Wednesday, "wed": time.Wednesday, "wednesday": time.Wednesday,
	"чт": time.Thursday, "четверг": time.Thursday, "thu": time.Thursday, "thursday": time.Thursday,
	"пт": time.Friday, "пятница": time.Friday, "пятницу": time.Friday, "fri": time.Friday, "friday": time.Friday,
	"сб": time.Saturday, "суббота": time.Saturday, "субботу": time.Saturday, "sat": time.Saturday, "saturday": time.Saturday,
	"вс": time.Sunday, "воскресенье": time.Sunday, "sun": time.Sunday, "sunday": time.Sunday,
}

// parseDay reads a day as people type it, relative to today (the school's):
// завтра, вчера, пн…вс, tomorrow, mon, 28.11, 28.11.2026, 28/11, 2026-11-28.
// A weekday means the nearest one from today on; a date without a year, the one
// nearest to today.
func parseDay(s string, today time.Time) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "на ")))
	s = strings.TrimSuffix(s, ".")
	if n, ok := dayWords[s]; ok {
		return today.AddDate(0, 0, n), true
	}
	if wd, ok := weekdayWords[s]; ok {
		return today.AddDate(0, 0, (int(wd)-int(today.Weekday())+7)%7), true
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' })
	if len(parts) < 2 || len(parts) > 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 {
			return time.Time{}, false
		}
		n[i] = v
	}
	day, month := n[0], n[1]
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	var d time.Time
	switch {
	case len(parts) == 3 && len(parts[2]) == 4:
		d = time.Date(n[2], time.Month(month), day, 0, 0, 0, 0, time.UTC)
	case len(parts) == 3 && len(parts[2]) == 2:
		d = time.Date(2000+n[2], time.Month(month), day, 0, 0, 0, 0, time.UTC)
	case len(parts) == 3:
		return time.Time{}, false
	default:
		d = nearestYear(today, time.Month(month), day)
	}
	if d.Day() != day { // 31.02 rolled over into March
		return time.Time{}, false
	}
	return d, true
}

// nearestYear places a day and month in the year that puts it closest to today:
// in December, "10.01" is next January.
func nearestYear(today time.Time, month time.Month, day int) time.Time {
	best := time.Time{}
	for _, y := range []int{today.Year() - 1, today.Year(), today.Year() + 1} {
		d := time.Date(y, month, day, 0, 0, 0, 0, time.UTC)
		if best.IsZero() || absDays(d.Sub(today)) < absDays(best.Sub(today)) {
			best = d
		}
	}
	return best
}

func absDays(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
