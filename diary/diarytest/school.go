package diarytest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/samples/demo"
)

// How tests seed a school, in one place: Demo for the demo school the bot,
// the worker and the commands are tested on, School for a school built row
// by row (the diary's own tests), AddFamilies for classes of linked
// families, Notice for a notice as a teacher's write leaves it.

// Demo returns a fresh database holding the demo school around today (a date
// value), and the school's ids.
func Demo(t testing.TB, today time.Time) (*pgxpool.Pool, demo.School) {
	t.Helper()
	db := New(t)
	return db, SeedDemo(t, db, today)
}

// SeedDemo writes the demo school into db, for a test that opens its database
// its own way.
func SeedDemo(t testing.TB, db *pgxpool.Pool, today time.Time) demo.School {
	t.Helper()
	school, err := demo.Seed(context.Background(), db, today)
	if err != nil {
		t.Fatal(err)
	}
	return school
}

// School builds a school in a test's database, one row at a time. C, P, A
// and R are the caller's types of class, person and account ids and of a
// link's role (the diary's own, which this package cannot import: the
// diary's internal tests use it).
type School[C, P, A ~int64, R ~string] struct {
	t        testing.TB
	DB       *pgxpool.Pool
	ID       int64 // the school's
	nextUser int64
}

// NewSchool adds a school, "Школа №1", to db.
func NewSchool[C, P, A ~int64, R ~string](t testing.TB, db *pgxpool.Pool) *School[C, P, A, R] {
	s := &School[C, P, A, R]{t: t, DB: db, nextUser: 1000}
	s.ID = s.Insert(`INSERT INTO schools (sourced_id, name) VALUES ('s1', 'Школа №1') RETURNING id`)
	return s
}

// SchoolOf builds on in a school already in db (its sourced id), the demo
// school, say.
func SchoolOf[C, P, A ~int64, R ~string](t testing.TB, db *pgxpool.Pool, sourcedID string) *School[C, P, A, R] {
	s := &School[C, P, A, R]{t: t, DB: db, nextUser: 1000}
	if err := db.QueryRow(context.Background(), `SELECT id FROM schools WHERE sourced_id = $1`, sourcedID).Scan(&s.ID); err != nil {
		t.Fatalf("school %s: %v", sourcedID, err)
	}
	return s
}

