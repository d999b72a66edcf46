package bot

import (
	"testing"
	"time"
)

// whenNow is 10:00 on Thursday 26 November 2026 in Moscow.
var whenNow = time.Date(2026, 11, 26, 10, 0, 0, 0, mustZone("Europe/Moscow"))

func TestParseWhen(t *testing.T) {
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2026, month, day, hour, minute, 0, 0, whenNow.Location())
	}
	cases := map[string]time.Time{
		"3 декабря 18:30":       at(12, 3, 18, 30),
		"3 Декабря, 18.30":      at(12, 3, 18, 30),
		"03.12 18:30":           at(12, 3, 18, 30),
		"3.12.2026 18:30":       at(12, 3, 18, 30),
		"2026-12-03 18:30":      at(12, 3, 18, 30),
		"завтра 19:00":          at(11, 27, 19, 0),
		"завтра в 19:00":        at(11, 27, 19, 0),
		"пт 9:05":               at(11, 27, 9, 5),
		"3 дек. 18:30":          at(12, 3, 18, 30),
		"dec 3 6:30pm":          at(12, 3, 18, 30),
		"Dec 3rd at 6:30 PM":    at(12, 3, 18, 30),
		"3 December 18:30":      at(12, 3, 18, 30),
		"tomorrow 12am":         at(11, 27, 0, 0),
		"tomorrow 12pm":         at(11, 27, 12, 0),
		"on december 3 at 7pm":  at(12, 3, 19, 0),
		"10 января 18:00":       time.Date(2027, 1, 10, 18, 0, 0, 0, whenNow.Location()),
		"3 декабря 2027 18:30":  time.Date(2027, 12, 3, 18, 30, 0, 0, whenNow.Location()),
		"вчера 18:00":           at(11, 25, 18, 0), // read; refusing the past is the caller's
		"  30 ноября   08:00  ": at(11, 30, 8, 0),
	}
	for s, want := range cases {
		got, ok := parseWhen(s, whenNow)
		if !ok || !got.Equal(want) || got.Location() != whenNow.Location() {
			t.Errorf("parseWhen(%q) = %s, %v; want %s", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "завтра", "18:30", "3 декабря", "3 декабря 18", "3 декабря 24:00", "3 декабря 18:60",
		"31 ноября 18:00", "32.12 18:00", "3 дикабря 18:30", "завтра 13pm", "завтра 0am", "dec 3 6:3pm", "завтра 18:30:00",
		"3 декабря 26 18:30", "１８:３０ завтра", "завтра -1:30"} {
		if got, ok := parseWhen(s, whenNow); ok {
			t.Errorf("parseWhen(%q) = %s, want not understood", s, got)
		}
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"3 декабря 18:30", "03.12 18:30", "завтра в 19:00", "dec 3 6:30pm", "пт 9.05", "31.02 10:00",
		"3rd dec 12am", "2026-12-03 18:30", "at", "в в 1:1", "Dec 3 at 6:30 PM", ".:. pm", "9999-99-99 99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseWhen(s, whenNow)
		if !ok {
			return
		}
		if got.Location() != whenNow.Location() || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Fatalf("parseWhen(%q) = %s: not a minute in the school's zone", s, got)
		}
		if got.Year() < 0 || got.Year() > 9999 {
			t.Fatalf("parseWhen(%q) = %s: a year no one types", s, got)
		}
	})
}
