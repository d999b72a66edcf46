package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// TrustedLink is a person a guardian invited to read a pupil's diary.
type TrustedLink struct {
	LinkID int64
	Since  time.Time
	Until  time.Time // zero: no end of its own
}

// TrustedLinks lists the live invitations the account made for a pupil.
func (s *Store) TrustedLinks(ctx context.Context, account AccountID, pupil PersonID) ([]TrustedLink, error) {
	a, err := s.guardianAccess(ctx, account, pupil)
	if err != nil {
		return nil, err
	}
	const q = `
SELECT id, valid_from, valid_until FROM account_links
WHERE granted_by = $1 AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until > $2)
ORDER BY valid_from, id`
	rows, _ := s.db.Query(ctx, q, a.LinkID, s.Now())
	links, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TrustedLink, error) {
		var l TrustedLink
		var until *time.Time
		err := row.Scan(&l.LinkID, &l.Since, &until)
		if until != nil {
			l.Until = *until
		}
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("trusted links of account %d: %w", account, err)
	}
	return links, nil
}

// RevokeTrusted ends a trusted person's access that the account granted.
func (s *Store) RevokeTrusted(ctx context.Context, account AccountID, pupil PersonID, link int64) error {
	a, err := s.guardianAccess(ctx, account, pupil)
	if err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, `UPDATE account_links SET revoked_at = $3 WHERE id = $1 AND granted_by = $2 AND revoked_at IS NULL`,
		link, a.LinkID, s.Now())
	if err != nil {
		return fmt.Errorf("revoke trusted link %d: %w", link, err)
	}
	if tag.RowsAffected() == 0 {
		return Errorf(ENOTFOUND, "account %d granted no live link %d", account, link)
	}
	return nil
}

// SignWeek records a guardian's signature under the pupil's week that starts on
// monday. Only a finished week, or the current one from Saturday on, may be signed.
func (s *Store) SignWeek(ctx context.Context, account AccountID, pupil PersonID, monday time.Time) error {
	a, err := s.guardianAccess(ctx, account, pupil)
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

// guardianAccess is PupilAccess for what only a guardian may do.
func (s *Store) guardianAccess(ctx context.Context, account AccountID, pupil PersonID) (PupilAccess, error) {
	a, err := s.PupilAccess(ctx, account, pupil)
	if err != nil {
		return PupilAccess{}, err
	}
	if !a.CanSign() {
		return PupilAccess{}, Errorf(EFORBIDDEN, "account %d is %s of pupil %d, not a guardian", account, a.Role, pupil)
	}
	return a, nil
}