// Insert runs an INSERT … RETURNING id: a row no other method makes.
func (s *School[C, P, A, R]) Insert(sql string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// Exec runs a statement that sets a state no method sets.
func (s *School[C, P, A, R]) Exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

// Subject returns the school's subject of that name, adding it if new.
func (s *School[C, P, A, R]) Subject(name string) int64 {
	return s.Insert(`INSERT INTO subjects (school_id, name) VALUES ($1, $2)
	                 ON CONFLICT (school_id, name) DO UPDATE SET name = excluded.name RETURNING id`, s.ID, name)
}

// Homeroom adds a homeroom class, e.g. "7А".
func (s *School[C, P, A, R]) Homeroom(title string) C {
	return C(s.Insert(`INSERT INTO classes (sourced_id, school_id, title, kind) VALUES ($1, $2, $1, 'homeroom') RETURNING id`,
		title, s.ID))
}

// Section adds a subject class, e.g. "7А Математика".
func (s *School[C, P, A, R]) Section(title, subject string) C {
	return C(s.Insert(`INSERT INTO classes (sourced_id, school_id, title, kind, subject_id) VALUES ($1, $2, $1, 'section', $3) RETURNING id`,
		title, s.ID, s.Subject(subject)))
}

// Person adds a person of the role (student, teacher, guardian).
func (s *School[C, P, A, R]) Person(role, family, given string) P {
	s.nextUser++
	return P(s.Insert(`INSERT INTO people (sourced_id, school_id, role, family_name, given_name) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		fmt.Sprint("u", s.nextUser), s.ID, role, family, given))
}

// Pupil adds a pupil enrolled in the classes.
func (s *School[C, P, A, R]) Pupil(family, given string, classes ...C) P {
	return s.enrolled("student", family, given, classes)
}

// Teacher adds a teacher of the classes.
func (s *School[C, P, A, R]) Teacher(family, given string, classes ...C) P {
	return s.enrolled("teacher", family, given, classes)
}

func (s *School[C, P, A, R]) enrolled(role, family, given string, classes []C) P {
	p := s.Person(role, family, given)
	for _, c := range classes {
		s.Exec(`INSERT INTO enrollments (class_id, person_id, role) VALUES ($1, $2, $3)`, c, p, role)
	}
	return p
}

// Account adds a Telegram account whose chat is its user id.
func (s *School[C, P, A, R]) Account() A {
	s.nextUser++
	return A(s.Insert(`INSERT INTO accounts (telegram_user_id, chat_id) VALUES ($1, $1) RETURNING id`, s.nextUser))
}

// Link links an account to a person in the role (guardian, student, teacher,
// trusted), valid for the school year 2026/27; it returns the link's id.
func (s *School[C, P, A, R]) Link(a A, p P, role R) int64 {
	return s.Insert(`INSERT INTO account_links (account_id, person_id, role, valid_from, valid_until)
	                 VALUES ($1, $2, $3, '2026-09-01', '2027-08-31') RETURNING id`, a, p, role)
}

// Guardian makes an account linked as guardian of the pupil.
func (s *School[C, P, A, R]) Guardian(p P) A {
	a := s.Account()
	s.Link(a, p, "guardian")
	return a
}

// Lesson adds a timetable entry of the class valid all school year; teacher 0
// is none.
func (s *School[C, P, A, R]) Lesson(class C, weekday, period int, starts, ends, subject string, teacher P, room string) {
	s.Exec(`INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid)
	        VALUES ($1, $2, $3, $4, $5, $6, nullif($7, 0), $8, daterange('2026-09-01', '2027-05-31', '[]'))`,
		class, weekday, period, starts, ends, s.Subject(subject), int64(teacher), room)
}

// Homework adds homework for the class, set on assigned and due on due.
func (s *School[C, P, A, R]) Homework(class C, assigned, due, text string) int64 {
	return s.Insert(`INSERT INTO assignments (class_id, kind, title, description, assigned_on, due_on)
	                 VALUES ($1, 'homework', 'Домашнее задание', $2, $3, $4) RETURNING id`, class, text, assigned, due)
}

// Grade gives the pupil a current grade for a new piece of work due on date.
func (s *School[C, P, A, R]) Grade(class C, p P, date string, score, weight float64) {
	a := s.Insert(`INSERT INTO assignments (class_id, kind, title, due_on, weight) VALUES ($1, 'test', 'Работа', $2, $3) RETURNING id`,
		class, date, weight)
	s.Exec(`INSERT INTO grades (class_id, pupil_id, assignment_id, score, weight, graded_on) VALUES ($1, $2, $3, $4, $5, $6)`,
		class, p, a, score, weight, date)
}

// Terms adds the school year 2026/27 with its first two terms, puts every
// class in it, and returns the terms' ids.
func (s *School[C, P, A, R]) Terms() (term1, term2 int64) {
	year := s.Insert(`INSERT INTO academic_sessions (sourced_id, title, kind, school_year, start_date, end_date)
	                  VALUES ('y2027', '2026/2027', 'school_year', 2027, '2026-09-01', '2027-05-31') RETURNING id`)
	term1 = s.Insert(`INSERT INTO academic_sessions (sourced_id, parent_id, title, kind, school_year, start_date, end_date)
	                  VALUES ('t1', $1, '1 четверть', 'term', 2027, '2026-09-01', '2026-10-25') RETURNING id`, year)
	term2 = s.Insert(`INSERT INTO academic_sessions (sourced_id, parent_id, title, kind, school_year, start_date, end_date)
	                  VALUES ('t2', $1, '2 четверть', 'term', 2027, '2026-11-05', '2026-12-28') RETURNING id`, year)
	s.Exec(`UPDATE classes SET school_year_id = $1`, year)
	return term1, term2
}
