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

// AuditRecord is one teacher action of the audit log.
type AuditRecord struct {
	At               time.Time
	TeacherSourcedID string // the teacher's sourced id
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
	for _, check := range []struct{ what, id, q string }{
		{"teacher", f.Teacher, `SELECT EXISTS (SELECT FROM people WHERE sourced_id = $1 AND role = 'teacher')`},
		{"class", f.Class, `SELECT EXISTS (SELECT FROM classes WHERE sourced_id = $1)`},
	} {
		if check.id == "" {
			continue
		}
		var exists bool
		if err := s.db.QueryRow(ctx, check.q, check.id).Scan(&exists); err != nil {
			return nil, fmt.Errorf("find %s %q: %w", check.what, check.id, err)
		}
		if !exists {
			return nil, Errorf(ENOTFOUND, "%s %q", check.what, check.id)
		}
	}
	const q = `
SELECT a.at, t.sourced_id, t.family_name, t.given_name, t.middle_name, a.action,
       coalesce(c.title, ''), coalesce(p.sourced_id, ''), coalesce(a.ref_id, 0), a.detail::text
FROM audit_log a
JOIN people t ON t.id = a.teacher_id
LEFT JOIN classes c ON c.id = a.class_id
LEFT JOIN people p ON p.id = a.pupil_id
WHERE a.at >= $1 AND ($2 = '' OR t.sourced_id = $2) AND ($3 = '' OR c.sourced_id = $3)
ORDER BY a.at, a.id`
	rows, _ := s.db.Query(ctx, q, f.Since, f.Teacher, f.Class)
	records, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditRecord, error) {
		var r AuditRecord
		err := row.Scan(&r.At, &r.TeacherSourcedID, &r.Teacher.FamilyName, &r.Teacher.GivenName, &r.Teacher.MiddleName, &r.Action,
			&r.Class, &r.PupilSourcedID, &r.Ref, &r.Detail)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	return records, nil
}
