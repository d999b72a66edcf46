package diary_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// atLesson is the teacher account's access to a lesson, as a request checks it.
func (f *fixture) atLesson(a diary.AccountID, ref diary.LessonRef) diary.LessonAccess {
	access, err := f.store.LessonAccess(context.Background(), a, ref)
	return mustAccess(f.t, access, err)
}

// meetingAccess is the teacher account's access to a meeting, as a request
// checks it.
func (f *fixture) meetingAccess(a diary.AccountID, meeting int64) diary.MeetingAccess {
	access, err := f.store.MeetingAccess(context.Background(), a, meeting)
	return mustAccess(f.t, access, err)
}

// teacherRows counts the rows teachers' writes leave, by what they are.
func (f *fixture) teacherRows() map[string]int {
	f.t.Helper()
	rows := map[string]int{}
	for what, sql := range map[string]string{
		"grades":         `SELECT count(*) FROM grades`,
		"attendance":     `SELECT count(*) FROM attendance`,
		"remarks":        `SELECT count(*) FROM remarks`,
		"assignments":    `SELECT count(*) FROM assignments`,
		"lesson changes": `SELECT count(*) FROM lesson_changes`,
		"live events":    `SELECT count(*) FROM events WHERE cancelled_at IS NULL`,
		"notices":        `SELECT count(*) FROM notices`,
		"audit entries":  `SELECT count(*) FROM audit_log`,
	} {
		rows[what] = f.count(sql)
	}
	return rows
}

// teacherWrites takes Иванова's access values as requests would (to her 7А
// maths lesson on Friday, to 7А maths, to 7А, to a meeting of 7А), runs end,
// and makes each write of a teacher with them: it returns their errors, and
// the rows there were before them.
func teacherWrites(t *testing.T, f *teaching, end func()) (errs map[string]error, before map[string]int) {
	ctx := context.Background()
	lesson := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	section, homeroom := f.teaching(f.ivanovaAcc, f.math7a), f.teaching(f.ivanovaAcc, f.c7a)
	id, err := f.store.CreateMeeting(ctx, homeroom, diary.NewMeeting{Title: "Собрание", Starts: f.now.Add(48 * time.Hour), Place: "214"})
	if err != nil {
		t.Fatal(err)
	}
	meeting := f.meetingAccess(f.ivanovaAcc, id)
	pupil := f.pupils["Борисов"]
	end()
	before = f.teacherRows()
	result := func(_ any, err error) error { return err }
	return map[string]error{
		"SetGrade":        f.store.SetGrade(ctx, lesson, pupil, 5),
		"ClearGrade":      f.store.ClearGrade(ctx, lesson, pupil),
		"SetAttendance":   f.store.SetAttendance(ctx, lesson, pupil, diary.Absent),
		"AddRemark":       result(f.store.AddRemark(ctx, lesson, pupil, diary.Praise, "Отличный ответ")),
		"UndoRemark":      f.store.UndoRemark(ctx, lesson, pupil, 1),
		"AddHomework":     result(f.store.AddHomework(ctx, section, diary.NewHomework{Text: "§12"})),
		"AddLessonChange": result(f.store.AddLessonChange(ctx, section, cancel(diary.LessonRef{Class: f.math7a, Date: day("2026-11-28"), Period: 1}))),
		"Announce":        result(f.store.Announce(ctx, homeroom, diary.Announcement{Body: "Завтра экскурсия"})),
		"CreateMeeting":   result(f.store.CreateMeeting(ctx, homeroom, diary.NewMeeting{Title: "Собрание", Starts: f.now.Add(72 * time.Hour), Place: "214"})),
		"ChangeMeeting":   f.store.ChangeMeeting(ctx, meeting, diary.MeetingChange{Place: "Актовый зал"}),
		"CancelMeeting":   f.store.CancelMeeting(ctx, meeting),
	}, before
}

// An access value is checked once per request; each write checks again in
// its transaction that it still holds. Taken before the school revoked the
// teacher's link, or before the teacher stopped teaching the classes, it
// writes nothing.
func TestTeacherWritesCheckAgain(t *testing.T) {
	for name, c := range map[string]struct {
		end  func(f *teaching)
		code diary.Code
	}{
		"the school revoked the link": {func(f *teaching) {
			if _, err := f.store.RevokeLinks(context.Background(), diary.LinkSelector{Link: f.linkOf(f.ivanovaAcc)}); err != nil {
				f.t.Fatal(err)
			}
		}, diary.EREVOKED},
		"the teacher no longer teaches the classes": {func(f *teaching) {
			f.Exec(`UPDATE enrollments SET active = false WHERE person_id = $1`, f.ivanova)
		}, diary.EFORBIDDEN},
	} {
		t.Run(name, func(t *testing.T) {
			f := newTeaching(t)
			errs, before := teacherWrites(t, f, func() { c.end(f) })
			for write, err := range errs {
				if diary.ErrorCode(err) != c.code {
					t.Errorf("%s: %v, want %s", write, err, c.code)
				}
			}
			if after := f.teacherRows(); !maps.Equal(after, before) {
				t.Errorf("refused writes changed the rows from %v to %v", before, after)
			}
		})
	}
}

// A substitute marks at a lesson as long as they stand in at it, moved to
// another slot too; once another teacher gives it, their access is refused.
func TestSubstituteWritesWhileStandingIn(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	// Monday's maths moves to Friday period 4, given by Петрова.
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period, substitute_teacher_id)
	        VALUES ($1, '2026-11-30', 1, 'moved', $2, 4, $3)`, f.math7a, friday, f.petrova)
	a := f.atLesson(f.petrovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 4})
	if err := f.store.SetGrade(ctx, a, f.pupils["Борисов"], 5); err != nil {
		t.Fatalf("the substitute's grade: %v", err)
	}
	f.Exec(`UPDATE lesson_changes SET substitute_teacher_id = NULL`)
	before := f.teacherRows()
	wantCode(t, f.store.SetGrade(ctx, a, f.pupils["Егорова"], 4), diary.EFORBIDDEN)
	if after := f.teacherRows(); !maps.Equal(after, before) {
		t.Errorf("a refused grade changed the rows from %v to %v", before, after)
	}
}
