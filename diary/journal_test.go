package diary_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// The journal of 7А maths over the second term (5 November to 28 December):
// Friday periods 1 and 2, Saturday 1 and Monday 1, 32 lessons; Friday 27's
// period 2 cancelled, Monday 30's moved to Friday 4 December period 4. A grade
// set at a lesson, one imported for the day's work, lateness at a lesson, a
// whole day's absence and homework each land in their cell.
func TestClassJournal(t *testing.T) {
	f := newTeaching(t)
	f.Terms()
	ctx := context.Background()
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind) VALUES ($1, $2, 2, 'cancelled')`, f.math7a, friday)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period)
	        VALUES ($1, '2026-11-30', 1, 'moved', '2026-12-04', 4)`, f.math7a)
	lesson := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	if err := f.store.SetGrade(ctx, lesson, f.pupils["Борисов"], 5); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAttendance(ctx, lesson, f.pupils["Ёлкин"], diary.Late); err != nil {
		t.Fatal(err)
	}
	f.Grade(f.math7a, f.pupils["Егорова"], "2026-11-20", 4, 1) // imported: no period
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-21', NULL, 'absent')`,
		f.c7a, f.pupils["Алёшина"])
	f.Homework(f.math7a, "2026-11-27", "2026-12-04", "№ 214")
	f.Homework(f.rus7b, "2026-11-27", "2026-12-04", "not ours")

	j, err := f.store.ClassJournal(ctx, f.teaching(f.ivanovaAcc, f.math7a), day("2026-11-25"))
	if err != nil {
		t.Fatal(err)
	}
	if j.Title != "7А Математика" || j.Term.Title != "2 четверть" {
		t.Errorf("journal of %q, term %q", j.Title, j.Term.Title)
	}
	col := map[string]int{}
	for i, l := range j.Lessons {
		col[fmt.Sprintf("%s/%d", l.Date.Format(time.DateOnly), l.Period)] = i
		if l.Date.Before(j.Term.Start) || l.Date.After(j.Term.End) || !l.Held() {
			t.Errorf("lesson %s/%d in the journal", l.Date.Format(time.DateOnly), l.Period)
		}
	}
	if len(j.Lessons) != 31 {
		t.Errorf("%d lessons, want 31", len(j.Lessons))
	}
	for ref, want := range map[string]bool{"2026-11-27/1": true, "2026-11-27/2": false, "2026-11-30/1": false, "2026-12-04/4": true} {
		if _, ok := col[ref]; ok != want {
			t.Errorf("lesson %s in the journal: %v, want %v", ref, ok, want)
		}
	}
	var names []string
	cells := map[string][]diary.JournalCell{}
	for _, p := range j.Pupils {
		names = append(names, p.FamilyName)
		cells[p.FamilyName] = p.Cells
		if len(p.Cells) != len(j.Lessons) {
			t.Errorf("%s: %d cells for %d lessons", p.FamilyName, len(p.Cells), len(j.Lessons))
		}
	}
	if fmt.Sprint(names) != "[Алёшина Борисов Егорова Ёлкин]" {
		t.Errorf("pupils %v", names)
	}
	check := func(pupil, ref string, want diary.JournalCell) {
		t.Helper()
		if got := cells[pupil][col[ref]]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s at %s: %+v, want %+v", pupil, ref, got, want)
		}
	}
	check("Борисов", "2026-11-27/1", diary.JournalCell{Grade: 5})
	check("Ёлкин", "2026-11-27/1", diary.JournalCell{Attendance: diary.Late})
	check("Егорова", "2026-11-20/1", diary.JournalCell{Other: []float64{4}})
	check("Егорова", "2026-11-20/2", diary.JournalCell{})
	check("Алёшина", "2026-11-21/1", diary.JournalCell{Attendance: diary.Absent, DayAbsence: true})
	if hw := j.Lessons[col["2026-12-04/1"]].Homework; len(hw) != 1 || hw[0].Text != "№ 214" {
		t.Errorf("homework of 4 December: %+v", hw)
	}
	if hw := j.Lessons[col["2026-12-04/2"]].Homework; len(hw) != 0 {
		t.Errorf("homework at the day's second lesson too: %+v", hw)
	}

	// A homeroom has no lessons of its own.
	_, err = f.store.ClassJournal(ctx, f.teaching(f.ivanovaAcc, f.c7a), friday)
	wantCode(t, err, diary.EINVALID)
}

// The journal is one batch of a fixed number of statements: a class of 34
// pupils costs what a class of 4 does.
func TestClassJournalQueriesDoNotGrowWithTheClass(t *testing.T) {
	f := newTeaching(t)
	f.Terms()
	ctx := context.Background()
	counter := &queryCounter{}
	store := diary.NewStore(diarytest.Traced(t, f.db, counter))
	store.SetClock(func() time.Time { return f.now })
	count := func() (int64, int) {
		a, err := store.TeacherClassAccess(ctx, f.ivanovaAcc, f.math7a)
		if err != nil {
			t.Fatal(err)
		}
		counter.n.Store(0)
		j, err := store.ClassJournal(ctx, a, friday)
		if err != nil {
			t.Fatal(err)
		}
		return counter.n.Load(), len(j.Pupils)
	}
	few, n := count()
	for i := range 30 {
		p := f.Pupil(fmt.Sprintf("Ученик%02d", i), "Имя", f.c7a, f.math7a)
		f.Exec(`INSERT INTO grades (class_id, pupil_id, score, graded_on, period) VALUES ($1, $2, 4, $3, 1)`, f.math7a, p, friday)
	}
	many, m := count()
	t.Logf("%d statements for %d pupils, %d for %d", few, n, many, m)
	if few != many || m != n+30 {
		t.Errorf("%d statements for %d pupils, %d for %d", few, n, many, m)
	}
}
