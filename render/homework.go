package render

import (
	"html"
	"strings"
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

// homeworkText is HomeworkText escaped.
func homeworkText(h diary.Homework) string { return html.EscapeString(HomeworkText(h)) }

// HomeworkText is an assignment's title and text as plain text, one of them
// when the other is empty or the same: the chat escapes it (homeworkText), the
// printed week prints it as it is.
func HomeworkText(h diary.Homework) string {
	title := strings.Join(strings.Fields(h.Title), " ")
	body := strings.TrimSpace(strings.ReplaceAll(h.Text, "\r\n", "\n"))
	switch {
	case title == "":
		return body
	case body == "" || title == strings.Join(strings.Fields(h.Text), " "):
		return title
	}
	return title + " — " + body
}
