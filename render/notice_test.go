package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// notices are one notice of each kind and action, as the worker loads them.
func notices() []diary.Notice {
	school := diary.School{ID: 1, Name: "Школа №1", Location: moscow, GradeMin: 1, GradeMax: 5}
	base := func(kind diary.NoticeKind, action diary.NoticeAction) diary.Notice {
		return diary.Notice{ID: 1, Kind: kind, Action: action, School: school, Class: math, ClassTitle: "7А Математика"}
	}
	grade := base(diary.NoticeGrade, diary.ActionNew)
	grade.Pupil, grade.Grade = darya, &diary.Grade{ID: 9, Class: math, Subject: "Математика", Date: date("2026-11-27"), Score: 5,
		Weight: 1, Comment: "Отличная работа", Kind: diary.GradeCurrent}
	changed := grade
	changed.Action = diary.ActionChanged
	was := changed // with the score before the change recorded
	three := 3.0
	was.OldScore = &three
	mark := base(diary.NoticeAttendance, diary.ActionNew)
	mark.Pupil, mark.Mark = darya, &diary.AttendanceMark{Date: date("2026-11-27"), Period: 2, Subject: "Математика", Status: "late"}
	remark := base(diary.NoticeRemark, diary.ActionNew)
	remark.Pupil, remark.Remark = darya, &remarks()[0]
	hw := base(diary.NoticeHomework, diary.ActionNew)
	hw.Homework = &mathHomework
	hwChanged := hw
	hwChanged.Action = diary.ActionChanged
	change := base(diary.NoticeSchedule, diary.ActionNew)
	l := lesson("2026-11-28", 3, physics, "Физика", volkova, "312")
	l.Change = &diary.LessonChange{Kind: diary.ChangeSubstitute, Substitute: kuznetsov, Note: "Лабораторная переносится"}
	l.Teacher = kuznetsov
	change.Lesson = &l
	cancelled := base(diary.NoticeSchedule, diary.ActionNew)
	lc := lesson("2026-11-28", 4, history, "История", orlova, "207")
	lc.Change = &diary.LessonChange{Kind: diary.ChangeCancelled}
	cancelled.Lesson = &lc
	var out []diary.Notice
	out = append(out, grade, changed, was, mark, remark, hw, hwChanged, change, cancelled)
	for _, a := range []diary.NoticeAction{diary.ActionNew, diary.ActionChanged, diary.ActionCancelled} {
		m := base(diary.NoticeMeeting, a)
		m.ClassTitle = "7А"
		e := events().Events[0]
		e.Answer = ""
		e.Cancelled = a == diary.ActionCancelled
		m.Event = &e
		out = append(out, m)
	}
	for _, urgent := range []bool{false, true} {
		a := base(diary.NoticeAnnouncement, diary.ActionNew)
		a.ClassTitle, a.Urgent, a.Author = "7А", urgent, ivanova
		a.Body = "Завтра экскурсия в музей.\nСбор в 8:30 у школы, с собой <сменная обувь>."
		out = append(out, a)
	}
	return out
}

// noticesText renders every notice, the pupil ones for the family, then the
// reminder and the author's report at each stage.
func noticesText(p *locales.Printer) string {
	var parts []string
	for _, n := range notices() {
		label := ""
		if n.Pupil.ID != 0 {
			label = ChildName(n.Pupil)
		}
		parts = append(parts, Notice(p, n, label))
	}
	e := events().Events[0]
	parts = append(parts, Reminder(p, e, moscow))
	announcement := notices()[len(notices())-1]
	for _, st := range []struct {
		fannedOut bool
		progress  diary.NoticeProgress
	}{{false, diary.NoticeProgress{}}, {true, diary.NoticeProgress{Delivered: 23, Total: 25}}, {true, diary.NoticeProgress{Delivered: 24, Failed: 1, Total: 25}}} {
		announcement.FannedOut = st.fannedOut
		parts = append(parts, NoticeReport(p, announcement, st.progress))
	}
	for _, role := range []diary.Role{diary.RoleGuardian, diary.RoleTeacher} {
		parts = append(parts, LinkRevoked(p, diary.EndedLink{Role: role, Person: diary.Person{FamilyName: "Ёлкин", GivenName: "Пётр"}}))
	}
	return strings.Join(parts, "\n\n—\n\n")
}
