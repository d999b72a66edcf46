package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// teaching is a school for the teachers' writes: today is Friday 27 November
// 2026. Иванова teaches 7А maths (Friday periods 1 and 2, Saturday 1, Monday
// 1) and is the homeroom teacher of 7А; Петрова teaches 7Б Russian (Friday 3).
type teaching struct {
	*fixture
	c7a, math7a, c7b, rus7b diary.ClassID
	ivanova, petrova        diary.PersonID
	ivanovaAcc, petrovaAcc  diary.AccountID
	pupils                  map[string]diary.PersonID
	maxim                   diary.PersonID // 7Б
}

func newTeaching(t *testing.T) *teaching {
	f := &teaching{fixture: newFixture(t), pupils: map[string]diary.PersonID{}}
	f.c7a, f.c7b = f.Homeroom("7А"), f.Homeroom("7Б")
	f.math7a, f.rus7b = f.Section("7А Математика", "Математика"), f.Section("7Б Русский язык", "Русский язык")
	f.ivanova = f.Teacher("Иванова", "Мария", f.c7a, f.math7a)
	f.petrova = f.Teacher("Петрова", "Анна", f.c7b, f.rus7b)
	f.ivanovaAcc, f.petrovaAcc = f.Account(), f.Account()
	f.Link(f.ivanovaAcc, f.ivanova, diary.RoleTeacher)
	f.Link(f.petrovaAcc, f.petrova, diary.RoleTeacher)
	// Out of alphabetical order on purpose; Ё sorts right after Е.
	for _, name := range []string{"Ёлкин", "Алёшина", "Егорова", "Борисов"} {
		f.pupils[name] = f.Pupil(name, "Имя", f.c7a, f.math7a)
	}
	f.maxim = f.Pupil("Алёшин", "Максим", f.c7b, f.rus7b)
	f.Lesson(f.math7a, 5, 1, "08:30", "09:15", "Математика", f.ivanova, "214")
	f.Lesson(f.math7a, 5, 2, "09:25", "10:10", "Математика", f.ivanova, "214")
	f.Lesson(f.math7a, 6, 1, "08:30", "09:15", "Математика", f.ivanova, "214")
	f.Lesson(f.math7a, 1, 1, "08:30", "09:15", "Математика", f.ivanova, "214")
	f.Lesson(f.rus7b, 5, 3, "10:30", "11:15", "Русский язык", f.petrova, "301")
	return f
}

var friday = day("2026-11-27")

// written counts the rows teachers' writes leave: grades given at lessons,
// attendance marks, remarks, notices and audit entries.
func (f *teaching) written() [5]int {
	return [5]int{
		f.count(`SELECT count(*) FROM grades WHERE period IS NOT NULL`),
		f.count(`SELECT count(*) FROM attendance`),
		f.count(`SELECT count(*) FROM remarks`),
		f.count(`SELECT count(*) FROM notices`),
		f.count(`SELECT count(*) FROM audit_log`),
	}
}

