package diary_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestGradeReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	math7a, rus7a := f.Section("7А Математика", "Математика"), f.Section("7А Русский язык", "Русский язык")
	term1, _ := f.Terms()
	dasha := f.Pupil("Алёшина", "Дарья", math7a, rus7a)
	mum := f.Guardian(dasha)
	f.Grade(math7a, dasha, "2026-11-10", 5, 1)
	f.Grade(math7a, dasha, "2026-11-20", 3, 2) // a test weighs double
	f.Grade(rus7a, dasha, "2026-11-12", 4, 1)
	f.Grade(math7a, dasha, "2026-10-20", 2, 1) // term 1: outside November
	f.Exec(`INSERT INTO grades (class_id, pupil_id, session_id, kind, score, graded_on) VALUES ($1, $2, $3, 'term', 4, '2026-10-25')`,
		math7a, dasha, term1)
	// Four more pupils with math grades: five in all, so 7А's math average shows;
	// Russian has only Даша.
	for i := range 4 {
		p := f.Pupil("Ученик", fmt.Sprint(i), math7a, rus7a)
		f.Grade(math7a, p, "2026-11-11", 4, 1)
	}

	r, err := f.store.Grades(ctx, f.access(mum, dasha), day("2026-11-01"), day("2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Subjects) != 2 || r.Subjects[0].Subject != "Математика" || r.Subjects[1].Subject != "Русский язык" {
		t.Fatalf("subjects = %+v", r.Subjects)
	}
	m := r.Subjects[0]
	if len(m.Grades) != 2 || m.Grades[0].Score != 5 || m.Grades[1].Score != 3 || m.Grades[1].Weight != 2 {
		t.Errorf("math grades = %+v", m.Grades)
	}
	if !near(m.Average, (5+3*2)/3.0) {
		t.Errorf("weighted average = %v, want %v", m.Average, 11/3.0)
	}
	// Class: 5·1 + 3·2 + 4·4 over weights 1 + 2 + 4.
	if !m.ClassAverageShown || !near(m.ClassAverage, (5+6+16)/7.0) {
		t.Errorf("class average = %v shown %v", m.ClassAverage, m.ClassAverageShown)
	}
	if rus := r.Subjects[1]; rus.ClassAverageShown || rus.ClassAverage != 0 {
		t.Errorf("Russian class average with one graded pupil must be hidden: %+v", rus)
	}
	if len(m.Final) != 0 {
		t.Errorf("November shows the term 1 grade: %+v", m.Final)
	}

	term, err := f.store.TermGrades(ctx, f.access(mum, dasha), day("2026-10-01"))
	if err != nil {
		t.Fatal(err)
	}
	if term.Period == nil || term.Period.Title != "1 четверть" || len(term.Subjects) != 1 {
		t.Fatalf("term 1 report = %+v", term)
	}
	if fin := term.Subjects[0].Final; len(fin) != 1 || fin[0].Kind != diary.GradeTerm || fin[0].Score != 4 || fin[0].Session != "1 четверть" {
		t.Errorf("term grade = %+v", fin)
	}
	// In the autumn holidays, "this term" is the one that just ended.
	holiday, err := f.store.TermGrades(ctx, f.access(mum, dasha), day("2026-11-02"))
	if err != nil || holiday.Period.Title != "1 четверть" {
		t.Errorf("holiday term = %+v, %v", holiday.Period, err)
	}
	current, err := f.store.TermGrades(ctx, f.access(mum, dasha), day("2026-11-27"))
	if err != nil || current.Period.Title != "2 четверть" || len(current.Subjects) != 2 {
		t.Errorf("term 2 = %+v, %v", current.Period, err)
	}
}

// The class average appears at the fifth graded pupil and not before.
func TestClassAverageNeedsFivePupils(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	math7b := f.Section("7Б Математика", "Математика")
	petya := f.Pupil("Ёлкин", "Пётр", math7b)
	dad := f.Guardian(petya)
	f.Grade(math7b, petya, "2026-11-10", 5, 1)
	others := make([]diary.PersonID, 4)
	for i := range others {
		others[i] = f.Pupil("Ученик", fmt.Sprint(i), math7b)
	}
	for i, p := range others[:3] {
		f.Grade(math7b, p, "2026-11-10", float64(2+i), 1)
	}
	// Many grades from few pupils do not count as many pupils.
	f.Grade(math7b, others[0], "2026-11-11", 2, 1)

	shown := func() bool {
		r, err := f.store.Grades(ctx, f.access(dad, petya), day("2026-11-01"), day("2026-11-30"))
		if err != nil {
			t.Fatal(err)
		}
		return r.Subjects[0].ClassAverageShown
	}
	if shown() {
		t.Fatal("class average shown with 4 graded pupils")
	}
	f.Grade(math7b, others[3], "2026-11-12", 4, 1)
	if !shown() {
		t.Fatal("class average hidden with 5 graded pupils")
	}
}
