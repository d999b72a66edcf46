package migrations_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// school is a minimal school: 7А with one enrolled pupil, 7Б with another, a teacher,
// an assignment in 7А and a Telegram account.
type school struct {
	db                         *pgxpool.Pool
	class7A, class7B           int64
	pupilA, pupilB, teacher    int64
	assignment7A, assignment7B int64
	account                    int64
}

func newSchool(t *testing.T) *school {
	t.Helper()
	s := &school{db: diarytest.New(t)}
	var schoolID, subject int64
	s.exec(t, `INSERT INTO schools (sourced_id, name) VALUES ('s1', 'Школа №1') RETURNING id`, &schoolID)
	s.exec(t, `INSERT INTO subjects (school_id, name) VALUES ($1, 'Математика') RETURNING id`, &subject, schoolID)
	s.exec(t, `INSERT INTO classes (sourced_id, school_id, title, kind) VALUES ('c7a', $1, '7А', 'homeroom') RETURNING id`, &s.class7A, schoolID)
	s.exec(t, `INSERT INTO classes (sourced_id, school_id, title, kind) VALUES ('c7b', $1, '7Б', 'homeroom') RETURNING id`, &s.class7B, schoolID)
	s.exec(t, `INSERT INTO people (sourced_id, school_id, role, family_name, given_name) VALUES ('p1', $1, 'student', 'Алёшина', 'Дарья') RETURNING id`, &s.pupilA, schoolID)
	s.exec(t, `INSERT INTO people (sourced_id, school_id, role, family_name, given_name) VALUES ('p2', $1, 'student', 'Ёлкин', 'Пётр') RETURNING id`, &s.pupilB, schoolID)
	s.exec(t, `INSERT INTO people (sourced_id, school_id, role, family_name, given_name) VALUES ('t1', $1, 'teacher', 'Иванова', 'Мария') RETURNING id`, &s.teacher, schoolID)
	s.exec(t, `INSERT INTO enrollments (class_id, person_id, role) VALUES ($1, $2, 'student'), ($3, $4, 'student'), ($1, $5, 'teacher')`, nil,
		s.class7A, s.pupilA, s.class7B, s.pupilB, s.teacher)
	s.exec(t, `INSERT INTO assignments (class_id, kind, title, due_on) VALUES ($1, 'test', 'Контрольная', '2026-11-27') RETURNING id`, &s.assignment7A, s.class7A)
	s.exec(t, `INSERT INTO assignments (class_id, kind, title, due_on) VALUES ($1, 'test', 'Контрольная', '2026-11-27') RETURNING id`, &s.assignment7B, s.class7B)
	s.exec(t, `INSERT INTO accounts (telegram_user_id, chat_id) VALUES (1001, 1001) RETURNING id`, &s.account)
	return s
}

// exec runs a statement that must succeed, scanning one returned value into dst.
func (s *school) exec(t *testing.T, sql string, dst *int64, args ...any) {
	t.Helper()
	var err error
	if dst != nil {
		err = s.db.QueryRow(context.Background(), sql, args...).Scan(dst)
	} else {
		_, err = s.db.Exec(context.Background(), sql, args...)
	}
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// rejects asserts that the statement fails on the named constraint, and that the row
// did not land.
func (s *school) rejects(t *testing.T, constraint, sql string, args ...any) {
	t.Helper()
	_, err := s.db.Exec(context.Background(), sql, args...)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Fatalf("want a violation of %s, got %v\n%s", constraint, err, sql)
	}
	if pgErr.ConstraintName != constraint {
		t.Fatalf("want a violation of %s, got %s (%s)\n%s", constraint, pgErr.ConstraintName, pgErr.Message, sql)
	}
}

