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
func (s *Store) ClassSignatures(ctx context.Context, a TeacherAccess, monday time.Time) ([]PupilSignatures, error) {
	if err := a.validClass(); err != nil {
		return nil, err
	}
	if monday.Weekday() != time.Monday {
		return nil, Errorf(EINVALID, "week starts on %s", monday.Weekday())
	}
	class := a.Class
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

// SignWeek records a guardian's signature under the pupil's week that starts on
// monday. Only a finished week, or the current one from Saturday on, may be signed.
func (s *Store) SignWeek(ctx context.Context, account AccountID, pupil PersonID, monday time.Time) error {
	a, err := s.guardianAccess(ctx, account, pupil, ReasonSignGuardianOnly)
	if err != nil {
		return err
	}
	if monday.Weekday() != time.Monday {
		return Errorf(EINVALID, "week starts on %s", monday.Weekday())
	}
	if today := s.Today(a.School); today.Before(monday.AddDate(0, 0, 5)) {
		return Errorf(EINVALID, "week of %s is not over", monday.Format(time.DateOnly))
	}
	tag, err := s.db.Exec(ctx, `INSERT INTO diary_signatures (pupil_id, week_start, account_id, signed_at) VALUES ($1, $2, $3, $4)
	                            ON CONFLICT DO NOTHING`, pupil, monday, account, s.Now())
	if err != nil {
		return fmt.Errorf("sign week of pupil %d: %w", pupil, err)
	}
	if tag.RowsAffected() == 0 {
		return Errorf(ECONFLICT, "week %s of pupil %d already signed by account %d", monday.Format(time.DateOnly), pupil, account)
	}
	return nil
}

// WeekToSign is the week a guardian signs today: the current one from Saturday
// on, else the last one.
func WeekToSign(today time.Time) time.Time {
	monday, _ := WeekOf(today)
	if today.Weekday() == time.Saturday || today.Weekday() == time.Sunday {
		return monday
	}
	return monday.AddDate(0, 0, -7)
}
