package diary

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Lesson changes a teacher makes from the phone: a lesson cancelled, given by
// a substitute, in another room, or moved to another slot.

// Bounds of a lesson change: how far ahead, and the length of its texts.
const (
	MaxChangeDaysOut = 90
	MaxRoomLength    = 32
	MaxNoteLength    = 300
	MaxPeriod        = 20 // the last period of a day the timetable allows
)

// NewLessonChange is a change to one lesson of the timetable. Substitute is
// for ChangeSubstitute, Room for ChangeRoom (and optional otherwise), MovedTo
// and MovedToPeriod for ChangeMoved.
type NewLessonChange struct {
	LessonRef
	Kind          ChangeKind
	Substitute    PersonID
	Room          string
	MovedTo       time.Time
	MovedToPeriod int
	Note          string
}

// AddedLessonChange is what AddLessonChange wrote.
type AddedLessonChange struct {
	ID       int64
	Notified bool // for today or tomorrow: pupils and families are told now
}

// AddLessonChange records a change to a lesson of the class of the teacher's
// access (a change naming another class is refused), replacing an earlier
// change of the same lesson. A change for today or tomorrow (or a lesson moved
// to one of them) is told to the class at once.
func (s *Store) AddLessonChange(ctx context.Context, a TeacherAccess, c NewLessonChange) (AddedLessonChange, error) {
	if err := a.validClass(); err != nil {
		return AddedLessonChange{}, err
	}
	if c.Class != a.Class {
		return AddedLessonChange{}, refuse(EFORBIDDEN, ReasonNotYourClass, nil, "a change to class %d with access to class %d",
			c.Class, a.Class)
	}
	c.Room, c.Note = strings.TrimSpace(c.Room), strings.TrimSpace(c.Note)
	if err := c.checkFields(); err != nil {
		return AddedLessonChange{}, err
	}
	today := s.Today(a.School)
	if err := s.checkChangeSlots(ctx, c, today); err != nil {
		return AddedLessonChange{}, err
	}
	var added AddedLessonChange
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, a.LinkID, LessonRef{Class: a.Class}); err != nil {
			return err
		}
		if c.Kind == ChangeSubstitute {
			if err := checkSubstitute(ctx, tx, a.School.ID, c.Substitute); err != nil {
				return err
			}
		}
		const q = `
INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id, room, moved_to_date, moved_to_period,
                            note, created_by, created_at)
VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, ''), $7, nullif($8, 0), $9, $10, $11)
ON CONFLICT (class_id, lesson_date, period) DO UPDATE
SET kind = excluded.kind, substitute_teacher_id = excluded.substitute_teacher_id, room = excluded.room,
    moved_to_date = excluded.moved_to_date, moved_to_period = excluded.moved_to_period, note = excluded.note,
    created_by = excluded.created_by, created_at = excluded.created_at
RETURNING id, xmax = 0`
		var movedTo *time.Time
		if c.Kind == ChangeMoved {
			movedTo = &c.MovedTo
		}
		var inserted bool
		err := tx.QueryRow(ctx, q, c.Class, c.Date, c.Period, c.Kind, c.Substitute, c.Room, movedTo, c.MovedToPeriod,
			c.Note, a.Teacher.ID, s.Now()).Scan(&added.ID, &inserted)
		if err != nil {
			return fmt.Errorf("change lesson of class %d: %w", c.Class, err)
		}
		if added.Notified = c.soon(today); added.Notified {
			n := NewNotice{Kind: NoticeSchedule, Action: newOrChanged(inserted), School: a.School.ID, Class: c.Class,
				Ref: added.ID, Author: a.Teacher.ID}
			if _, err := s.addNotice(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEntry{Account: a.Account, Teacher: a.Teacher.ID, Action: "lesson.change", Class: c.Class,
			Ref: added.ID, Detail: c.auditDetail()})
	})
	if err != nil {
		return AddedLessonChange{}, err
	}
	return added, nil
}