func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	s := newSchool(t)

	t.Run("a second outbox row with the same key", func(t *testing.T) {
		const ins = `INSERT INTO outbox (dedup_key, kind, account_id, chat_id) VALUES ('digest:1:2026-11-28', 'digest', $1, 1001)`
		s.exec(t, ins, nil, s.account)
		s.rejects(t, "outbox_dedup_key_key", ins, s.account)
	})
	t.Run("a dropped message that does not say why", func(t *testing.T) {
		s.rejects(t, "outbox_ended_why",
			`INSERT INTO outbox (dedup_key, kind, account_id, chat_id, status) VALUES ('digest:2:2026-11-28', 'digest', $1, 1001, 'dropped')`, s.account)
	})
	t.Run("a grade for a pupil not enrolled in the class", func(t *testing.T) {
		s.rejects(t, "grades_enrolled",
			`INSERT INTO grades (class_id, pupil_id, assignment_id, score, graded_on) VALUES ($1, $2, $3, 5, '2026-11-27')`,
			s.class7A, s.pupilB, s.assignment7A)
	})
	t.Run("a grade filed under another class than its assignment's", func(t *testing.T) {
		s.rejects(t, "grades_assignment",
			`INSERT INTO grades (class_id, pupil_id, assignment_id, score, graded_on) VALUES ($1, $2, $3, 5, '2026-11-27')`,
			s.class7A, s.pupilA, s.assignment7B)
	})
	t.Run("a second result for the same assignment", func(t *testing.T) {
		const ins = `INSERT INTO grades (class_id, pupil_id, assignment_id, score, graded_on) VALUES ($1, $2, $3, 4, '2026-11-27')`
		s.exec(t, ins, nil, s.class7A, s.pupilA, s.assignment7A)
		s.rejects(t, "grades_assignment_id_pupil_id_key", ins, s.class7A, s.pupilA, s.assignment7A)
	})
	t.Run("a term grade without its term", func(t *testing.T) {
		s.rejects(t, "grades_session_kind",
			`INSERT INTO grades (class_id, pupil_id, kind, score, graded_on) VALUES ($1, $2, 'term', 5, '2026-12-25')`,
			s.class7A, s.pupilA)
	})
	t.Run("absence for a pupil not in the class", func(t *testing.T) {
		s.rejects(t, "attendance_enrolled",
			`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-27', 1, 'absent')`,
			s.class7A, s.pupilB)
	})
	t.Run("a duplicate link-code hash", func(t *testing.T) {
		const ins = `INSERT INTO link_codes (code_hash, role, person_id, expires_at) VALUES (sha256('ABCD-EFGH'), 'guardian', $1, now() + interval '14 days')`
		s.exec(t, ins, nil, s.pupilA)
		s.rejects(t, "link_codes_code_hash_key", ins, s.pupilB)
	})
	t.Run("a link code that is not a hash", func(t *testing.T) {
		s.rejects(t, "link_codes_code_hash_check",
			`INSERT INTO link_codes (code_hash, role, person_id, expires_at) VALUES ('ABCD-EFGH', 'guardian', $1, now() + interval '1 day')`,
			s.pupilA)
	})
	t.Run("a guardian link to someone who is not a pupil", func(t *testing.T) {
		s.rejects(t, "account_links_person",
			`INSERT INTO account_links (account_id, role, person_id) VALUES ($1, 'guardian', $2)`, s.account, s.teacher)
	})
	t.Run("a trusted person without the guardian who invited them", func(t *testing.T) {
		s.rejects(t, "account_links_trusted",
			`INSERT INTO account_links (account_id, role, person_id) VALUES ($1, 'trusted', $2)`, s.account, s.pupilA)
	})
	t.Run("a second live link of the same kind", func(t *testing.T) {
		const ins = `INSERT INTO account_links (account_id, role, person_id) VALUES ($1, 'guardian', $2)`
		s.exec(t, ins, nil, s.account, s.pupilA)
		s.rejects(t, "account_links_live_idx", ins, s.account, s.pupilA)
		// Once revoked, the same account may be linked again.
		s.exec(t, `UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, nil, s.account)
		s.exec(t, ins, nil, s.account, s.pupilA)
	})
	t.Run("two lessons of one class in one period", func(t *testing.T) {
		var subject int64
		s.exec(t, `SELECT id FROM subjects LIMIT 1`, &subject)
		const ins = `INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, valid)
		             VALUES ($1, 1, 1, '08:30', '09:15', $2, daterange($3::date, $4::date, '[]'))`
		s.exec(t, ins, nil, s.class7A, subject, "2026-09-01", "2026-12-31")
		s.rejects(t, "timetable_entries_no_overlap", ins, s.class7A, subject, "2026-12-01", "2027-05-31")
		// The next validity range may start where the old one ended.
		s.exec(t, ins, nil, s.class7A, subject, "2027-01-01", "2027-05-31")
	})
	t.Run("a school in an unknown time zone", func(t *testing.T) {
		s.rejects(t, "schools_time_zone_check",
			`INSERT INTO schools (sourced_id, name, time_zone) VALUES ('s2', 'Школа №2', 'Europe/Atlantis')`)
	})
	t.Run("a diary signature for a week that does not start on Monday", func(t *testing.T) {
		s.rejects(t, "diary_signatures_monday",
			`INSERT INTO diary_signatures (pupil_id, week_start, account_id) VALUES ($1, '2026-11-28', $2)`, s.pupilA, s.account)
	})
	t.Run("a second answer to the same meeting", func(t *testing.T) {
		var schoolID, event int64
		s.exec(t, `SELECT id FROM schools WHERE sourced_id = 's1'`, &schoolID)
		s.exec(t, `INSERT INTO events (school_id, class_id, kind, title, starts_at) VALUES ($1, $2, 'meeting', 'Собрание', '2026-12-03 18:00+03') RETURNING id`,
			&event, schoolID, s.class7A)
		const ins = `INSERT INTO event_rsvps (event_id, account_id, answer) VALUES ($1, $2, 'yes')`
		s.exec(t, ins, nil, event, s.account)
		s.rejects(t, "event_rsvps_pkey", ins, event, s.account)
	})
}
