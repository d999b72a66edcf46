package diary

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Marks a teacher gives at a lesson from the phone: a grade, an absence or a
// late arrival, a remark. Each is written with its notice and its audit entry
// in one transaction; the notice waits GradeGrace, so a mis-tap undone at once
// tells no one, and undoing removes the row and the notice still waiting.

// Attendance statuses a teacher marks.
const (
	Absent = "absent"
	Late   = "late"
)

// Remark kinds.
const (
	Praise  = "praise"
	Warning = "warning"
)

// MaxRemarkLength bounds a remark's text, in characters.
const MaxRemarkLength = 500

// markAt runs write in a transaction if the teacher may still act at the
// lesson (stillTeaches) and the pupil is in its class; not at a lesson still
// to come. write checks its own arguments, after the access.
func (s *Store) markAt(ctx context.Context, a LessonAccess, pupil PersonID, write func(tx pgx.Tx, ref LessonRef) error) error {
	if err := a.valid(); err != nil {
		return err
	}
	ref := a.Lesson.Ref()
	if ref.Date.After(s.Today(a.Lesson.School)) {
		return Errorf(EINVALID, "marks at a lesson on %s, still to come", ref.Date.Format(time.DateOnly))
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, a.LinkID, ref); err != nil {
			return err
		}
		const q = `
SELECT EXISTS (SELECT FROM enrollments e JOIN people p ON p.id = e.person_id AND p.active
               WHERE e.class_id = $1 AND e.person_id = $2 AND e.role = 'student' AND e.active)`
		var enrolled bool
		if err := tx.QueryRow(ctx, q, ref.Class, pupil).Scan(&enrolled); err != nil {
			return fmt.Errorf("check pupil %d in class %d: %w", pupil, ref.Class, err)
		}
		if !enrolled {
			return refuse(EFORBIDDEN, ReasonNotYourClass, nil, "pupil %d is not in class %d", pupil, ref.Class)
		}
		return write(tx, ref)
	})
}

// auditMark is the audit entry of a mark at a lesson.
func auditMark(a LessonAccess, action string, pupil PersonID, id int64, detail map[string]any) AuditEntry {
	if detail == nil {
		detail = map[string]any{}
	}
	ref := a.Lesson.Ref()
	detail["date"], detail["period"] = ref.Date.Format(time.DateOnly), ref.Period
	return AuditEntry{Account: a.Account, Teacher: a.Teacher.ID, Action: action, Class: ref.Class, Pupil: pupil, Ref: id, Detail: detail}
}

// markNotice is the notice of a mark at a lesson, told after GradeGrace.
func markNotice(a LessonAccess, kind NoticeKind, action NoticeAction, pupil PersonID, id int64) NewNotice {
	return NewNotice{Kind: kind, Action: action, School: a.Lesson.School.ID, Class: a.Lesson.Class, Pupil: pupil, Ref: id,
		Author: a.Teacher.ID, Delay: GradeGrace}
}

// newOrChanged is the notice action of an upsert.
func newOrChanged(inserted bool) NoticeAction {
	if inserted {
		return ActionNew
	}
	return ActionChanged
}

// SetGrade gives the pupil a grade at the lesson, on the school's scale,
// replacing the one given there before.
func (s *Store) SetGrade(ctx context.Context, a LessonAccess, pupil PersonID, score int) error {
	return s.markAt(ctx, a, pupil, func(tx pgx.Tx, ref LessonRef) error {
		if scale := a.Lesson.School; score < scale.GradeMin || score > scale.GradeMax {
			return Errorf(EINVALID, "grade %d outside the scale %d..%d", score, scale.GradeMin, scale.GradeMax)
		}
		// The score it replaces, read in the same statement (the upsert's
		// RETURNING sees only the new row), for the push to say what it was.
		const q = `
WITH before AS (SELECT score FROM grades
                WHERE class_id = $1 AND graded_on = $4 AND period = $5 AND pupil_id = $2)
INSERT INTO grades (class_id, pupil_id, score, graded_on, period, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (class_id, graded_on, period, pupil_id) WHERE period IS NOT NULL
DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at
RETURNING id, xmax = 0, (SELECT score::float8 FROM before)`
		var id int64
		var inserted bool
		var old *float64
		if err := tx.QueryRow(ctx, q, ref.Class, pupil, score, ref.Date, ref.Period, s.Now()).Scan(&id, &inserted, &old); err != nil {
			return fmt.Errorf("grade pupil %d in class %d: %w", pupil, ref.Class, err)
		}
		n := markNotice(a, NoticeGrade, newOrChanged(inserted), pupil, id)
		n.OldScore = old
		if _, err := s.addNotice(ctx, tx, n); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditMark(a, "grade.set", pupil, id, map[string]any{"score": score}))
	})
}

