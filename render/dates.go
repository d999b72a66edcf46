package render

import (
	"time"

	"github.com/dnevnik/dnevnik/locales"
)

// dateRange is "пн, 23 ноября – вс, 29 ноября"; one date when both are the same
// day, nothing when the view does not say.
func dateRange(p *locales.Printer, from, to time.Time) string {
	switch {
	case from.IsZero() || to.IsZero():
		return ""
	case from.Equal(to):
		return p.Date(from)
	}
	return p.T("render_range", "From", p.Date(from), "To", p.Date(to))
}

// listing is the text of a view that lists items by date: its heading, then
// the items under their dates, or the sentence none when there are none.
func listing[T any](p *locales.Printer, head, none string, items []T, date func(T) time.Time, lines func(T) []string) string {
	var m message
	m.add(head)
	if len(items) == 0 {
		m.block()
		m.add(none)
	}
	byDate(&m, p, items, date, lines)
	return m.String()
}

// byDate writes items under a bold date line per day, a blank line before each.
// Views list their items in date order, so a day's items are consecutive.
func byDate[T any](m *message, p *locales.Printer, items []T, date func(T) time.Time, lines func(T) []string) {
	var current time.Time
	for i, item := range items {
		if d := date(item); i == 0 || !d.Equal(current) {
			m.block()
			m.add(bold(p.Date(d)))
			current = d
		}
		m.add(lines(item)...)
	}
}

// noLessons is what a day without lessons is called: a day off at the weekend,
// a day without lessons otherwise (a holiday, a day of exams).
func noLessons(p *locales.Printer, day time.Time) string {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return p.T("render_day_off")
	}
	return p.T("render_no_lessons")
}
