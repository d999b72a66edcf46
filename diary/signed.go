package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PupilSignatures is who signed one pupil's week of the diary.
type PupilSignatures struct {
	Pupil    Person
	Signed   int       // guardian accounts that signed the week
	SignedAt time.Time // the first signature; zero when none
}

// ClassSignatures lists the active pupils of a class the account's teacher
// teaches, by name, with the signatures under their week that starts on monday.
func (s *Store) ClassSignatures(ctx context.Context, account AccountID, class ClassID, monday time.Time) ([]PupilSignatures, error) {
	if monday.Weekday() != time.Monday {
		return nil, Errorf(EINVALID, "week starts on %s", monday.Weekday())
	}
	if _, err := s.TeacherClassAccess(ctx, account, class); err != nil {
		return nil, err
	}
	const q = `
SELECT p.id, p.family_name, p.given_name, p.middle_name, count(s.account_id), min(s.signed_at)
FROM enrollments e
JOIN people p ON p.id = e.person_id AND p.active
LEFT JOIN diary_signatures s ON s.pupil_id = p.id AND s.week_start = $2
WHERE e.class_id = $1 AND e.role = 'student' AND e.active
GROUP BY p.id
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
	rows, _ := s.db.Query(ctx, q, class, monday)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PupilSignatures, error) {
		var ps PupilSignatures
		var at *time.Time
		err := row.Scan(&ps.Pupil.ID, &ps.Pupil.FamilyName, &ps.Pupil.GivenName, &ps.Pupil.MiddleName, &ps.Signed, &at)
		if at != nil {
			ps.SignedAt = *at
		}
		return ps, err
	})
	if err != nil {
		return nil, fmt.Errorf("signatures of class %d for week %s: %w", class, monday.Format(time.DateOnly), err)
	}
	return list, nil
}
