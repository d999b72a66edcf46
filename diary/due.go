package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DueAccount is an account whose evening digest is due, with the zone its digest
// time is read in.
type DueAccount struct {
	Account  AccountID
	Location *time.Location
}

// dueDigestsSQL finds the accounts whose digest time is the minute $1 in their
// zone: the account's own, else the school of their first linked child. One pass
// over the accounts a minute: tens of thousands of rows, milliseconds.
const dueDigestsSQL = `
SELECT a.id, z.tz
FROM accounts a
CROSS JOIN LATERAL (
    SELECT coalesce(a.time_zone, sc.time_zone, 'Europe/Moscow') AS tz
    FROM account_links l
    JOIN people p ON p.id = l.person_id
    LEFT JOIN schools sc ON sc.id = p.school_id
    WHERE l.account_id = a.id AND l.revoked_at IS NULL AND l.role <> 'teacher'
    ORDER BY l.id
    LIMIT 1) z
WHERE a.blocked_at IS NULL
  AND a.digest_time = date_trunc('minute', $1::timestamptz AT TIME ZONE z.tz)::time
ORDER BY a.id`

// DueDigests lists the accounts whose evening digest falls in the minute that
// holds at. Accounts without a live link to a child have nothing to read and are
// left out; whether each child may still be seen is Digests' business.
func (s *Store) DueDigests(ctx context.Context, at time.Time) ([]DueAccount, error) {
	rows, _ := s.db.Query(ctx, dueDigestsSQL, at)
	due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DueAccount, error) {
		var d DueAccount
		var zone string
		if err := row.Scan(&d.Account, &zone); err != nil {
			return d, err
		}
		var err error
		d.Location, err = location(zone)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("find digests due at %s: %w", at.UTC().Format(time.RFC3339), err)
	}
	return due, nil
}
