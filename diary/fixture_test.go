package diary_test

import (
	"context"
	"fmt"
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

// fixture builds a small school in a fresh database, with the clock pinned to
// Friday 27 November 2026, 10:00 in Moscow.
type fixture struct {
	t     *testing.T
	db    *pgxpool.Pool
	store *diary.Store
	now   time.Time

	school   int64
	nextUser int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	f := &fixture{t: t, db: diarytest.New(t), now: time.Date(2026, 11, 27, 10, 0, 0, 0, moscow), nextUser: 1000}
	f.store = diary.NewStore(f.db)
	f.store.SetClock(func() time.Time { return f.now })
	f.school = f.id(`INSERT INTO schools (sourced_id, name) VALUES ('s1', 'Школа №1') RETURNING id`)
	return f
}

// id runs an INSERT ... RETURNING id.
func (f *fixture) id(sql string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) subject(name string) int64 {
	return f.id(`INSERT INTO subjects (school_id, name) VALUES ($1, $2)
	             ON CONFLICT (school_id, name) DO UPDATE SET name = excluded.name RETURNING id`, f.school, name)
}

func (f *fixture) homeroom(title string) diary.ClassID {
	return diary.ClassID(f.id(`INSERT INTO classes (sourced_id, school_id, title, kind) VALUES ($1, $2, $1, 'homeroom') RETURNING id`,
		title, f.school))
}

// section is a subject class, e.g. "7А Математика".
func (f *fixture) section(title, subject string) diary.ClassID {
	return diary.ClassID(f.id(`INSERT INTO classes (sourced_id, school_id, title, kind, subject_id) VALUES ($1, $2, $1, 'section', $3) RETURNING id`,
		title, f.school, f.subject(subject)))
}

func (f *fixture) person(role, family, given string) diary.PersonID {
	f.nextUser++
	return diary.PersonID(f.id(`INSERT INTO people (sourced_id, school_id, role, family_name, given_name) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		fmt.Sprint("u", f.nextUser), f.school, role, family, given))
}

// pupil makes a pupil enrolled in the given classes.
func (f *fixture) pupil(family, given string, classes ...diary.ClassID) diary.PersonID {
	p := f.person("student", family, given)
	for _, c := range classes {
		f.exec(`INSERT INTO enrollments (class_id, person_id, role) VALUES ($1, $2, 'student')`, c, p)
	}
	return p
}

func (f *fixture) teacher(family, given string, classes ...diary.ClassID) diary.PersonID {
	p := f.person("teacher", family, given)
	for _, c := range classes {
		f.exec(`INSERT INTO enrollments (class_id, person_id, role) VALUES ($1, $2, 'teacher')`, c, p)
	}
	return p
}

func (f *fixture) account() diary.AccountID {
	f.nextUser++
	return diary.AccountID(f.id(`INSERT INTO accounts (telegram_user_id, chat_id) VALUES ($1, $1) RETURNING id`, f.nextUser))
}

// link links an account to a person, valid until the end of the school year.
func (f *fixture) link(a diary.AccountID, p diary.PersonID, role diary.Role) int64 {
	return f.id(`INSERT INTO account_links (account_id, person_id, role, valid_from, valid_until)
	             VALUES ($1, $2, $3, '2026-09-01', '2027-08-31') RETURNING id`, a, p, role)
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

// guardian makes an account linked as guardian of the pupil.
func (f *fixture) guardian(p diary.PersonID) diary.AccountID {
	a := f.account()
	f.link(a, p, diary.RoleGuardian)
	return a
}

// lesson adds a timetable entry valid all school year.
func (f *fixture) lesson(class diary.ClassID, weekday, period int, starts, ends, subject string, teacher diary.PersonID, room string) {
	f.exec(`INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid)
	        VALUES ($1, $2, $3, $4, $5, $6, nullif($7, 0), $8, daterange('2026-09-01', '2027-05-31', '[]'))`,
		class, weekday, period, starts, ends, f.subject(subject), int64(teacher), room)
}

func (f *fixture) homework(class diary.ClassID, assigned, due, text string) int64 {
	return f.id(`INSERT INTO assignments (class_id, kind, title, description, assigned_on, due_on)
	             VALUES ($1, 'homework', 'Домашнее задание', $2, $3, $4) RETURNING id`, class, text, assigned, due)
}

// grade gives a current grade for a new piece of work.
func (f *fixture) grade(class diary.ClassID, p diary.PersonID, date string, score, weight float64) {
	a := f.id(`INSERT INTO assignments (class_id, kind, title, due_on, weight) VALUES ($1, 'test', 'Работа', $2, $3) RETURNING id`,
		class, date, weight)
	f.exec(`INSERT INTO grades (class_id, pupil_id, assignment_id, score, weight, graded_on) VALUES ($1, $2, $3, $4, $5, $6)`,
		class, p, a, score, weight, date)
}

// term adds the school year 2026/27 with its first two terms and returns their ids.
func (f *fixture) terms() (term1, term2 int64) {
	year := f.id(`INSERT INTO academic_sessions (sourced_id, title, kind, school_year, start_date, end_date)
	              VALUES ('y2027', '2026/2027', 'school_year', 2027, '2026-09-01', '2027-05-31') RETURNING id`)
	term1 = f.id(`INSERT INTO academic_sessions (sourced_id, parent_id, title, kind, school_year, start_date, end_date)
	              VALUES ('t1', $1, '1 четверть', 'term', 2027, '2026-09-01', '2026-10-25') RETURNING id`, year)
	term2 = f.id(`INSERT INTO academic_sessions (sourced_id, parent_id, title, kind, school_year, start_date, end_date)
	              VALUES ('t2', $1, '2 четверть', 'term', 2027, '2026-11-05', '2026-12-28') RETURNING id`, year)
	f.exec(`UPDATE classes SET school_year_id = $1`, year)
	return term1, term2
}

// wantCode fails unless err carries the domain code.
func wantCode(t *testing.T, err error, code diary.Code) {
	t.Helper()
	if got := diary.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
}
