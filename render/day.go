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
	m.add(DayNotes(p, day)...)
	return m.String()
}

// DayNotes are what belongs to a day but to none of its lessons: homework,
// grades, whole-day marks and remarks, a line each.
func DayNotes(p *locales.Printer, day diary.Day) []string {
	var lines []string
	for _, h := range day.Homework {
		lines = append(lines, homeworkLine(h))
	}
	for _, g := range day.Grades {
		lines = append(lines, iconLine(iconGrade, subjectItem(g.Subject, gradeDetail(p, g))))
	}
	for _, a := range day.Attendance {
		lines = append(lines, markLine(p, a))
	}
	for _, r := range day.Remarks {
		lines = append(lines, remarkLine(r))
	}
	return lines
}

// homeworkLine is "📝 <b>Биология</b>: доклад о грибах".
func homeworkLine(h diary.Homework) string {
	return iconLine(iconHomework, subjectItem(h.Subject, homeworkText(h)))
}

// subjectItem is "<b>Биология</b>: доклад о грибах".
func subjectItem(subject, item string) string {
	return bold(field(subject)) + ": " + item
}
