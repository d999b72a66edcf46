package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// teacherText is a class teacher's views: the greeting with the classes (and
// with none), the week's signatures (some, and none), and a meeting with its
// answers.
func teacherText(p *locales.Printer) string {
	pupil := func(family, given string) diary.Person { return diary.Person{FamilyName: family, GivenName: given} }
	signatures := []diary.PupilSignatures{
		{Pupil: pupil("Алёшина", "Дарья"), Signed: 2, SignedAt: date("2026-11-21")},
		{Pupil: pupil("Ёлкин", "Пётр")},
		{Pupil: pupil("Борисов", "<Иван>"), Signed: 1, SignedAt: date("2026-11-22")},
	}
	meeting := diary.Meeting{Event: events().Events[0], School: diary.School{Location: moscow}, Families: []diary.MeetingFamily{
		{Pupil: pupil("Алёшина", "Дарья"), Yes: 2},
		{Pupil: pupil("Ёлкин", "Пётр"), No: 1, Unanswered: 1},
		{Pupil: pupil("Борисов", "Иван")},
	}}
	meeting.Answer = "" // the teacher who called it is not invited
	classes := []diary.TeacherClass{{Title: "7А", Homeroom: true}, {Title: "7Б <Алгебра>", Subject: "Алгебра"}}
	return strings.Join([]string{
		TeacherGreeting(p, pupil("Иванова", "Мария"), classes),
		TeacherClassList(p, nil),
		ClassSignatures(p, "7А", date("2026-11-16"), signatures),
		ClassSignatures(p, "7Б", date("2026-11-16"), nil),
		MeetingCard(p, meeting) + "\n\n" + MeetingAnswers(p, meeting.Families),
	}, "\n\n—\n\n")
}
