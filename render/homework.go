package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Homework renders the homework due in a range, grouped by due date: a line per
// assignment with its subject and text. child is as for Day.
func Homework(p *locales.Printer, l diary.HomeworkList, child string) string {
	head := heading(iconHomework, p.T("render_homework_title"), child, dateRange(p, l.From, l.To))
	return listing(p, head, p.T("render_homework_none"), l.Homework, func(h diary.Homework) time.Time { return h.Due },
		func(h diary.Homework) []string { return []string{bullet + subjectItem(h.Subject, homeworkText(h))} })
}

// homeworkText is an assignment's title and text, whichever it has.
func homeworkText(h diary.Homework) string {
	title, body := field(h.Title), text(h.Text)
	switch {
	case title == "":
		return body
	case body == "" || title == field(h.Text):
		return title
	}
	return title + " — " + body
}
