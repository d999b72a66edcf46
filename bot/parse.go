package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 { // "/today\nextra", or a space of several bytes
		_, width := utf8.DecodeRuneInString(head[i:])
		head, args = head[:i], head[i+width:]+" "+args
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
// завтра, вчера, пн…вс, tomorrow, mon, 28.11, 28.11.2026, 28/11, 2026-11-28,
// 3 декабря, 3 дек. 2026, dec 3. A weekday means the nearest one from today
// on; a date without a year, the one nearest to today.
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
		return d, d.Year() >= 2000 // as the other forms: no diary is older
	}
	if words := strings.Fields(s); len(words) > 1 {
		return namedMonthDay(words, today)
	}
	return numericDay(s, today)
}

// numericDay reads 28.11, 28/11, 28.11.2026 and 28.11.26.
func numericDay(s string, today time.Time) (time.Time, bool) {
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
	year := 0
	switch {
	case len(parts) == 3 && len(parts[2]) == 4:
		year = n[2]
	case len(parts) == 3 && len(parts[2]) == 2:
		year = 2000 + n[2]
	case len(parts) == 3:
		return time.Time{}, false
	}
	return calendarDay(today, n[0], time.Month(n[1]), year)
}

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

// namedMonthDay reads a day and a month by name in either order, with an
// optional year after: "3 декабря", "dec 3rd", "3 дек. 2026".
func namedMonthDay(words []string, today time.Time) (time.Time, bool) {
	if len(words) > 3 {
		return time.Time{}, false
	}
	a, b := strings.TrimSuffix(words[0], "."), strings.TrimSuffix(words[1], ".")
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
	if !ok {
		return time.Time{}, false
	}
	year := 0
	if len(words) == 3 {
		if year, ok = smallNumber(words[2], 4, 4); !ok {
			return time.Time{}, false
		}
	}
	return calendarDay(today, day, month, year)
}

// calendarDay is the date of a day of a month in year, or with year 0 in the
// year that puts it nearest today; false for a day the month lacks (31.02, 31
// ноября) or a year out of the diary's range.
func calendarDay(today time.Time, day int, month time.Month, year int) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 || year != 0 && (year < 2000 || year > 9999) {
		return time.Time{}, false
	}
	d := nearestYear(today, month, day)
	if year != 0 {
		d = time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	}
	return d, d.Day() == day
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

// typedWords splits what a person typed into lower-case words at spaces and
// commas, leaving out the words skip says say nothing ("в", "урок").
func typedWords(s string, skip map[string]bool) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if !skip[w] {
			words = append(words, w)
		}
	}
	return words
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
