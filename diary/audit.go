package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditFilter narrows the audit log; its zero value is the whole log.
type AuditFilter struct {
	Since   time.Time // from this instant on; zero: from the start
	Teacher string    // the teacher's sourced id; "": every teacher
	Class   string    // the class's sourced id; "": every class
}

// AuditRecord is one action of the audit log.
type AuditRecord struct {
	At               time.Time
	Actor            string // ActorTeacher, ActorSchool or ActorFamily
	TeacherSourcedID string // the teacher's sourced id; "" unless Actor is ActorTeacher
	Teacher          Person
	Action           string
	Class            string // the class's title; "" for none
	PupilSourcedID   string // "" for none
	Ref              int64  // the notice, event or record acted on; 0 for none
	Detail           string // ids and values as JSON
}

// Audit lists the audit log, oldest first. A teacher or class the filter
// names that does not exist is ENOTFOUND, so that a typo is not "no actions".
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	if err := s.mustExist(ctx, sourced{teacher: f.Teacher, class: f.Class}); err != nil {
		return nil, err
	}
	const q = `
SELECT a.at, a.actor, coalesce(t.sourced_id, ''), coalesce(t.family_name, ''), coalesce(t.given_name, ''),
       coalesce(t.middle_name, ''), a.action,
       coalesce(c.title, ''), coalesce(p.sourced_id, ''), coalesce(a.ref_id, 0), a.detail::text
FROM audit_log a
LEFT JOIN people t ON t.id = a.teacher_id
LEFT JOIN classes c ON c.id = a.class_id
LEFT JOIN people p ON p.id = a.pupil_id
WHERE a.at >= $1 AND ($2 = '' OR t.sourced_id = $2) AND ($3 = '' OR c.sourced_id = $3)
ORDER BY a.at, a.id`
	rows, _ := s.db.Query(ctx, q, f.Since, f.Teacher, f.Class)
	records, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditRecord, error) {
		var r AuditRecord
		err := row.Scan(&r.At, &r.Actor, &r.TeacherSourcedID, &r.Teacher.FamilyName, &r.Teacher.GivenName, &r.Teacher.MiddleName, &r.Action,
			&r.Class, &r.PupilSourcedID, &r.Ref, &r.Detail)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	return records, nil
}

// sourced names a command line's filter by sourced ids; "" for none.
type sourced struct{ teacher, class, pupil string }

// mustExist is ENOTFOUND for a sourced id of s that names nothing, so that a
// typo in a filter is not taken for "none".
func (s *Store) mustExist(ctx context.Context, ids sourced) error {
	for _, check := range []struct{ what, id, q string }{
		{"teacher", ids.teacher, `SELECT EXISTS (SELECT FROM people WHERE sourced_id = $1 AND role = 'teacher')`},
		{"class", ids.class, `SELECT EXISTS (SELECT FROM classes WHERE sourced_id = $1)`},
		{"pupil", ids.pupil, `SELECT EXISTS (SELECT FROM people WHERE sourced_id = $1 AND role = 'student')`},
	} {
		if check.id == "" {
			continue
		}
		var exists bool
		if err := s.db.QueryRow(ctx, check.q, check.id).Scan(&exists); err != nil {
			return fmt.Errorf("find %s %q: %w", check.what, check.id, err)
		}
		if !exists {
			return Errorf(ENOTFOUND, "%s %q", check.what, check.id)
		}
	}
	return nil
}

// Who acted, in the audit log.
const (
	ActorTeacher = "teacher" // a teacher in the bot: Teacher is set
	ActorSchool  = "school"  // the school's administrator at the command line
	ActorFamily  = "family"  // a guardian, pupil or trusted person in the bot
)

// AuditEntry is one action for the audit log: a teacher's, the school's or a family's.
type AuditEntry struct {
	Actor   string // ActorTeacher when empty
	Account AccountID
	Teacher PersonID
	Action  string // e.g. "grade.set", "meeting.cancel"
	Class   ClassID
	Pupil   PersonID
	Ref     int64
	Detail  map[string]any // ids and values; never message text
}

// audit writes the entries in tx, so an action and its record commit together.
func (s *Store) audit(ctx context.Context, tx pgx.Tx, entries ...AuditEntry) error {
	const q = `
INSERT INTO audit_log (at, actor, account_id, teacher_id, action, class_id, pupil_id, ref_id, detail)
VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, nullif($6, 0), nullif($7, 0), nullif($8, 0), coalesce($9, '{}'::jsonb))`
	var batch pgx.Batch
	for _, e := range entries {
		actor := e.Actor
		if actor == "" {
			actor = ActorTeacher
		}
		batch.Queue(q, s.Now(), actor, e.Account, e.Teacher, e.Action, e.Class, e.Pupil, e.Ref, e.Detail)
	}
	if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
		return fmt.Errorf("audit %d actions: %w", len(entries), err)
	}
	return nil
}