// checkFields checks what needs no database: the kind and its details.
func (c NewLessonChange) checkFields() error {
	if utf8.RuneCountInString(c.Note) > MaxNoteLength {
		return refuse(EINVALID, ReasonChangeInvalid, nil, "lesson change note of %d characters", utf8.RuneCountInString(c.Note))
	}
	if c.Room != "" || c.Kind == ChangeRoom {
		if err := CheckRoom(c.Room); err != nil {
			return err
		}
	}
	switch c.Kind {
	case ChangeCancelled, ChangeRoom:
		return nil
	case ChangeSubstitute:
		if c.Substitute != 0 {
			return nil
		}
	case ChangeMoved:
		if !c.MovedTo.IsZero() && c.MovedToPeriod >= 1 && c.MovedToPeriod <= MaxPeriod &&
			(!c.MovedTo.Equal(c.Date) || c.MovedToPeriod != c.Period) {
			return nil
		}
	}
	return refuse(EINVALID, ReasonChangeInvalid, nil, "lesson change %q without its details", c.Kind)
}

// CheckRoom refuses an empty room or one over MaxRoomLength.
func CheckRoom(room string) error { return checkLength(ReasonRoomLength, "room", room, MaxRoomLength) }

// CheckChangeDate refuses a lesson change (or a move) to a day before today or
// too far ahead.
func CheckChangeDate(today, d time.Time) error {
	if d.Before(today) || d.After(today.AddDate(0, 0, MaxChangeDaysOut)) {
		return refuse(EINVALID, ReasonChangeDateOut, map[string]any{"Count": MaxChangeDaysOut},
			"lesson change on %s, today is %s", d.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	return nil
}

// CheckMove refuses a move to a day CheckChangeDate refuses or to a period
// no day has.
func CheckMove(today, d time.Time, period int) error {
	if period < 1 || period > MaxPeriod {
		return refuse(EINVALID, ReasonPeriodOut, map[string]any{"Max": MaxPeriod}, "move to period %d", period)
	}
	return CheckChangeDate(today, d)
}

// checkChangeSlots checks the dates, that the lesson is in the timetable, and
// that the slot a lesson moves to is free for the class and its pupils.
func (s *Store) checkChangeSlots(ctx context.Context, c NewLessonChange, today time.Time) error {
	if err := CheckChangeDate(today, c.Date); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	lessons, err := s.lessonsOn(ctx, 0, c.Date, c.Class, c.Period)
	if err != nil {
		return err
	}
	planned := func(l TeacherLesson) bool { return l.Change == nil || l.Change.MovedFrom.IsZero() }
	if !slices.ContainsFunc(lessons, planned) {
		return refuse(EINVALID, ReasonChangeInvalid, nil, "class %d has no lesson at period %d on %s", c.Class, c.Period,
			c.Date.Format(time.DateOnly))
	}
	if c.Kind != ChangeMoved {
		return nil
	}
	if err := CheckMove(today, c.MovedTo, c.MovedToPeriod); err != nil {
		return err
	}
	var taken bool
	err = s.db.QueryRow(ctx, slotTakenSQL, c.Class, c.MovedTo, c.MovedToPeriod, c.Date, c.Period).Scan(&taken)
	if err != nil {
		return fmt.Errorf("check the slot of class %d: %w", c.Class, err)
	}
	if taken {
		return refuse(EINVALID, ReasonChangeInvalid, nil, "class %d or its pupils have a lesson at period %d on %s", c.Class, c.MovedToPeriod,
			c.MovedTo.Format(time.DateOnly))
	}
	return nil
}

// slotTakenSQL tells whether the class ($1) or any class sharing a pupil with
// it has a lesson held on a date ($2) at a period ($3): one of the timetable
// not cancelled or moved away, or one moved in, other than the lesson being
// moved ($4, $5) moved there before.
const slotTakenSQL = `
WITH classes AS (
    SELECT $1::bigint AS class_id
    UNION
    SELECT other.class_id FROM enrollments me
    JOIN enrollments other ON other.person_id = me.person_id AND other.role = 'student' AND other.active
    WHERE me.class_id = $1 AND me.role = 'student' AND me.active)
SELECT EXISTS (
    SELECT FROM classes k
    JOIN timetable_entries t ON t.class_id = k.class_id AND t.period = $3
         AND t.weekday = extract(isodow FROM $2::date)::smallint AND t.valid @> $2::date
    WHERE NOT EXISTS (SELECT FROM lesson_changes ch WHERE ch.class_id = t.class_id AND ch.lesson_date = $2::date
                      AND ch.period = t.period AND ch.kind IN ('cancelled', 'moved')))
OR EXISTS (
    SELECT FROM classes k
    JOIN lesson_changes ch ON ch.class_id = k.class_id AND ch.kind = 'moved'
         AND ch.moved_to_date = $2::date AND ch.moved_to_period = $3
    WHERE NOT (ch.class_id = $1 AND ch.lesson_date = $4::date AND ch.period = $5))`

// checkSubstitute refuses a substitute who is not an active teacher of the school.
func checkSubstitute(ctx context.Context, tx pgx.Tx, school SchoolID, teacher PersonID) error {
	const q = `SELECT EXISTS (SELECT FROM people WHERE id = $1 AND role = 'teacher' AND active AND school_id = $2)`
	var ok bool
	if err := tx.QueryRow(ctx, q, teacher, school).Scan(&ok); err != nil {
		return fmt.Errorf("check substitute %d: %w", teacher, err)
	}
	if !ok {
		return Errorf(EINVALID, "person %d is not a teacher of school %d", teacher, school)
	}
	return nil
}

// soon tells whether the change is for today or tomorrow, either end of a move.
func (c NewLessonChange) soon(today time.Time) bool {
	tomorrow := today.AddDate(0, 0, 1)
	near := func(d time.Time) bool { return !d.IsZero() && !d.Before(today) && !d.After(tomorrow) }
	return near(c.Date) || (c.Kind == ChangeMoved && near(c.MovedTo))
}

// auditDetail is the change for the audit log: ids and values, not the note.
func (c NewLessonChange) auditDetail() map[string]any {
	d := map[string]any{"date": c.Date.Format(time.DateOnly), "period": c.Period, "kind": c.Kind}
	switch c.Kind {
	case ChangeSubstitute:
		d["substitute"] = c.Substitute
	case ChangeMoved:
		d["moved_to"], d["moved_to_period"] = c.MovedTo.Format(time.DateOnly), c.MovedToPeriod
	}
	if c.Room != "" {
		d["room"] = c.Room
	}
	return d
}

// FindTeachers returns the active teachers of the class's school whose family
// name starts with name, at most ten: the substitute a teacher types.
func (s *Store) FindTeachers(ctx context.Context, a TeacherAccess, name string) ([]Person, error) {
	if err := a.validClass(); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := checkLength(ReasonTeacherName, "teacher name", name, 64); err != nil {
		return nil, err
	}
	// lower() of the column follows its ICU collation; the database's own may
	// not know Cyrillic, so the name is lowered here.
	const q = `
SELECT id, family_name, given_name, middle_name FROM people
WHERE school_id = $1 AND role = 'teacher' AND active AND starts_with(lower(family_name), $2)
ORDER BY family_name, given_name, middle_name, id
LIMIT 10`
	rows, _ := s.db.Query(ctx, q, a.School.ID, strings.ToLower(name))
	people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Person, error) {
		var p Person
		err := row.Scan(&p.ID, &p.FamilyName, &p.GivenName, &p.MiddleName)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("find teachers of school %d: %w", a.School.ID, err)
	}
	return people, nil
}
