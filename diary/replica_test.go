package diary_test

import (
	"context"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// With a read pool on a streaming replica (DATABASE_READ_URL), a family's
// views read the replica: while the replica stands still, the family does not
// see a grade the teacher just gave, and sees it once the replica caught up.
// The teacher's class list, redrawn right after the grade, reads the primary
// and shows it at once; so does the access rule: a parent linked meanwhile
// gets in at once.
func TestViewsReadTheReplica(t *testing.T) {
	f := newTeaching(t)
	ctx := context.Background()
	pupil := f.pupils["Егорова"]
	mum := f.Guardian(pupil)
	replica := diarytest.Replica(t, f.db)
	f.store.ReadViewsFrom(replica)
	grades := func(account diary.AccountID) []diary.Grade {
		t.Helper()
		r, err := f.store.Grades(ctx, f.access(account, pupil), day("2026-11-01"), day("2026-11-30"))
		if err != nil {
			t.Fatal(err)
		}
		var all []diary.Grade
		for _, s := range r.Subjects {
			all = append(all, s.Grades...)
		}
		return all
	}

	// The replica stops replaying the primary's WAL, as a lagging one would.
	if _, err := replica.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = replica.Exec(context.Background(), `SELECT pg_wal_replay_resume()`) })
	lesson := f.atLesson(f.ivanovaAcc, diary.LessonRef{Class: f.math7a, Date: friday, Period: 1})
	if err := f.store.SetGrade(ctx, lesson, pupil, 4); err != nil {
		t.Fatal(err)
	}
	roster, err := f.store.ClassRoster(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range roster.Pupils {
		if p.ID == pupil && p.Grade != 4 {
			t.Errorf("the teacher's class list right after the grade shows %d, want 4", p.Grade)
		}
	}
	dad := f.Guardian(pupil) // linked on the primary only, so far
	if got := grades(dad); len(got) != 0 {
		t.Errorf("the family's view read the primary: %+v, want nothing until the replica replays", got)
	}

	if _, err := replica.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	diarytest.CatchUp(t, f.db, replica)
	if got := grades(mum); len(got) != 1 || got[0].Score != 4 {
		t.Errorf("once the replica caught up the family sees %+v, want the 4", got)
	}
}
