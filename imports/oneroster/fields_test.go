package oneroster

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in       string
		withTime bool
		want     string // "" for an error
	}{
		{"2026-11-27", false, "2026-11-27"},
		{"2026-11-27", true, "2026-11-27"},
		{"2026-11-27T23:59:00Z", true, "2026-11-27"},
		{"2026-11-27T01:00:00+03:00", true, "2026-11-27"},
		{"2026-11-27T09:25:00.000Z", true, "2026-11-27"},
		{"2026-11-27T09:25:00", true, "2026-11-27"},
		{"2017-05-06 08:01:05", true, "2017-05-06"},
		{"2026-11-27T23:59:00Z", false, ""},
		{"2026-11-31", false, ""},
		{"27.11.2026", false, ""},
		{"0026-11-27", false, ""},
		{"2026-1-7", false, ""},
		{"", true, ""},
	} {
		got, err := parseDate(c.in, c.withTime)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("parseDate(%q, %v) = %v, want an error", c.in, c.withTime, got)
		case c.want != "" && (err != nil || got.Format(time.DateOnly) != c.want):
			t.Errorf("parseDate(%q, %v) = %v, %v; want %s", c.in, c.withTime, got, err, c.want)
		}
	}
}

// FuzzParseDate checks that a date read is the date written at the start of the
// value, at midnight UTC, and that a rejected value says what it expected.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-27", "2026-11-27T23:59:00Z", "2026-11-27T23:59:00-12:00",
		"2024-02-29", "2026-02-29", "2026-11-27T24:00:00Z", "1899-12-31", "2999-12-31T23:59:59.999999999+14:00",
		"2026-11-27 08:01:05", "2026-11-27T", "+2026-11-27", "2026-11-27\x00"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, withTime bool) {
		d, err := parseDate(s, withTime)
		if err != nil {
			if !strings.Contains(err.Error(), "expected a date as YYYY-MM-DD") && !strings.Contains(err.Error(), "year is out of range") {
				t.Fatalf("parseDate(%q): unhelpful error %v", s, err)
			}
			return
		}
		if !strings.HasPrefix(s, d.Format(time.DateOnly)) {
			t.Fatalf("parseDate(%q) = %s: not the date written", s, d.Format(time.DateOnly))
		}
		if d.Location() != time.UTC || d.Hour()+d.Minute()+d.Second()+d.Nanosecond() != 0 {
			t.Fatalf("parseDate(%q) = %v: not midnight UTC", s, d)
		}
		if !withTime && len(s) != len(time.DateOnly) {
			t.Fatalf("parseDate(%q) accepted a date-time where only a date is allowed", s)
		}
		if p, ok := plainDate(s); ok {
			if std, err := time.Parse(time.DateOnly, s); err != nil || !p.Equal(std) {
				t.Fatalf("plainDate(%q) = %v, time.Parse = %v, %v", s, p, std, err)
			}
		}
	})
}
