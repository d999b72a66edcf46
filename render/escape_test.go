package render

import (
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// hostile is data written to break markup: tags, ampersands, quotes and line
// breaks where a tag is open.
const hostile = "<script>alert(\"x\")</script> & 'Tom' </b>\r\n<b>"

func TestDataIsEscaped(t *testing.T) {
	person := &diary.Person{FamilyName: hostile, GivenName: hostile, MiddleName: "O'Brien"}
	hw := diary.Homework{Subject: hostile, Title: hostile, Text: hostile, Due: date("2026-11-27"), Assigned: date("2026-11-26")}
	g := diary.Grade{Subject: hostile, Date: date("2026-11-27"), Score: 5, Weight: 1, Work: hostile, Comment: hostile, Session: hostile}
	mark := diary.AttendanceMark{Date: date("2026-11-27"), Period: 1, Subject: hostile, Status: "absent", Reason: hostile}
	remark := diary.Remark{Date: date("2026-11-27"), Kind: hostile, Text: hostile, Subject: hostile, Author: person}
	l := diary.Lesson{Date: date("2026-11-27"), Period: 1, Starts: 510, Ends: 555, Subject: hostile, Teacher: person, Room: hostile,
		Topic: hostile, Homework: []diary.Homework{hw}, Grades: []diary.Grade{g}, Attendance: &mark,
		Change: &diary.LessonChange{Kind: diary.ChangeSubstitute, Substitute: person, Room: hostile, Note: hostile}}
	cancelled := l
	cancelled.Change = &diary.LessonChange{Kind: diary.ChangeCancelled, Note: hostile}
	day := diary.Day{Date: date("2026-11-27"), Lessons: []diary.Lesson{l, cancelled}, Homework: []diary.Homework{hw},
		Grades: []diary.Grade{g}, Attendance: []diary.AttendanceMark{mark}, Remarks: []diary.Remark{remark}}
	event := diary.Event{Kind: hostile, Title: hostile, Agenda: hostile, Place: hostile, Class: hostile, Answer: hostile,
		Starts: time.Date(2026, 12, 3, 18, 30, 0, 0, moscow)}
	cancelledEvent := event
	cancelledEvent.Cancelled = true
	subject := diary.SubjectGrades{Subject: hostile, Grades: []diary.Grade{g}, Average: 5, Final: []diary.Grade{g}}

	renderings := func(p *locales.Printer) map[string]string {
		return map[string]string{
			"day":        Day(p, day, hostile),
			"week":       Week(p, diary.Schedule{Days: []diary.Day{day}}, hostile),
			"homework":   Homework(p, diary.HomeworkList{Homework: []diary.Homework{hw}}, hostile),
			"grades":     Grades(p, diary.GradeReport{Period: &diary.Session{Title: hostile}, Subjects: []diary.SubjectGrades{subject}}, hostile),
			"subject":    SubjectGrades(p, diary.SubjectTerm{Term: diary.Session{Title: hostile}, Grades: subject}, hostile),
			"chart":      ChartCaption(p, diary.SubjectTerm{Term: diary.Session{Title: hostile}, Grades: subject}, hostile),
			"attendance": Attendance(p, diary.AttendanceReport{Marks: []diary.AttendanceMark{mark}, AbsentLessons: 1}, hostile),
			"remarks":    Remarks(p, diary.RemarkList{Remarks: []diary.Remark{remark}}, hostile),
			"events":     Events(p, diary.EventList{Events: []diary.Event{event, cancelledEvent}}, moscow, hostile),
			"missed": Missed(p, diary.MissedReport{Lessons: []diary.MissedLesson{
				{Date: date("2026-11-27"), Period: 1, Subject: hostile, Topic: hostile, Homework: []diary.Homework{hw}}}}, hostile),
			"digest": digestText(p, diary.Digest{Children: []diary.ChildDigest{
				{Pupil: *person, Class: hostile, School: diary.School{Location: moscow}, Today: date("2026-11-27"), Ahead: day,
					Grades: []diary.Grade{g}, Absences: []diary.AttendanceMark{mark}, Remarks: []diary.Remark{remark},
					Events: []diary.Event{event, cancelledEvent}},
				{Pupil: *person, Class: hostile, Ahead: day, Empty: true}}}),
			"weekly": weeklyText(p, diary.WeeklySummary{Children: []diary.ChildWeek{{Pupil: *person, Class: hostile, CanSign: true,
				Subjects: []diary.WeekSubject{{SubjectGrades: subject, PreviousAverage: 4}}}, {Pupil: *person, Class: hostile}}}),
		}
	}
	for _, lang := range locales.Languages {
		for name, out := range renderings(locales.For(lang)) {
			t.Run(name+"."+lang, func(t *testing.T) {
				checkMarkup(t, out)
				for _, raw := range []string{"<script>", "& '", "\"x\"", "'Tom'"} {
					if strings.Contains(out, raw) {
						t.Errorf("%q is not escaped in:\n%s", raw, out)
					}
				}
				if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Tom&#39;") {
					t.Errorf("escaped data missing from:\n%s", out)
				}
			})
		}
	}
}
