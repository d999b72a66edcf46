package render

import (
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Day renders one day of a pupil's diary: the lessons in order, each with its
// changes, topic, homework due, grades and the pupil's mark, then what belongs
// to the day but to no lesson. child labels the pupil in the heading (see
// ChildLabel); pass "" when the account has one child.
func Day(p *locales.Printer, day diary.Day, child string) string {
	var m message
	m.add(heading(iconDay, p.Date(day.Date), child))
	m.block()
	if len(day.Lessons) == 0 {
		m.add(capitalize(noLessons(p, day.Date)))
	}
	for _, l := range day.Lessons {
		m.add(lessonLine(p, l, false))
		m.add(lessonDetails(p, l)...)
	}
	m.block()
	for _, h := range day.Homework {
		m.add(homeworkLine(h))
	}
	for _, g := range day.Grades {
		m.add(iconLine(iconGrade, subjectItem(g.Subject, gradeDetail(p, g))))
	}
	for _, a := range day.Attendance {
		m.add(markLine(p, a))
	}
	for _, r := range day.Remarks {
		m.add(remarkLine(r))
	}
	return m.String()
}

// homeworkLine is "📝 <b>Биология</b>: доклад о грибах".
func homeworkLine(h diary.Homework) string {
	return iconLine(iconHomework, subjectItem(h.Subject, homeworkText(h)))
}

// subjectItem is "<b>Биология</b>: доклад о грибах".
func subjectItem(subject, item string) string {
	return bold(field(subject)) + ": " + item
}
