package render

import (
	"fmt"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Missed renders the lessons a pupil missed, by date, with what to catch up on:
// the topic and the homework set there. child is as for Day.
func Missed(p *locales.Printer, r diary.MissedReport, child string) string {
	var count string
	if n := len(r.Lessons); n > 0 {
		count = p.N("render_lessons_count", n)
	}
	head := heading(iconMissed, p.T("render_missed_title"), child, count, dateRange(p, r.From, r.To))
	return listing(p, head, p.T("render_missed_none"), r.Lessons, func(l diary.MissedLesson) time.Time { return l.Date },
		func(l diary.MissedLesson) []string { return missedLines(p, l) })
}

// missedLines are a missed lesson and what to catch up on.
func missedLines(p *locales.Printer, l diary.MissedLesson) []string {
	lines := []string{fmt.Sprintf("%d. %s", l.Period, bold(field(l.Subject)))}
	if l.Topic != "" {
		lines = append(lines, indent+topicLine(p, l.Topic))
	}
	for _, h := range l.Homework {
		lines = append(lines, indent+iconLine(iconHomework, p.T("render_homework_due", "Date", p.Date(h.Due), "Text", homeworkText(h))))
	}
	return lines
}
