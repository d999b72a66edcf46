package diary_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

// A subject's page of a term: its grades with their work and comment, the
// term's and the year's final grades, the class average once five pupils are
// graded, the terms either side; a class or term not the pupil's is not found.
func TestSubjectGrades(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	math7a, rus7a := f.Section("7А Математика", "Математика"), f.Section("7А Русский язык", "Русский язык")
	other := f.Section("7Б Математика", "Математика")
	term1, term2 := f.Terms()
	dasha := f.Pupil("Алёшина", "Дарья", math7a, rus7a)
	mum := f.Guardian(dasha)
	a := f.access(mum, dasha)
	f.Grade(math7a, dasha, "2026-11-10", 5, 1)
	f.Grade(math7a, dasha, "2026-11-20", 3, 2)
	f.Grade(math7a, dasha, "2026-10-20", 2, 1) // term 1
	f.Grade(rus7a, dasha, "2026-11-12", 4, 1)  // another subject
	f.Exec(`UPDATE grades SET comment = 'Ошибка в задаче 3' WHERE graded_on = '2026-11-20'`)
	f.Exec(`INSERT INTO grades (class_id, pupil_id, session_id, kind, score, graded_on)
	        SELECT $1::bigint, $2::bigint, $3::bigint, 'term', 4, date '2026-12-25' UNION ALL
	        SELECT $1, $2, $4::bigint, 'term', 3, '2026-10-25' UNION ALL
	        SELECT $1, $2, (SELECT parent_id FROM academic_sessions WHERE id = $3::bigint), 'year', 4, '2027-05-30'`,
		math7a, dasha, term2, term1)
	for i := range 4 {
		p := f.Pupil("Ученик", fmt.Sprint(i), math7a)
		f.Grade(math7a, p, "2026-11-11", 4, 1)
	}

	page, err := f.store.SubjectGrades(ctx, a, math7a, term2)
	if err != nil {
		t.Fatal(err)
	}
	g := page.Grades
	if g.Subject != "Математика" || page.Term.Title != "2 четверть" || len(g.Grades) != 2 {
		t.Fatalf("page = %+v", page)
	}
	if g.Grades[1].Score != 3 || g.Grades[1].Weight != 2 || g.Grades[1].Comment != "Ошибка в задаче 3" {
		t.Errorf("the second grade = %+v", g.Grades[1])
	}
	if !near(g.Average, 11/3.0) || !g.ClassAverageShown || !near(g.ClassAverage, (5+6+16)/7.0) {
		t.Errorf("averages: %v, class %v shown %v", g.Average, g.ClassAverage, g.ClassAverageShown)
	}
	if len(g.Final) != 2 || g.Final[0].Kind != diary.GradeTerm || g.Final[0].Score != 4 || g.Final[1].Kind != diary.GradeYear {
		t.Errorf("final grades = %+v", g.Final)
	}
	if page.Prev == nil || page.Prev.ID != term1 || page.Next != nil {
		t.Errorf("neighbours: %+v, %+v", page.Prev, page.Next)
	}

	first, err := f.store.SubjectGrades(ctx, a, math7a, term1)
	if err != nil || len(first.Grades.Grades) != 1 || first.Prev != nil || first.Next == nil || first.Next.ID != term2 ||
		len(first.Grades.Final) != 2 || first.Grades.Final[0].Score != 3 || first.Grades.ClassAverageShown {
		t.Errorf("term 1 = %+v, %v", first, err)
	}
	for name, call := range map[string]func() error{
		"another class": func() error { _, err := f.store.SubjectGrades(ctx, a, other, term2); return err },
		"another term":  func() error { _, err := f.store.SubjectGrades(ctx, a, math7a, term2+1000); return err },
	} {
		if err := call(); diary.ErrorCode(err) != diary.ENOTFOUND {
			t.Errorf("%s: %v, want ENOTFOUND", name, err)
		}
	}
}
