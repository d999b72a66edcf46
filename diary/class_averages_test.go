package diary_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

// The class average a family sees in the term's grades follows the teacher's
// marks at once: a grade set, changed and taken back, and a term whose dates
// change. The database keeps the averages per class and term (migration 14);
// this is what shows they are kept right.
func TestClassAverageFollowsTheMarks(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	_, term2 := f.Terms()
	alyosha := f.pupils["Алёшина"]
	mum := f.Guardian(alyosha)
	drozdov := f.Pupil("Дроздов", "Имя", f.c7a, f.math7a)
	for i, name := range []string{"Ёлкин", "Алёшина", "Егорова", "Борисов"} {
		f.Grade(f.math7a, f.pupils[name], "2026-11-10", float64(2+i), 1)
	}
	lesson := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})

	// seen is the class average of maths in the term's grades Алёшина's mother
	// reads, and whether it is shown.
	seen := func() (float64, bool) {
		t.Helper()
		r, err := f.store.TermGrades(ctx, f.access(mum, alyosha), friday)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Subjects {
			if s.Subject == "Математика" {
				return s.ClassAverage, s.ClassAverageShown
			}
		}
		t.Fatalf("no maths in %+v", r.Subjects)
		return 0, false
	}
	for _, step := range []struct {
		name  string
		do    func() error
		want  float64
		shown bool
	}{
		{"four pupils graded", func() error { return nil }, 0, false},
		{"a fifth pupil's grade", func() error { return f.store.SetGrade(ctx, lesson, drozdov, 5) }, (2 + 3 + 4 + 5 + 5) / 5.0, true},
		{"the grade changed", func() error { return f.store.SetGrade(ctx, lesson, drozdov, 2) }, (2 + 3 + 4 + 5 + 2) / 5.0, true},
		{"the grade taken back", func() error { return f.store.ClearGrade(ctx, lesson, drozdov) }, 0, false},
		{"a second grade of a graded pupil", func() error { return f.store.SetGrade(ctx, lesson, alyosha, 4) }, 0, false},
		{"the fifth pupil graded again", func() error { return f.store.SetGrade(ctx, lesson, drozdov, 4) }, (2 + 3 + 4 + 5 + 4 + 4) / 6.0, true},
		{"the term starts after the first grades", func() error {
			_, err := f.db.Exec(ctx, `UPDATE academic_sessions SET start_date = '2026-11-20' WHERE id = $1`, term2)
			return err
		}, 0, false},
		{"the term's dates back", func() error {
			_, err := f.db.Exec(ctx, `UPDATE academic_sessions SET start_date = '2026-11-05' WHERE id = $1`, term2)
			return err
		}, (2 + 3 + 4 + 5 + 4 + 4) / 6.0, true},
		{"a grade deleted by hand", func() error {
			_, err := f.db.Exec(ctx, `DELETE FROM grades WHERE pupil_id = $1 AND graded_on = '2026-11-10'`, alyosha)
			return err
		}, (2 + 4 + 5 + 4 + 4) / 5.0, true},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got, shown := seen(); shown != step.shown || !near(got, step.want) {
			t.Errorf("%s: class average %v shown %v, want %v shown %v", step.name, got, shown, step.want, step.shown)
		}
	}
}

// Teachers' marks at once in one class (here one lesson's, pupil by pupil, as
// a class fills in) leave the kept average the average of all of them: each
// write computes it again after the one before it committed.
func TestClassAverageOfMarksAtOnce(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	term1, term2 := f.Terms()
	lesson := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	var pupils []diary.PersonID
	for i := range 16 {
		pupils = append(pupils, f.Pupil("Ученик", fmt.Sprint(i), f.c7a, f.math7a))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(pupils))
	for i, p := range pupils {
		wg.Go(func() { errs <- f.store.SetGrade(ctx, lesson, p, 2+i%4) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var kept, computed float64
	var pupilsKept int
	if err := f.db.QueryRow(ctx, `SELECT average, pupils FROM class_term_averages WHERE class_id = $1 AND session_id = $2`,
		f.math7a, term2).Scan(&kept, &pupilsKept); err != nil {
		t.Fatal(err)
	}
	if err := f.db.QueryRow(ctx, `SELECT avg(score)::float8 FROM grades WHERE class_id = $1`, f.math7a).Scan(&computed); err != nil {
		t.Fatal(err)
	}
	if !near(kept, computed) || !near(computed, 3.5) || pupilsKept != len(pupils) {
		t.Errorf("kept average %v of %d pupils, the grades' %v of %d", kept, pupilsKept, computed, len(pupils))
	}
	if n := f.count(`SELECT count(*) FROM class_term_averages WHERE session_id = $1`, term1); n != 0 {
		t.Errorf("%d averages kept for term 1, which has no grades", n)
	}
}
