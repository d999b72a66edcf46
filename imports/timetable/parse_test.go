package timetable

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in      string
		parse   func(string) (any, error)
		want    any // nil for an error
		message string
	}{
		{"1", weekday, 1, ""}, {"7", weekday, 7, ""}, {"пн", weekday, 1, ""}, {"ВС", weekday, 7, ""},
		{"Четверг", weekday, 4, ""}, {"пт.", weekday, 5, ""}, {"Mon", weekday, 1, ""}, {"SUNDAY", weekday, 7, ""},
		{"0", weekday, nil, "expected a weekday"}, {"8", weekday, nil, ""}, {"пнд", weekday, nil, ""}, {"", weekday, nil, ""},
		{"08:30", clockOf, 510, ""}, {"8:30", clockOf, 510, ""}, {"23:59", clockOf, 1439, ""}, {"00:00", clockOf, 0, ""},
		{"24:00", clockOf, nil, "expected a time as HH:MM"}, {"08:60", clockOf, nil, ""}, {"8.30", clockOf, nil, ""},
		{"08:3", clockOf, nil, ""}, {"+8:30", clockOf, nil, ""}, {"08:30:00", clockOf, nil, ""},
		{"2026-09-01", date, "2026-09-01", ""}, {"01.09.2026", date, "2026-09-01", ""},
		{"2026-09-31", date, nil, "expected a date as YYYY-MM-DD or DD.MM.YYYY"}, {"1.9.2026", date, nil, ""}, {"0026-09-01", date, nil, ""},
		{"0", periodOf, 0, ""}, {"20", periodOf, 20, ""}, {"21", periodOf, nil, "expected a period"}, {"-1", periodOf, nil, ""},
	} {
		got, err := c.parse(c.in)
		switch {
		case c.want == nil && err == nil:
			t.Errorf("%q: %v, want an error", c.in, got)
		case c.want == nil && !strings.Contains(err.Error(), c.message):
			t.Errorf("%q: error %v, want it to say %q", c.in, err, c.message)
		case c.want != nil && (err != nil || got != c.want):
			t.Errorf("%q: %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func weekday(s string) (any, error)  { return parseWeekday(s) }
func clockOf(s string) (any, error)  { return parseClock(s) }
func periodOf(s string) (any, error) { return parsePeriod(s) }
func date(s string) (any, error) {
	d, err := parseDate(s)
	return d.Format(time.DateOnly), err
}

// FuzzParseRow feeds the field parsers of a timetable row: whatever they accept
// is in range and reads back as what was written.
func FuzzParseRow(f *testing.F) {
	f.Add("пн", "08:30", "3", "2026-09-01")
	f.Add("Воскресенье", "8:05", "20", "31.12.2999")
	f.Add("7", "23:59", "0", "29.02.2024")
	f.Add("0", "24:00", "21", "29.02.2026")
	f.Add("ПН.", "٠٨:٣٠", "+1", "2026-9-1")
	f.Add("mon\x00", " 8:30", "01", "01.09.2026 ")
	f.Add("сб", "0:00", "1", "2026-09-05") // midnight: the check once read it as a bug
	f.Fuzz(func(t *testing.T, day, clock, period, date string) {
		if d, err := parseWeekday(day); err == nil && (d < 1 || d > 7) {
			t.Fatalf("parseWeekday(%q) = %d", day, d)
		}
		if m, err := parseClock(clock); err == nil {
			if m < 0 || m >= 24*60 {
				t.Fatalf("parseClock(%q) = %d minutes", clock, m)
			}
			if back := fmt.Sprintf("%d:%02d", m/60, m%60); clock != back && clock != "0"+back {
				t.Fatalf("parseClock(%q) = %s", clock, back)
			}
		}
		if p, err := parsePeriod(period); err == nil && (p < 0 || p > maxPeriod) {
			t.Fatalf("parsePeriod(%q) = %d", period, p)
		}
		if d, err := parseDate(date); err == nil {
			if date != d.Format(time.DateOnly) && date != d.Format("02.01.2006") {
				t.Fatalf("parseDate(%q) = %s", date, d.Format(time.DateOnly))
			}
		}
	})
}