// ClearGrade takes back the pupil's grade at the lesson, if any. A notice of
// it still waiting goes with it; one already sent is not followed by another.
func (s *Store) ClearGrade(ctx context.Context, a LessonAccess, pupil PersonID) error {
	return s.markAt(ctx, a, pupil, func(tx pgx.Tx, ref LessonRef) error {
		const q = `DELETE FROM grades WHERE class_id = $1 AND graded_on = $2 AND period = $3 AND pupil_id = $4 RETURNING id`
		return s.undoMark(ctx, tx, a, NoticeGrade, "grade.clear", pupil, q, ref.Class, ref.Date, ref.Period, pupil)
	})
}

// undoMark deletes a mark with a DELETE … RETURNING id, and its notice still
// waiting, and audits it. Nothing to delete is no error: the undo is done.
func (s *Store) undoMark(ctx context.Context, tx pgx.Tx, a LessonAccess, kind NoticeKind, action string,
	pupil PersonID, del string, args ...any) error {
	var id int64
	err := tx.QueryRow(ctx, del, args...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s for pupil %d: %w", action, pupil, err)
	}
	const unsent = `DELETE FROM notices WHERE kind = $1 AND ref_id = $2 AND fanned_out_at IS NULL`
	if _, err := tx.Exec(ctx, unsent, kind, id); err != nil {
		return fmt.Errorf("withdraw %s notice %d: %w", kind, id, err)
	}
	return s.audit(ctx, tx, auditMark(a, action, pupil, id, nil))
}

// SetAttendance marks the pupil absent or late at the lesson; status "" takes
// the mark back.
func (s *Store) SetAttendance(ctx context.Context, a LessonAccess, pupil PersonID, status string) error {
	return s.markAt(ctx, a, pupil, func(tx pgx.Tx, ref LessonRef) error {
		switch status {
		case Absent, Late:
		case "":
			const q = `DELETE FROM attendance WHERE pupil_id = $1 AND lesson_date = $2 AND period = $3 RETURNING id`
			return s.undoMark(ctx, tx, a, NoticeAttendance, "attendance.clear", pupil, q, pupil, ref.Date, ref.Period)
		default:
			return Errorf(EINVALID, "attendance status %q", status)
		}
		const q = `
INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (pupil_id, lesson_date, period)
DO UPDATE SET class_id = excluded.class_id, status = excluded.status, excused = false, reason = ''
RETURNING id, xmax = 0`
		var id int64
		var inserted bool
		if err := tx.QueryRow(ctx, q, ref.Class, pupil, ref.Date, ref.Period, status, s.Now()).Scan(&id, &inserted); err != nil {
			return fmt.Errorf("mark pupil %d %s: %w", pupil, status, err)
		}
		if _, err := s.addNotice(ctx, tx, markNotice(a, NoticeAttendance, newOrChanged(inserted), pupil, id)); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditMark(a, "attendance.set", pupil, id, map[string]any{"status": status}))
	})
}

// CheckRemark refuses an empty remark or one over MaxRemarkLength.
func CheckRemark(text string) error {
	return checkLength(ReasonRemarkLength, "remark", text, MaxRemarkLength)
}

// AddRemark gives the pupil a praise or a warning at the lesson and returns
// its id, for UndoRemark.
func (s *Store) AddRemark(ctx context.Context, a LessonAccess, pupil PersonID, kind, text string) (int64, error) {
	text = strings.TrimSpace(text)
	var id int64
	err := s.markAt(ctx, a, pupil, func(tx pgx.Tx, ref LessonRef) error {
		if kind != Praise && kind != Warning {
			return Errorf(EINVALID, "remark kind %q", kind)
		}
		if err := CheckRemark(text); err != nil {
			return err
		}
		const q = `
INSERT INTO remarks (pupil_id, class_id, author_id, kind, body, given_on, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`
		if err := tx.QueryRow(ctx, q, pupil, ref.Class, a.Teacher.ID, kind, text, ref.Date, s.Now()).Scan(&id); err != nil {
			return fmt.Errorf("remark on pupil %d: %w", pupil, err)
		}
		if _, err := s.addNotice(ctx, tx, markNotice(a, NoticeRemark, ActionNew, pupil, id)); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditMark(a, "remark.add", pupil, id, map[string]any{"kind": kind}))
	})
	return id, err
}

// UndoRemark takes back a remark the teacher gave at the lesson.
func (s *Store) UndoRemark(ctx context.Context, a LessonAccess, pupil PersonID, remark int64) error {
	return s.markAt(ctx, a, pupil, func(tx pgx.Tx, ref LessonRef) error {
		const q = `
DELETE FROM remarks WHERE id = $1 AND pupil_id = $2 AND class_id = $3 AND given_on = $4 AND author_id = $5 RETURNING id`
		return s.undoMark(ctx, tx, a, NoticeRemark, "remark.undo", pupil, q, remark, pupil, ref.Class, ref.Date, a.Teacher.ID)
	})
}