func TestTeacherLessons(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	// Period 2 is cancelled; Иванова stands in for Петрова at 7Б's period 3;
	// Monday's lesson moves to Friday period 4.
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind) VALUES ($1, $2, 2, 'cancelled')`, f.math7a, friday)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id) VALUES ($1, $2, 3, 'substitute', $3)`,
		f.rus7b, friday, f.ivanova)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period) VALUES ($1, '2026-11-30', 1, 'moved', $2, 4)`,
		f.math7a, friday)

	lessons, err := f.store.TeacherLessons(ctx, f.ivanovaAcc, friday)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		period int
		title  string
		held   bool
	}
	want := []row{{1, "7А Математика", true}, {2, "7А Математика", false}, {3, "7Б Русский язык", true}, {4, "7А Математика", true}}
	if len(lessons) != len(want) {
		t.Fatalf("got %d lessons: %+v", len(lessons), lessons)
	}
	for i, l := range lessons {
		if got := (row{l.Period, l.ClassTitle, l.Held()}); got != want[i] {
			t.Errorf("lesson %d = %+v, want %+v", i, got, want[i])
		}
	}
	if l := lessons[3]; !l.Change.MovedFrom.Equal(day("2026-11-30")) || l.Starts.String() != "08:30" {
		t.Errorf("moved-in lesson: %+v", l.Change)
	}

	// The substitute may mark at the lesson she stands in for, not at 7Б's others.
	if err := f.store.SetGrade(ctx, f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.rus7b, Date: friday, Period: 3}), f.maxim, 5); err != nil {
		t.Errorf("substitute's grade: %v", err)
	}
	_, err = f.store.LessonAccess(ctx, f.ivanovaAcc, diary.LessonRef{Class: f.rus7b, Date: friday.AddDate(0, 0, -7), Period: 3})
	wantCode(t, err, diary.EFORBIDDEN)
	// Nobody marks at a cancelled lesson.
	_, err = f.store.LessonAccess(ctx, f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 2})
	wantCode(t, err, diary.ENOTFOUND)
}

func TestClassRoster(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	a := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	if err := f.store.SetGrade(ctx, a, f.pupils["Егорова"], 4); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAttendance(ctx, a, f.pupils["Ёлкин"], diary.Late); err != nil {
		t.Fatal(err)
	}
	// A grade at the other lesson of the day is not this lesson's.
	if err := f.store.SetGrade(ctx, f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 2}), f.pupils["Ёлкин"], 2); err != nil {
		t.Fatal(err)
	}
	r, err := f.store.ClassRoster(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Pupils {
		got = append(got, p.FamilyName)
	}
	want := []string{"Алёшина", "Борисов", "Егорова", "Ёлкин"}
	if len(got) != len(want) {
		t.Fatalf("roster %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("roster %v, want %v", got, want)
		}
	}
	if r.Pupils[2].Grade != 4 || r.Pupils[3].Grade != 0 || r.Pupils[3].Attendance != diary.Late {
		t.Errorf("marks: %+v", r.Pupils)
	}
	if a.Lesson.School.GradeMin != 1 || a.Lesson.School.GradeMax != 5 || r.Lesson.ClassTitle != "7А Математика" {
		t.Errorf("roster of %+v at %+v", a.Lesson.School, r.Lesson)
	}
}

// A grade replaces the one given before at the lesson; taking it back removes
// it with its notice still waiting, and after the notice went out tells no one
// anything more.
func TestGradeUndo(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	a := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	pupil := f.pupils["Борисов"]
	for _, score := range []int{5, 4} {
		if err := f.store.SetGrade(ctx, a, pupil, score); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.count(`SELECT count(*) FROM grades WHERE pupil_id = $1 AND period = 1 AND score = 4`, pupil); got != 1 {
		t.Fatalf("%d grades of 4", got)
	}
	var due time.Time
	if err := f.db.QueryRow(ctx, `SELECT due_at FROM notices WHERE kind = 'grade' AND pupil_id = $1`, pupil).Scan(&due); err != nil {
		t.Fatal(err)
	}
	if !due.Equal(f.now.Add(diary.GradeGrace)) {
		t.Errorf("grade notice due %v, want %v", due, f.now.Add(diary.GradeGrace))
	}
	if err := f.store.ClearGrade(ctx, a, pupil); err != nil {
		t.Fatal(err)
	}
	if got := f.written(); got != [5]int{0, 0, 0, 0, 3} {
		t.Errorf("after the undo: grades, marks, remarks, notices, audit = %v", got)
	}

	// Once the notice went out, the undo removes the grade and says nothing.
	if err := f.store.SetGrade(ctx, a, pupil, 3); err != nil {
		t.Fatal(err)
	}
	f.Exec(`UPDATE notices SET fanned_out_at = now(), recipients = 2`)
	if err := f.store.ClearGrade(ctx, a, pupil); err != nil {
		t.Fatal(err)
	}
	if got := f.written(); got != [5]int{0, 0, 0, 1, 5} {
		t.Errorf("after the late undo: grades, marks, remarks, notices, audit = %v", got)
	}
	if got := f.count(`SELECT count(*) FROM notices WHERE fanned_out_at IS NULL`); got != 0 {
		t.Errorf("%d notices pending after the late undo", got)
	}
}

func TestMarksRefused(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	a := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	ref7b := diary.LessonRef{Class: f.rus7b, Date: friday, Period: 3}
	lessonAccess := func(acc diary.AccountID, ref diary.LessonRef) error {
		_, err := f.store.LessonAccess(ctx, acc, ref)
		return err
	}
	for name, err := range map[string]error{
		"grade above the scale": f.store.SetGrade(ctx, a, f.pupils["Борисов"], 6),
		"grade below the scale": f.store.SetGrade(ctx, a, f.pupils["Борисов"], 0),
		"a lesson still to come": f.store.SetGrade(ctx, f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday.AddDate(0, 0, 1), Period: 1}),
			f.pupils["Борисов"], 5),
		"an unknown status": f.store.SetAttendance(ctx, a, f.pupils["Борисов"], "asleep"),
		"an empty remark": func() error {
			_, err := f.store.AddRemark(ctx, a, f.pupils["Борисов"], diary.Praise, "  ")
			return err
		}(),
		"an unknown remark kind": func() error {
			_, err := f.store.AddRemark(ctx, a, f.pupils["Борисов"], "hug", "ok")
			return err
		}(),
		"no lesson at the period": lessonAccess(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 6}),
		"no period of a day":      lessonAccess(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: diary.MaxPeriod + 1}),
	} {
		if code := diary.ErrorCode(err); code != diary.EINVALID && code != diary.ENOTFOUND {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, err := range map[string]error{
		"another class's lesson": lessonAccess(f.ivanovaAcc, ref7b),
		"another class's pupil":  f.store.SetGrade(ctx, a, f.maxim, 5),
		"another class's remark": func() error {
			_, err := f.store.AddRemark(ctx, a, f.maxim, diary.Warning, "x")
			return err
		}(),
		"a parent's account": lessonAccess(f.Guardian(f.pupils["Борисов"]), a.Lesson.Ref()),
		"7А maths' access changing 7Б's lesson": func() error {
			_, err := f.store.AddLessonChange(ctx, f.teaching(f.ivanovaAcc, f.math7a), cancel(ref7b))
			return err
		}(),
		"a roster of 7Б's lessons": func() error { _, err := f.store.TeacherClassAccess(ctx, f.ivanovaAcc, f.rus7b); return err }(),
	} {
		if diary.ErrorCode(err) != diary.EFORBIDDEN {
			t.Errorf("%s: %v, want %s", name, err, diary.EFORBIDDEN)
		}
	}
	if got := f.written(); got != [5]int{} {
		t.Errorf("refused writes left grades, marks, remarks, notices, audit = %v", got)
	}
}

func cancel(ref diary.LessonRef) diary.NewLessonChange {
	return diary.NewLessonChange{LessonRef: ref, Kind: diary.ChangeCancelled}
}

func TestLessonAttendanceAndRemarks(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	ref := diary.LessonRef{Class: f.math7a, Date: friday, Period: 1}
	a := f.atLesson(f.ivanovaAcc, ref)
	pupil := f.pupils["Алёшина"]
	for _, status := range []string{diary.Absent, diary.Late} {
		if err := f.store.SetAttendance(ctx, a, pupil, status); err != nil {
			t.Fatal(err)
		}
	}
	var action string
	if err := f.db.QueryRow(ctx, `SELECT action FROM notices WHERE kind = 'attendance'`).Scan(&action); err != nil || action != "new" {
		t.Errorf("one pending attendance notice, new: %q, %v", action, err)
	}
	id, err := f.store.AddRemark(ctx, a, pupil, diary.Praise, " Отличный ответ ")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.written(); got != [5]int{0, 1, 1, 2, 3} {
		t.Errorf("grades, marks, remarks, notices, audit = %v", got)
	}
	// Another teacher's undo of a remark she did not give does nothing: at
	// this lesson, Петрова stands in for Иванова.
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id) VALUES ($1, $2, 1, 'substitute', $3)`,
		f.math7a, friday, f.petrova)
	if err := f.store.UndoRemark(ctx, f.atLesson(f.petrovaAcc, ref), pupil, id); err != nil {
		t.Errorf("Петрова's undo: %v", err)
	}
	if got := f.written(); got != [5]int{0, 1, 1, 2, 3} {
		t.Errorf("after Петрова's undo: grades, marks, remarks, notices, audit = %v", got)
	}
	if err := f.store.UndoRemark(ctx, a, pupil, id); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAttendance(ctx, a, pupil, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.written(); got != [5]int{0, 0, 0, 0, 5} {
		t.Errorf("after the undos: grades, marks, remarks, notices, audit = %v", got)
	}
	var detail string
	if err := f.db.QueryRow(ctx, `SELECT detail::text FROM audit_log WHERE action = 'remark.add'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != `{"date": "2026-11-27", "kind": "praise", "period": 1}` {
		t.Errorf("audit detail %s: ids and values, never the text", detail)
	}
}

func TestAddHomework(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	// The next lesson after Friday is Saturday's.
	next, err := f.store.NextLesson(ctx, f.teaching(f.ivanovaAcc, f.math7a))
	if err != nil || !next.Equal(day("2026-11-28")) {
		t.Fatalf("next lesson %v, %v", next, err)
	}
	// Saturday's lesson cancelled, Monday's moved away: the next is Friday's.
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind) VALUES ($1, '2026-11-28', 1, 'cancelled')`, f.math7a)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period)
	        VALUES ($1, '2026-11-30', 1, 'moved', '2026-12-02', 3)`, f.math7a)
	maths := f.teaching(f.ivanovaAcc, f.math7a)
	added, err := f.store.AddHomework(ctx, maths, diary.NewHomework{Text: " §12, упр. 5 "})
	if err != nil {
		t.Fatal(err)
	}
	if !added.Due.Equal(day("2026-12-02")) || added.Notified {
		t.Errorf("default due date: %+v, want the moved lesson on 2 December, untold", added)
	}
	var text string
	var by int64
	if err := f.db.QueryRow(ctx, `SELECT description, created_by FROM assignments WHERE id = $1 AND kind = 'homework' AND assigned_on = $2`,
		added.ID, friday).Scan(&text, &by); err != nil || text != "§12, упр. 5" || diary.PersonID(by) != f.ivanova {
		t.Errorf("homework row: %q by %d, %v", text, by, err)
	}
	// Due tomorrow: told to the class now.
	soon, err := f.store.AddHomework(ctx, maths, diary.NewHomework{Due: friday.AddDate(0, 0, 1), Text: "Задачи"})
	if err != nil || !soon.Notified {
		t.Fatalf("homework for tomorrow: %+v, %v", soon, err)
	}
	if got := f.count(`SELECT count(*) FROM notices WHERE kind = 'homework' AND ref_id = $1 AND class_id = $2`, soon.ID, f.math7a); got != 1 {
		t.Errorf("%d homework notices", got)
	}
	homeroom := f.teaching(f.ivanovaAcc, f.c7a)
	for name, c := range map[string]struct {
		class diary.TeacherAccess
		h     diary.NewHomework
	}{
		"no text":          {maths, diary.NewHomework{Text: " "}},
		"due yesterday":    {maths, diary.NewHomework{Due: friday.AddDate(0, 0, -1), Text: "x"}},
		"due in half year": {maths, diary.NewHomework{Due: friday.AddDate(0, 6, 0), Text: "x"}},
		"a homeroom":       {homeroom, diary.NewHomework{Due: friday, Text: "x"}},
	} {
		if _, err := f.store.AddHomework(ctx, c.class, c.h); diary.ErrorCode(err) != diary.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := f.count(`SELECT count(*) FROM audit_log WHERE action = 'homework.add'`); got != 2 {
		t.Errorf("%d audit entries", got)
	}
}

func TestAddLessonChange(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	saturday := diary.LessonRef{Class: f.math7a, Date: day("2026-11-28"), Period: 1}
	maths := f.teaching(f.ivanovaAcc, f.math7a)
	added, err := f.store.AddLessonChange(ctx, maths, diary.NewLessonChange{LessonRef: saturday, Kind: diary.ChangeRoom, Room: " 305 "})
	if err != nil || !added.Notified {
		t.Fatalf("change for tomorrow: %+v, %v", added, err)
	}
	// Changed again before the notice went out: one notice, one change.
	again, err := f.store.AddLessonChange(ctx, maths, diary.NewLessonChange{LessonRef: saturday, Kind: diary.ChangeSubstitute,
		Substitute: f.petrova})
	if err != nil || again.ID != added.ID {
		t.Fatalf("second change: %+v, %v", again, err)
	}
	if got := f.count(`SELECT count(*) FROM notices WHERE kind = 'schedule' AND ref_id = $1 AND class_id = $2`, added.ID, f.math7a); got != 1 {
		t.Errorf("%d schedule notices for tomorrow", got)
	}
	nextFriday := diary.LessonRef{Class: f.math7a, Date: friday.AddDate(0, 0, 7), Period: 2}
	later, err := f.store.AddLessonChange(ctx, maths, diary.NewLessonChange{LessonRef: nextFriday, Kind: diary.ChangeMoved,
		MovedTo: nextFriday.Date, MovedToPeriod: 5})
	if err != nil || later.Notified {
		t.Fatalf("change for next week: %+v, %v", later, err)
	}
	if got := f.count(`SELECT count(*) FROM notices WHERE ref_id = $1`, later.ID); got != 0 {
		t.Errorf("a change for next week wrote %d notices", got)
	}
	lessons, err := f.store.ClassLessons(ctx, maths, nextFriday.Date)
	if err != nil || len(lessons) != 3 || lessons[2].Period != 5 || !lessons[2].Held() || lessons[1].Held() {
		t.Errorf("next Friday's lessons after the move: %+v, %v", lessons, err)
	}

	for name, c := range map[string]diary.NewLessonChange{
		"no lesson then":          {LessonRef: diary.LessonRef{Class: f.math7a, Date: friday, Period: 5}, Kind: diary.ChangeCancelled},
		"in the past":             {LessonRef: diary.LessonRef{Class: f.math7a, Date: friday.AddDate(0, 0, -7), Period: 1}, Kind: diary.ChangeCancelled},
		"a pupil as substitute":   {LessonRef: saturday, Kind: diary.ChangeSubstitute, Substitute: f.pupils["Борисов"]},
		"no substitute":           {LessonRef: saturday, Kind: diary.ChangeSubstitute},
		"no room":                 {LessonRef: saturday, Kind: diary.ChangeRoom, Room: "  "},
		"moved onto a lesson":     {LessonRef: saturday, Kind: diary.ChangeMoved, MovedTo: friday, MovedToPeriod: 2},
		"moved onto a moved-in":   {LessonRef: saturday, Kind: diary.ChangeMoved, MovedTo: nextFriday.Date, MovedToPeriod: 5},
		"moved to its own slot":   {LessonRef: saturday, Kind: diary.ChangeMoved, MovedTo: saturday.Date, MovedToPeriod: 1},
		"an unknown kind":         {LessonRef: saturday, Kind: "postponed"},
		"a substitute of 7Б only": {LessonRef: saturday, Kind: diary.ChangeSubstitute, Substitute: f.maxim},
	} {
		if _, err := f.store.AddLessonChange(ctx, maths, c); diary.ErrorCode(err) != diary.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := f.count(`SELECT count(*) FROM lesson_changes`); got != 2 {
		t.Errorf("%d lesson changes", got)
	}
	found, err := f.store.FindTeachers(ctx, maths, "пЕт")
	if err != nil || len(found) != 1 || found[0].ID != f.petrova {
		t.Errorf("find Петрова: %+v, %v", found, err)
	}
}
