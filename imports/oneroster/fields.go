package oneroster

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// fields reads the fields of one OneRoster record.
type fields struct{ *csvin.Row }

// enum maps the field, in any case, through values; unknown values are a problem.
// what names the kind of value in the message ("role", "org type").
func (f fields) enum(c csvin.Column, what string, values map[string]string) string {
	v := f.Required(c)
	if v == "" {
		return ""
	}
	mapped, ok := values[strings.ToLower(v)]
	if !ok {
		f.Fail(c, "unknown %s %q", what, v)
	}
	return mapped
}

// enumOf maps each value, lower-cased, to itself.
func enumOf(values ...string) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[strings.ToLower(v)] = v
	}
	return m
}

// date is the field as a date (nil when empty). A date-time is accepted where
// OneRoster allows one (withTime).
func (f fields) date(c csvin.Column, required, withTime bool) any {
	return csvin.Parsed(f.Row, c, required, func(s string) (time.Time, error) { return parseDate(s, withTime) })
}

// notBefore reports the date in column late when it is before the one in early.
func (f fields) notBefore(late csvin.Column, lateDate any, early csvin.Column, earlyDate any) {
	l, lok := lateDate.(time.Time)
	e, eok := earlyDate.(time.Time)
	if lok && eok && l.Before(e) {
		f.Fail(late, "%s is before %s %s", l.Format(time.DateOnly), early.Name, e.Format(time.DateOnly))
	}
}

// decimal is the field as a number from min to max (nil when empty).
func (f fields) decimal(c csvin.Column, required bool, min, max float64) any {
	return csvin.Parsed(f.Row, c, required, func(s string) (float64, error) {
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
			return 0, fmt.Errorf("not a number: %q", s)
		case n < min || n > max:
			return 0, fmt.Errorf("%s is out of range: expected %g to %g", s, min, max)
		}
		return n, nil
	})
}

// boolean is the field as true or false (empty: false).
func (f fields) boolean(c csvin.Column) bool {
	switch strings.ToLower(f.Text(c)) {
	case "true":
		return true
	case "false", "":
		return false
	default:
		f.Fail(c, "expected true or false, not %q", f.Text(c))
		return false
	}
}

// list splits a comma-separated field, dropping empty items.
func (f fields) list(c csvin.Column) []string {
	var items []string
	for item := range strings.SplitSeq(f.Text(c), ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// first is the first item of a comma-separated field, or "".
func (f fields) first(c csvin.Column) string {
	if l := f.list(c); len(l) > 0 {
		return l[0]
	}
	return ""
}

// Dates outside these years are typos (0026 for 2026), not school data.
const (
	minYear = 1900
	maxYear = 2999
)

// dateTimeLayouts are the ISO 8601 date-times OneRoster files carry.
var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"}

// parseDate reads a OneRoster date (YYYY-MM-DD) or, withTime, also a date-time such
// as 2026-11-27T23:59:00Z. The date is the one written: a due date is the day the
// teacher meant, whatever the offset.
func parseDate(s string, withTime bool) (time.Time, error) {
	if t, ok := plainDate(s); ok {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil && withTime && len(s) > len(time.DateOnly) {
		for _, layout := range dateTimeLayouts {
			if t, err = time.Parse(layout, s); err == nil {
				break
			}
		}
	}
	switch {
	case err != nil && withTime:
		return time.Time{}, fmt.Errorf("%q: expected a date as YYYY-MM-DD or an ISO 8601 date-time", s)
	case err != nil:
		return time.Time{}, fmt.Errorf("%q: expected a date as YYYY-MM-DD", s)
	case t.Year() < minYear || t.Year() > maxYear:
		return time.Time{}, fmt.Errorf("%q: the year is out of range", s)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

// plainDate reads the common case, a valid YYYY-MM-DD in range, without
// time.Parse: results.csv has three million dates. Anything else is left to
// parseDate.
func plainDate(s string) (time.Time, bool) {
	if len(s) != len(time.DateOnly) || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	n := func(from, to int) int {
		v := 0
		for _, c := range []byte(s[from:to]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := n(0, 4), n(5, 7), n(8, 10)
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d // the 31st of a month of 30 days rolls over
}
