package render

import (
	"html"
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// teacherLessons are a maths teacher's Thursday: a lesson held, one
// cancelled, one without bell times, and a class title to escape.
func teacherLessons() []diary.TeacherLesson {
	thursday := date("2026-11-26")
	lesson := func(period int, starts diary.Clock, title string, change *diary.LessonChange) diary.TeacherLesson {
		return diary.TeacherLesson{Lesson: diary.Lesson{Date: thursday, Period: period, Starts: starts, Ends: starts + 45,
			Class: diary.ClassID(period), Subject: "Математика", Change: change}, ClassTitle: title}
	}
	untimed := lesson(6, 0, "7Б <Алгебра>", nil)
	untimed.Ends = 0
	return []diary.TeacherLesson{
		lesson(1, 8*60+30, "7А Математика", nil),
		lesson(2, 9*60+25, "7Б Математика", &diary.LessonChange{Kind: diary.ChangeCancelled}),
		untimed,
	}
}

// roster is 7А's class list at the first lesson: a grade, a lateness with a
// remark, and a pupil with nothing.
func roster() diary.Roster {
	return diary.Roster{Lesson: teacherLessons()[0], Pupils: []diary.RosterPupil{
		{Person: diary.Person{FamilyName: "Алёшина", GivenName: "Дарья"}, Grade: 5},
		{Person: diary.Person{FamilyName: "Ёлкин", GivenName: "Пётр"}, Attendance: diary.Late, Remarks: 1},
		{Person: diary.Person{FamilyName: "Борисов", GivenName: "Иван"}},
	}}
}

// marksText is every /marks screen, with the buttons' labels (plain text,
// escaped here to stand in the HTML) under the lists.
func marksText(p *locales.Printer) string {
	r := roster()
	var buttons []string
	for _, pupil := range r.Pupils {
		buttons = append(buttons, "["+html.EscapeString(RosterButton(p, pupil))+"]")
	}
	var labels []string
	for _, l := range teacherLessons() {
		labels = append(labels, "["+html.EscapeString(LessonLabel(l, l.ClassTitle))+"]")
	}
	return strings.Join([]string{
		TeacherDay(p, date("2026-11-26"), teacherLessons()) + "\n" + strings.Join(labels, " "),
		TeacherDay(p, date("2026-11-29"), nil),
		Roster(p, r, nil) + "\n" + strings.Join(buttons, " "),
		Roster(p, r, &r.Pupils[1]),
		Roster(p, diary.Roster{Lesson: r.Lesson}, nil),
	}, "\n\n—\n\n")
}
