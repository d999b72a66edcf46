package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// moscow is the default school zone.
var moscow = mustZone("Europe/Moscow")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// day is a calendar date value as the diary uses them.
func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixture builds a small school in a fresh database (diarytest.School), with
// the clock pinned to Friday 27 November 2026, 10:00 in Moscow.
type fixture struct {
	*school
	t     *testing.T
	db    *pgxpool.Pool
	store *diary.Store
	now   time.Time
}

// school is diarytest's builder, with the diary's types of ids.
type school = diarytest.School[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role]

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	f := &fixture{t: t, db: diarytest.New(t), now: time.Date(2026, 11, 27, 10, 0, 0, 0, moscow)}
	f.school = diarytest.NewSchool[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role](t, f.db)
	f.store = diary.NewStore(f.db)
	f.store.SetClock(func() time.Time { return f.now })
	return f
}

// access is the account's access to the pupil, as a request checks it.
func (f *fixture) access(a diary.AccountID, p diary.PersonID) diary.PupilAccess {
	access, err := f.store.PupilAccess(context.Background(), a, p)
	return mustAccess(f.t, access, err)
}

// teaching is the teacher account's access to the class, as a request checks it.
func (f *fixture) teaching(a diary.AccountID, c diary.ClassID) diary.TeacherAccess {
	access, err := f.store.TeacherClassAccess(context.Background(), a, c)
	return mustAccess(f.t, access, err)
}

// mustAccess fails the test unless the access rule let the account in.
func mustAccess[A any](t *testing.T, access A, err error) A {
	t.Helper()
	if err != nil {
		t.Fatalf("access refused: %v", err)
	}
	return access
}

// wantCode fails unless err carries the domain code.
func wantCode(t *testing.T, err error, code diary.Code) {
	t.Helper()
	if got := diary.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
}
