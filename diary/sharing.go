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

// Invitation is an invitation a guardian made that nobody has used yet.
type Invitation struct {
	ID      int64
	Created time.Time
	Expires time.Time
}

// Sharing is who reads a pupil's diary through a guardian's link: the
// trusted people, and the invitations still waiting for someone.
type Sharing struct {
	Trusted []TrustedLink
	Pending []Invitation
}

// Sharing lists the live trusted links and the pending invitations the
// account made for a pupil. Only a guardian has any (EFORBIDDEN otherwise).
func (s *Store) Sharing(ctx context.Context, account AccountID, pupil PersonID) (Sharing, error) {
	a, err := s.guardianAccess(ctx, account, pupil, ReasonShareGuardianOnly)
	if err != nil {
		return Sharing{}, err
	}
	now := s.Now()
	var sh Sharing
	const trusted = `
SELECT id, valid_from, valid_until FROM account_links
WHERE granted_by = $1 AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until > $2)
ORDER BY valid_from, id`
	rows, _ := s.db.Query(ctx, trusted, a.LinkID, now)
	sh.Trusted, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (TrustedLink, error) {
		var l TrustedLink
		var until *time.Time
		err := row.Scan(&l.LinkID, &l.Since, &until)
		if until != nil {
			l.Until = *until
		}
		return l, err
	})
	if err != nil {
		return Sharing{}, fmt.Errorf("trusted links of account %d: %w", account, err)
	}
	const pending = `
SELECT id, created_at, expires_at FROM link_codes
WHERE granted_by = $1 AND used_at IS NULL AND expires_at > $2
ORDER BY created_at, id`
	rows, _ = s.db.Query(ctx, pending, a.LinkID, now)
	if sh.Pending, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Invitation]); err != nil {
		return Sharing{}, fmt.Errorf("pending invitations of account %d: %w", account, err)
	}
	return sh, nil
}

// RevokeTrusted ends a trusted person's access that the account granted.
func (s *Store) RevokeTrusted(ctx context.Context, account AccountID, pupil PersonID, link int64) error {
	a, err := s.guardianAccess(ctx, account, pupil, ReasonShareGuardianOnly)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE account_links SET revoked_at = $3, revoked_by = 'guardian'
		                          WHERE id = $1 AND granted_by = $2 AND revoked_at IS NULL`, link, a.LinkID, s.Now())
		if err != nil {
			return fmt.Errorf("revoke trusted link %d: %w", link, err)
		}
		if tag.RowsAffected() == 0 {
			return Errorf(ENOTFOUND, "account %d granted no live link %d", account, link)
		}
		return s.audit(ctx, tx, AuditEntry{Actor: ActorFamily, Account: account, Action: "link.revoke", Pupil: pupil, Ref: link})
	})
}

// CancelInvitation deletes an invitation of the account's that nobody has
// used yet: its link then leads nowhere.
func (s *Store) CancelInvitation(ctx context.Context, account AccountID, pupil PersonID, invitation int64) error {
	a, err := s.guardianAccess(ctx, account, pupil, ReasonShareGuardianOnly)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM link_codes WHERE id = $1 AND granted_by = $2 AND used_at IS NULL`,
			invitation, a.LinkID)
		if err != nil {
			return fmt.Errorf("cancel invitation %d: %w", invitation, err)
		}
		if tag.RowsAffected() == 0 {
			return Errorf(ENOTFOUND, "account %d has no pending invitation %d", account, invitation)
		}
		return s.audit(ctx, tx, AuditEntry{Actor: ActorFamily, Account: account, Action: "invitation.cancel", Pupil: pupil,
			Ref: invitation})
	})
}
