package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Forgetting: what a person asks to be deleted (/forget), and what the diary
// deletes by itself once it is of no more use (Purge). SECURITY.md lists what
// is stored, why and for how long.

// Forgotten counts what Forget deleted with the account.
type Forgotten struct {
	Links        int64 // the account's links, live or ended
	Invited      int64 // the links of trusted people the account's links invited
	Codes        int64 // codes the account used, and its invitations
	Messages     int64 // outbox rows: messages to the account, sent or waiting
	Signatures   int64 // weeks the account signed
	Answers      int64 // its answers to meeting invitations
	Attempts     int64 // codes it typed, right or wrong
	Reports      int64 // the account's chat cleared from announcements it sent ("delivered N of M")
	Conversation int64 // a conversation in several steps it was in
}

// Forget deletes the account and everything tied to it, in one transaction:
// its settings, links (and those of the people it invited), codes,
// conversation, messages, signatures and answers. The audit log keeps what a
// teacher or the school did, with the account no longer named. Forgetting an
// account that is gone already is ENOTFOUND.
func (s *Store) Forget(ctx context.Context, account AccountID) (Forgotten, error) {
	var f Forgotten
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var user, chat int64
		err := tx.QueryRow(ctx, `SELECT telegram_user_id, chat_id FROM accounts WHERE id = $1 FOR UPDATE`, account).Scan(&user, &chat)
		if errors.Is(err, pgx.ErrNoRows) {
			return Errorf(ENOTFOUND, "account %d", account)
		}
		if err != nil {
			return fmt.Errorf("find account %d: %w", account, err)
		}
		// Children first: what refers to the account's links, then the links.
		steps := []struct {
			n   *int64
			sql string
			arg int64
		}{
			{&f.Codes, `DELETE FROM link_codes WHERE used_by = $1
			            OR granted_by IN (SELECT id FROM account_links WHERE account_id = $1)`, int64(account)},
			{&f.Invited, `DELETE FROM account_links WHERE granted_by IN (SELECT id FROM account_links WHERE account_id = $1)`, int64(account)},
			{&f.Links, `DELETE FROM account_links WHERE account_id = $1`, int64(account)},
			{&f.Messages, `DELETE FROM outbox WHERE account_id = $1`, int64(account)},
			{&f.Signatures, `DELETE FROM diary_signatures WHERE account_id = $1`, int64(account)},
			{&f.Answers, `DELETE FROM event_rsvps WHERE account_id = $1`, int64(account)},
			{&f.Conversation, `DELETE FROM conversations WHERE account_id = $1`, int64(account)},
			{&f.Attempts, `DELETE FROM link_attempts WHERE telegram_user_id = $1`, user},
			{&f.Reports, `UPDATE notices SET report_chat_id = NULL, report_message_id = NULL WHERE report_chat_id = $1`, chat},
		}
		for _, step := range steps {
			tag, err := tx.Exec(ctx, step.sql, step.arg)
			if err != nil {
				return fmt.Errorf("forget account %d: %w", account, err)
			}
			*step.n = tag.RowsAffected()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, account); err != nil {
			return fmt.Errorf("delete account %d: %w", account, err)
		}
		return s.audit(ctx, tx, AuditEntry{Actor: ActorFamily, Action: "account.forget",
			Detail: map[string]any{"links": f.Links, "messages": f.Messages}})
	})
	if err != nil {
		return Forgotten{}, err
	}
	return f, nil
}

// DefaultRetention is how long the diary keeps what it no longer needs: a
// message's outbox row after it was written, a code after it was used or
// expired, a link after it ended, an account after its last link ended and
// it was last seen. A school may set another (RETENTION_DAYS).
const DefaultRetention = 90 * 24 * time.Hour

// attemptsKept is how long a typed code is kept: the lockout looks back
// CodeAttemptWindow and the flood brake a minute; a day shows an attack.
const attemptsKept = 24 * time.Hour

// purgeBatch bounds one DELETE, so that a first purge of a large outbox does
// not hold its locks for long.
const purgeBatch = 5000

// Purged counts what Purge deleted.
type Purged struct {
	Messages, Codes, Attempts, Links, Accounts, Notices, Conversations int64
}

// Purge deletes what is older than retention and no longer needed: ended
// outbox rows, used or expired codes, ended links, accounts left with no
// link, notices long sent, lapsed conversations, and typed codes older than
// a day. Run by the worker's scheduler every hour.
func (s *Store) Purge(ctx context.Context, retention time.Duration) (Purged, error) {
	if retention < 24*time.Hour {
		return Purged{}, Errorf(EINVALID, "retention %s is under a day", retention)
	}
	now := s.Now()
	cutoff := now.Add(-retention)
	var p Purged
	steps := []struct {
		n   *int64
		sql string
		at  time.Time
	}{
		{&p.Messages, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
		               WHERE status IN ('sent', 'dropped', 'failed') AND created_at < $1 LIMIT $2)`, cutoff},
		{&p.Codes, `DELETE FROM link_codes WHERE id IN (SELECT id FROM link_codes
		            WHERE expires_at < $1 OR used_at < $1 LIMIT $2)`, cutoff},
		{&p.Attempts, `DELETE FROM link_attempts WHERE id IN (SELECT id FROM link_attempts WHERE attempted_at < $1 LIMIT $2)`,
			now.Add(-attemptsKept)},
		// An ended link goes once nothing refers to it: the trusted links it
		// invited (which end no later) go first, and its invitations went above.
		{&p.Links, `DELETE FROM account_links WHERE id IN (SELECT id FROM account_links
		            WHERE granted_by IS NOT NULL AND coalesce(revoked_at, valid_until) < $1 LIMIT $2)`, cutoff},
		{&p.Links, `DELETE FROM account_links WHERE id IN (SELECT l.id FROM account_links l
		            WHERE coalesce(l.revoked_at, l.valid_until) < $1
		              AND NOT EXISTS (SELECT FROM account_links t WHERE t.granted_by = l.id)
		              AND NOT EXISTS (SELECT FROM link_codes c WHERE c.granted_by = l.id) LIMIT $2)`, cutoff},
		{&p.Accounts, `DELETE FROM accounts WHERE id IN (SELECT a.id FROM accounts a
		               WHERE a.last_seen_at < $1
		                 AND NOT EXISTS (SELECT FROM account_links l WHERE l.account_id = a.id)
		                 AND NOT EXISTS (SELECT FROM link_codes c WHERE c.used_by = a.id)
		                 AND NOT EXISTS (SELECT FROM outbox o WHERE o.account_id = a.id) LIMIT $2)`, cutoff},
		{&p.Notices, `DELETE FROM notices WHERE id IN (SELECT id FROM notices WHERE fanned_out_at < $1 LIMIT $2)`, cutoff},
		{&p.Conversations, `DELETE FROM conversations WHERE account_id IN (SELECT account_id FROM conversations
		                    WHERE expires_at < $1 LIMIT $2)`, now},
	}
	for _, step := range steps {
		for {
			tag, err := s.db.Exec(ctx, step.sql, step.at, purgeBatch)
			if err != nil {
				return p, fmt.Errorf("purge: %w", err)
			}
			*step.n += tag.RowsAffected()
			if tag.RowsAffected() < purgeBatch {
				break
			}
		}
	}
	return p, nil
}
