package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseCommand(t *testing.T) {
	cases := []struct {
		text, name, args string
		ok               bool
	}{
		{"/today", "today", "", true},
		{"/HomeWork завтра", "homework", "завтра", true},
		{"/homework@dnevnik_bot неделя", "homework", "неделя", true},
		{"/homework@Dnevnik_Bot", "homework", "", true},
		{"/homework@other_bot неделя", "", "", false},
		{"/start K7QM2XHP9TVA", "start", "K7QM2XHP9TVA", true},
		{"/grades   математика  ", "grades", "математика", true},
		{"/today\nи ещё", "today", "и ещё", true},
		{"today", "", "", false},
		{"/", "", "", false},
		{"/сегодня", "", "", false},
		{"/" + strings.Repeat("a", 33), "", "", false},
		{"/a-b", "", "", false},
	}
	for _, c := range cases {
		name, args, ok := parseCommand(c.text, "dnevnik_bot")
		if name != c.name || args != c.args || ok != c.ok {
			t.Errorf("parseCommand(%q) = %q, %q, %v; want %q, %q, %v", c.text, name, args, ok, c.name, c.args, c.ok)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/today", "/homework@dnevnik_bot неделя", "/start K7QM", "/@", "/\n", "/a@b@c d", "\x00/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		name, args, ok := parseCommand(text, "dnevnik_bot")
		if !ok {
			return
		}
		if name == "" || len(name) > maxCommandLength || name != strings.ToLower(name) {
			t.Fatalf("parseCommand(%q) name %q", text, name)
		}
		if !utf8.ValidString(args) && utf8.ValidString(text) {
			t.Fatalf("parseCommand(%q) broke the arguments: %q", text, args)
		}
	})
}

func TestParseDay(t *testing.T) {
	friday := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := map[string]time.Time{
		"сегодня":     friday,
		"Завтра":      day("2026-11-28"),
		"tomorrow":    day("2026-11-28"),
		"вчера":       day("2026-11-26"),
		"послезавтра": day("2026-11-29"),
		"пн":          day("2026-11-30"),
		"на пн":       day("2026-11-30"),
		"понедельник": day("2026-11-30"),
		"Mon":         day("2026-11-30"),
		"пт":          friday,
		"пт.":         friday,
		"чт":          day("2026-12-03"),
		"28.11":       day("2026-11-28"),
		"28/11":       day("2026-11-28"),
		"1.9":         day("2026-09-01"),
		"10.01":       day("2027-01-10"), // nearest: next January
		"28.11.2026":  day("2026-11-28"),
		"28.11.26":    day("2026-11-28"),
		"2026-11-28":  day("2026-11-28"),
		"29.02.2028":  day("2028-02-29"),
		"3 декабря":   day("2026-12-03"),
		"на 3 дек.":   day("2026-12-03"),
		"Dec 3rd":     day("2026-12-03"),
		"10 января":   day("2027-01-10"),
		"1 мая 2027":  day("2027-05-01"),
	}
	for typed, want := range cases {
		got, ok := parseDay(typed, friday)
		if !ok || !got.Equal(want) {
			t.Errorf("parseDay(%q) = %v, %v; want %v", typed, got.Format(time.DateOnly), ok, want.Format(time.DateOnly))
		}
	}
	for _, bad := range []string{"", "привет", "32.11", "31.02", "29.02.2027", "28.13", "28.11.202", "1.2.3.4", "2026-13-01", "week", "00.00", "-1.11", "31 ноября", "3 декабря 1999", "28.11.1999", "3 дек 2026 года"} {
		if got, ok := parseDay(bad, friday); ok {
			t.Errorf("parseDay(%q) = %v, want no date", bad, got)
		}
	}
}

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"завтра", "пн", "28.11", "28.11.2026", "2026-11-28", "31.02", "99999.1", "1.1.99999", "..", "на "} {
		f.Add(s)
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, typed string) {
		d, ok := parseDay(typed, today)
		if !ok {
			return
		}
		if d.Hour() != 0 || d.Location() != time.UTC {
			t.Fatalf("parseDay(%q) = %v: not a date value", typed, d)
		}
		if d.Year() < 2000 || d.Year() > 9999 {
			t.Fatalf("parseDay(%q) = %v: out of range", typed, d)
		}
	})
}
