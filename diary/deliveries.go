package diary

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Delivery is one message to one chat, as the delivery ledger knows it.
type Delivery struct {
	// Key says what is sent to whom for which day, e.g. "digest:42:2026-11-28":
	// the ledger sends each key once.
	Key     string
	Kind    string // digest, grade, announcement, …
	RefID   int64  // the announcement, event or grade it is about; 0 if none
	Account AccountID
	ChatID  int64
}

// DeliveryLease is how long a claim keeps a delivery from other senders. It is
// longer than any send may take, rate-limit waits included, so a live sender
// never loses its claim; after it, a claim whose sender crashed before sending
// may be taken over by a retry.
const DeliveryLease = 5 * time.Minute

// ClaimDelivery takes the delivery for the caller: true means "send it now".
// It is false when the delivery was sent, or is claimed by another attempt
// whose lease has not run out. A failed delivery may be claimed again.
//
// One window remains: a sender that crashes after Telegram accepted the
// message and before DeliverySent recorded it leaves a claim; a retry after
// the lease sends the message again, and one before it waits (see
// DeliveryState).
func (s *Store) ClaimDelivery(ctx context.Context, d Delivery) (bool, error) {
	const q = `
INSERT INTO deliveries (dedup_key, kind, ref_id, account_id, chat_id, claimed_at)
VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, $6)
ON CONFLICT (dedup_key) DO UPDATE SET status = 'claimed', claimed_at = excluded.claimed_at
WHERE deliveries.status = 'failed' OR (deliveries.status = 'claimed' AND deliveries.claimed_at < $7)
RETURNING id`
	now := s.Now()
	var id int64
	err := s.db.QueryRow(ctx, q, d.Key, d.Kind, d.RefID, int64(d.Account), d.ChatID, now, now.Add(-DeliveryLease)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim delivery %s: %w", d.Key, err)
	}
	return true, nil
}

// DeliveryState is what a sender refused a claim needs to know.
type DeliveryState struct {
	Sent bool
	// HeldUntil is when another attempt's claim runs out; zero unless the
	// delivery is claimed.
	HeldUntil time.Time
}

// DeliveryState tells why a delivery could not be claimed: it was sent, or
// another attempt holds it until HeldUntil.
func (s *Store) DeliveryState(ctx context.Context, key string) (DeliveryState, error) {
	const q = `SELECT status = 'sent', CASE WHEN status = 'claimed' THEN claimed_at END FROM deliveries WHERE dedup_key = $1`
	var st DeliveryState
	var heldSince *time.Time
	err := s.db.QueryRow(ctx, q, key).Scan(&st.Sent, &heldSince)
	if errors.Is(err, pgx.ErrNoRows) {
		return DeliveryState{}, Errorf(ENOTFOUND, "delivery %s", key)
	}
	if err != nil {
		return DeliveryState{}, fmt.Errorf("delivery %s: %w", key, err)
	}
	if heldSince != nil {
		st.HeldUntil = heldSince.Add(DeliveryLease)
	}
	return st, nil
}

// DeliverySent records that Telegram accepted the claimed delivery as the
// messages with these ids (more than one for a long text), keeping the last:
// the one under the keyboard.
func (s *Store) DeliverySent(ctx context.Context, key string, messageIDs []int) error {
	var last *int
	if len(messageIDs) > 0 {
		last = &messageIDs[len(messageIDs)-1]
	}
	const q = `UPDATE deliveries SET status = 'sent', sent_at = $2, message_id = $3 WHERE dedup_key = $1`
	tag, err := s.db.Exec(ctx, q, key, s.Now(), last)
	if err != nil {
		return fmt.Errorf("record delivery %s sent: %w", key, err)
	}
	if tag.RowsAffected() == 0 {
		return Errorf(ENOTFOUND, "delivery %s", key)
	}
	return nil
}

// DeliveryFailed releases the claimed delivery for a retry, with the reason:
// ids and codes only, never message text. A delivery already sent stays sent.
func (s *Store) DeliveryFailed(ctx context.Context, key, reason string) error {
	const q = `UPDATE deliveries SET status = 'failed', error = $2 WHERE dedup_key = $1 AND status <> 'sent'`
	if _, err := s.db.Exec(ctx, q, key, reason); err != nil {
		return fmt.Errorf("record delivery %s failed: %w", key, err)
	}
	return nil
}

// A delivery too long for one message goes out in parts. Each part Telegram
// accepted leaves a receipt, a 'sent' row of kind "part" keyed by the
// delivery's key and the part's number, so that a retry of the delivery
// sends only the parts that did not go out.

// PartSent records that Telegram accepted part (counted from 1) of the
// delivery as the message messageID.
func (s *Store) PartSent(ctx context.Context, d Delivery, part, messageID int) error {
	const q = `
INSERT INTO deliveries (dedup_key, kind, account_id, chat_id, status, message_id, claimed_at, sent_at)
VALUES ($1, 'part', nullif($2, 0), $3, 'sent', $4, $5, $5)
ON CONFLICT (dedup_key) DO NOTHING`
	if _, err := s.db.Exec(ctx, q, partKey(d.Key, part), int64(d.Account), d.ChatID, messageID, s.Now()); err != nil {
		return fmt.Errorf("record part %d of delivery %s sent: %w", part, d.Key, err)
	}
	return nil
}

// PartsSent counts the parts of a delivery of that many parts that Telegram
// accepted. Parts go out in order, so these are the first ones.
func (s *Store) PartsSent(ctx context.Context, key string, parts int) (int, error) {
	keys := make([]string, parts)
	for i := range keys {
		keys[i] = partKey(key, i+1)
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE dedup_key = ANY($1)`, keys).Scan(&n); err != nil {
		return 0, fmt.Errorf("parts of delivery %s sent: %w", key, err)
	}
	return n, nil
}

func partKey(key string, part int) string { return key + ":part:" + strconv.Itoa(part) }

// MarkBlocked records that the account's person blocked the bot (Telegram
// answered 403): nothing is sent to it until they write again (TouchAccount).
func (s *Store) MarkBlocked(ctx context.Context, account AccountID) error {
	return s.updateAccount(ctx, account, `UPDATE accounts SET blocked_at = coalesce(blocked_at, $2) WHERE id = $1`, s.Now())
}

// Blocked reports whether the account's person has blocked the bot.
func (s *Store) Blocked(ctx context.Context, account AccountID) (bool, error) {
	var blocked bool
	err := s.db.QueryRow(ctx, `SELECT blocked_at IS NOT NULL FROM accounts WHERE id = $1`, account).Scan(&blocked)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, Errorf(ENOTFOUND, "account %d", account)
	}
	if err != nil {
		return false, fmt.Errorf("account %d blocked: %w", account, err)
	}
	return blocked, nil
}
