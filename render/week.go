package render

import (
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Week renders a schedule compactly, to fit one message: a day per block, a
// line per lesson with its start time, subject, room and change, and one line
// for a day without lessons. child is as for Day.
func Week(p *locales.Printer, s diary.Schedule, child string) string {
	var m message
	var span string
	if n := len(s.Days); n > 0 {
		span = dateRange(p, s.Days[0].Date, s.Days[n-1].Date)
	}
	m.add(heading(iconWeek, p.T("render_week_title"), child, span))
	for _, d := range s.Days {
		m.block()
		m.add(compactDay(p, d, p.Date(d.Date))...)
	}
	return m.String()
}

// compactDay is a day under a bold title: a line per lesson, or the title and
// why there are none on one line.
func compactDay(p *locales.Printer, d diary.Day, title string) []string {
	if len(d.Lessons) == 0 {
		return []string{bold(title) + " — " + noLessons(p, d.Date)}
	}
	lines := []string{bold(title)}
	for _, l := range d.Lessons {
		lines = append(lines, lessonLine(p, l, true))
	}
	return lines
}
