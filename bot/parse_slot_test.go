package bot

import (
	"testing"
	"time"
)

func TestParseSlot(t *testing.T) {
	friday := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	type slot struct {
		day    string
		period int
	}
	cases := map[string]slot{
		"пт 3":          {"2026-11-27", 3},
		"28.11, 5":      {"2026-11-28", 5},
		"завтра 2 урок": {"2026-11-28", 2},
		"на пн 3-й":     {"2026-11-30", 3},
		"Mon period 4":  {"2026-11-30", 4},
		"1.12 урок 6":   {"2026-12-01", 6},
	}
	for typed, want := range cases {
		d, p, ok := parseSlot(typed, friday)
		if !ok || d.Format(time.DateOnly) != want.day || p != want.period {
			t.Errorf("parseSlot(%q) = %s, %d, %v; want %+v", typed, d.Format(time.DateOnly), p, ok, want)
		}
	}
	for _, bad := range []string{"", "пт", "3", "пт 0", "пт 100", "пт три", "привет 3", "пт 003", "урок 3"} {
		if d, p, ok := parseSlot(bad, friday); ok {
			t.Errorf("parseSlot(%q) = %v, %d; want no slot", bad, d, p)
		}
	}
}

func FuzzParseSlot(f *testing.F) {
	for _, s := range []string{"пт 3", "28.11, 5", "завтра 2 урок", "на пн 3-й", "Mon period 4", "пт 21", "31.02 1", ", ,", "й"} {
		f.Add(s)
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, typed string) {
		d, p, ok := parseSlot(typed, today)
		if !ok {
			return
		}
		if p < 1 || p > 99 { // two digits; the diary refuses a period past the day's last
			t.Fatalf("parseSlot(%q): period %d", typed, p)
		}
		if d.Hour() != 0 || d.Location() != time.UTC || d.Year() < 2000 {
			t.Fatalf("parseSlot(%q) = %v: not a date value", typed, d)
		}
	})
}
