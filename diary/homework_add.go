package diary

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Homework a teacher sets from the phone.

// Bounds of homework a teacher sets: its text, in characters, and how far
// ahead it may be due.
const (
	MaxHomeworkLength  = 2000
	MaxHomeworkDaysOut = 90
)

// lessonSearchDays is how far ahead the next lesson is looked for: past the
// longest holidays of a school year.
const lessonSearchDays = 70

// CheckHomeworkDue refuses a due date before today or too far ahead.
func CheckHomeworkDue(today, due time.Time) error {
	if due.Before(today) || due.After(today.AddDate(0, 0, MaxHomeworkDaysOut)) {
		return refuse(EINVALID, ReasonHomeworkDueOut, map[string]any{"Count": MaxHomeworkDaysOut},
			"homework due %s, today is %s", due.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	return nil
}

// CheckHomeworkText refuses empty homework or one over MaxHomeworkLength.
func CheckHomeworkText(text string) error {
	return checkLength(ReasonHomeworkLength, "homework", text, MaxHomeworkLength)
}

// NextLesson returns the date of the next lesson of a class the teacher
// teaches after today: a lesson of the timetable that is not cancelled or moved
// away, or one moved in. ENOTFOUND when there is none for weeks (the end of the
// school year).
func (s *Store) NextLesson(ctx context.Context, a TeacherAccess) (time.Time, error) {
	if err := a.validClass(); err != nil {
		return time.Time{}, err
	}
	return s.nextLesson(ctx, a.Class, s.Today(a.School))
}

// nextLesson is NextLesson after the access check.
func (s *Store) nextLesson(ctx context.Context, class ClassID, today time.Time) (time.Time, error) {
	const sql = `
SELECT d::date FROM generate_series($2::date + 1, $2::date + $3::int, interval '1 day') d
WHERE EXISTS (SELECT FROM timetable_entries t
              WHERE t.class_id = $1 AND t.weekday = extract(isodow FROM d)::smallint AND t.valid @> d::date
                AND NOT EXISTS (SELECT FROM lesson_changes ch
                                WHERE ch.class_id = t.class_id AND ch.lesson_date = d::date AND ch.period = t.period
                                  AND ch.kind IN ('cancelled', 'moved')))
   OR EXISTS (SELECT FROM lesson_changes ch WHERE ch.class_id = $1 AND ch.kind = 'moved' AND ch.moved_to_date = d::date)
ORDER BY d
LIMIT 1`
	var next time.Time
	err := s.db.QueryRow(ctx, sql, class, today, lessonSearchDays).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, Errorf(ENOTFOUND, "class %d has no lesson in the next %d days", class, lessonSearchDays)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("next lesson of class %d: %w", class, err)
	}
	return next, nil
}

// NewHomework is homework a teacher sets for a section class.
type NewHomework struct {
	Due  time.Time // zero: the class's next lesson
	Text string
}

// AddedHomework is what AddHomework wrote.
type AddedHomework struct {
	ID       int64
	Due      time.Time
	Notified bool // due today or tomorrow: pupils and families are told now
}

// AddHomework sets homework for the subject class of the teacher's access.
// Homework due today or tomorrow is told to the class's pupils and families at
// once; later homework shows in the diary and the evening digest.
func (s *Store) AddHomework(ctx context.Context, a TeacherAccess, h NewHomework) (AddedHomework, error) {
	if err := a.validClass(); err != nil {
		return AddedHomework{}, err
	}
	h.Text = strings.TrimSpace(h.Text)
	if err := CheckHomeworkText(h.Text); err != nil {
		return AddedHomework{}, err
	}
	today := s.Today(a.School)
	added := AddedHomework{Due: h.Due}
	if added.Due.IsZero() {
		var err error
		if added.Due, err = s.nextLesson(ctx, a.Class, today); err != nil {
			return AddedHomework{}, err
		}
	}
	if err := CheckHomeworkDue(today, added.Due); err != nil {
		return AddedHomework{}, err
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, a.LinkID, LessonRef{Class: a.Class}); err != nil {
			return err
		}
		// Only a subject class has homework: a homeroom has no lessons of its own.
		const q = `
INSERT INTO assignments (class_id, kind, description, assigned_on, due_on, created_by, created_at, updated_at)
SELECT id, 'homework', $2, $3, $4, $5, $6, $6 FROM classes WHERE id = $1 AND kind = 'section'
RETURNING id`
		err := tx.QueryRow(ctx, q, a.Class, h.Text, today, added.Due, a.Teacher.ID, s.Now()).Scan(&added.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return Errorf(EINVALID, "class %d is not a subject class", a.Class)
		}
		if err != nil {
			return fmt.Errorf("add homework to class %d: %w", a.Class, err)
		}
		if added.Notified = !added.Due.After(today.AddDate(0, 0, 1)); added.Notified {
			n := NewNotice{Kind: NoticeHomework, School: a.School.ID, Class: a.Class, Ref: added.ID, Author: a.Teacher.ID}
			if _, err := s.addNotice(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEntry{Account: a.Account, Teacher: a.Teacher.ID, Action: "homework.add", Class: a.Class,
			Ref: added.ID, Detail: map[string]any{"due": added.Due.Format(time.DateOnly)}})
	})
	if err != nil {
		return AddedHomework{}, err
	}
	return added, nil
}
