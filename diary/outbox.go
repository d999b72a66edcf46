package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The outbox holds every message that is to go out, one row per message to
// one chat, keyed by what is sent to whom (e.g. "digest:42:2026-11-28"), so
// the same message is planned once however often it is planned. A row holds
// ids, never text: the message is checked against the access rule and
// rendered from the diary when it is sent. The queue (Redis) only carries a
// row's id, and the sweeper (OutboxToSweep) enqueues again what it lost.

// MessageKind is what an outbox message is.
type MessageKind string

const (
	MessageNotice   MessageKind = "notice"   // a notice to one recipient; Ref is the notice
	MessageDigest   MessageKind = "digest"   // the evening digest; About is its minute
	MessageWeekly   MessageKind = "weekly"   // the weekly summary; About is its minute
	MessageReminder MessageKind = "reminder" // an event tomorrow; Ref is the event, About the digest's minute
	MessageReport   MessageKind = "report"   // the author's "delivered N of M", edited; Ref is the notice
	MessageRevoked  MessageKind = "revoked"  // the school ended a link; Ref is the link
	MessageQuestion MessageKind = "question" // a family's message to a teacher; Ref is the thread message
	MessageAnswer   MessageKind = "answer"   // a teacher's answer to a family; Ref is the thread message
)

// MessageState is where a message is on its way.
type MessageState string

const (
	StateQueued    MessageState = "queued"    // waiting, not before Due
	StateSending   MessageState = "sending"   // a sender claimed it
	StateSent      MessageState = "sent"      // Telegram accepted it
	StateDropped   MessageState = "dropped"   // it will not go out; Reason says why
	StateFailed    MessageState = "failed"    // Telegram refused it, or retries ran out
	StateUncertain MessageState = "uncertain" // a send got no answer: it may have arrived; sent again
)

// Why a message is dropped: each is a fact about the diary at sending.
const (
	DropBlocked     = "blocked"      // the person blocked the bot
	DropNoAccess    = "no_access"    // the link to the child was revoked, unlinked or ended
	DropGone        = "gone"         // what it is about was undone, deleted or cancelled
	DropSwitchedOff = "switched_off" // the person's settings turned the kind off
	DropEmpty       = "empty"        // an empty digest nobody asked for
	DropStale       = "stale"        // past Expires: too late to be of use
	DropDeclined    = "declined"     // a reminder of a meeting the person said no to
)

// MessageLease is how long a sender's claim keeps a message from other
// senders. A sender claims just before it calls Telegram and gives up well
// inside the lease, so a live sender never loses its claim; a claim older
// than the lease belongs to a sender that died, and the message may have
// reached the person: taking it over counts an uncertain send.
const MessageLease = time.Minute

// Outgoing is a message to plan.
type Outgoing struct {
	Key     string
	Kind    MessageKind
	Ref     int64 // the notice or event it is about; 0 if none
	Account AccountID
	ChatID  int64
	About   time.Time // the instant a digest, summary or reminder is composed for
	Due     time.Time // not before; zero: now
	Expires time.Time // not after; zero: never
}

// Plan writes the messages to the outbox as queued, leaves those already
// there as they are, and returns the rows it wrote, which the caller
// enqueues (the sweeper enqueues them if it cannot).
func (s *Store) Plan(ctx context.Context, msgs []Outgoing) ([]Pending, error) {
	return s.plan(ctx, s.db, msgs)
}

// querier is a pool or a transaction: what plan needs of either.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// plan is Plan in q, so that a change and the messages telling of it commit together.
func (s *Store) plan(ctx context.Context, q querier, msgs []Outgoing) ([]Pending, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	now := s.Now()
	var (
		keys, kinds            []string
		refs, accounts, chats  []int64
		abouts, dues, expiries []*time.Time
	)
	for _, m := range msgs {
		keys, kinds = append(keys, m.Key), append(kinds, string(m.Kind))
		refs, accounts, chats = append(refs, m.Ref), append(accounts, int64(m.Account)), append(chats, m.ChatID)
		due := m.Due
		if due.IsZero() {
			due = now
		}
		abouts, dues, expiries = append(abouts, optional(m.About)), append(dues, &due), append(expiries, optional(m.Expires))
	}
	const insert = `
INSERT INTO outbox (dedup_key, kind, ref_id, account_id, chat_id, about_at, due_at, expires_at, created_at, enqueued_at)
SELECT k, kind, nullif(ref, 0), nullif(acc, 0), chat, about, due, expires, $9, $9
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::timestamptz[],
            $8::timestamptz[]) AS m(k, kind, ref, acc, chat, about, due, expires)
ON CONFLICT (dedup_key) DO NOTHING
RETURNING id, kind, due_at`
	rows, _ := q.Query(ctx, insert, keys, kinds, refs, accounts, chats, abouts, dues, expiries, now)
	planned, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Pending])
	if err != nil {
		return nil, fmt.Errorf("plan %d messages: %w", len(msgs), err)
	}
	return planned, nil
}

// optional is a time for a nullable column: NULL when zero.
func optional(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// OutboxMessage is an outbox row as its sender reads it, with what the
// recipient's account says now.
type OutboxMessage struct {
	ID       int64
	Key      string
	Kind     MessageKind
	Ref      int64
	Account  AccountID // 0 for a chat that is no account's (a report)
	ChatID   int64     // the account's chat now, else the row's
	About    time.Time
	Due      time.Time
	Expires  time.Time // zero: never
	State    MessageState
	Blocked  bool   // the account's person blocked the bot
	Language string // the account's language now; ru for a chat that is no account's
}

// Message reads an outbox row.
func (s *Store) Message(ctx context.Context, id int64) (OutboxMessage, error) {
	const q = `
SELECT o.id, o.dedup_key, o.kind, coalesce(o.ref_id, 0), coalesce(o.account_id, 0), coalesce(a.chat_id, o.chat_id),
       coalesce(o.about_at, o.created_at), o.due_at, o.expires_at, o.status,
       a.blocked_at IS NOT NULL, coalesce(a.language, 'ru')
FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id
WHERE o.id = $1`
	var m OutboxMessage
	var expires *time.Time
	err := s.db.QueryRow(ctx, q, id).Scan(&m.ID, &m.Key, &m.Kind, &m.Ref, &m.Account, &m.ChatID, &m.About, &m.Due,
		&expires, &m.State, &m.Blocked, &m.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return OutboxMessage{}, Errorf(ENOTFOUND, "outbox message %d", id)
	}
	if err != nil {
		return OutboxMessage{}, fmt.Errorf("read outbox message %d: %w", id, err)
	}
	if expires != nil {
		m.Expires = *expires
	}
	return m, nil
}

// Claim is the answer to a sender's claim of a message.
type Claim struct {
	Claimed bool
	// TookOver tells that the claim was taken from a sender that died while
	// sending: the message may have reached the person (an uncertain send).
	TookOver bool
	State    MessageState // when not claimed: the message's state
	// PartsSent is how many parts of a long text an earlier attempt sent.
	PartsSent int
	// HeldUntil is when another sender's claim runs out, when it holds one.
	HeldUntil time.Time
}

// ClaimMessage takes the message for the caller to send now, into chat: a
// queued or uncertain message, or one whose claim outlived MessageLease.
func (s *Store) ClaimMessage(ctx context.Context, id, chatID int64) (Claim, error) {
	const q = `
WITH before AS (SELECT id, status, claimed_at, parts_sent FROM outbox WHERE id = $1 FOR UPDATE),
claimed AS (
    UPDATE outbox o SET status = 'sending', claimed_at = $2, chat_id = $4, attempts = o.attempts + 1,
                        uncertain = o.uncertain + (before.status = 'sending')::int
    FROM before
    WHERE o.id = before.id
      AND (before.status IN ('queued', 'uncertain') OR (before.status = 'sending' AND before.claimed_at < $3))
    RETURNING o.id)
SELECT before.status, before.claimed_at, before.parts_sent, EXISTS (SELECT FROM claimed) FROM before`
	now := s.Now()
	var (
		c         Claim
		claimedAt *time.Time
	)
	err := s.db.QueryRow(ctx, q, id, now, now.Add(-MessageLease), chatID).Scan(&c.State, &claimedAt, &c.PartsSent, &c.Claimed)
	if errors.Is(err, pgx.ErrNoRows) {
		return Claim{}, Errorf(ENOTFOUND, "outbox message %d", id)
	}
	if err != nil {
		return Claim{}, fmt.Errorf("claim outbox message %d: %w", id, err)
	}
	switch {
	case c.Claimed:
		c.TookOver = c.State == StateSending
		c.State = StateSending
	case c.State == StateSending && claimedAt != nil:
		c.HeldUntil = claimedAt.Add(MessageLease)
	}
	return c, nil
}

// PartSent records that Telegram accepted the first parts of a long message
// being sent: a retry sends only the rest.
func (s *Store) PartSent(ctx context.Context, id int64, parts int) error {
	return s.updateMessage(ctx, id, `UPDATE outbox SET parts_sent = $2 WHERE id = $1 AND status = 'sending'`, parts)
}

// MessageSent records that Telegram accepted the message being sent, as the
// message messageID (the last part's, under the keyboard).
func (s *Store) MessageSent(ctx context.Context, id int64, messageID int) error {
	const q = `UPDATE outbox SET status = 'sent', sent_at = $2, message_id = $3, reason = '' WHERE id = $1 AND status = 'sending'`
	return s.updateMessage(ctx, id, q, s.Now(), messageID)
}

// MessageEnded records that a message will not go out: dropped (the diary
// says so) or failed (Telegram refused it, or retries ran out), and why: a
// reason code, never text. A message sent stays sent.
func (s *Store) MessageEnded(ctx context.Context, id int64, state MessageState, reason string) error {
	if state != StateDropped && state != StateFailed {
		return fmt.Errorf("outbox message %d cannot end %s", id, state)
	}
	const q = `UPDATE outbox SET status = $2, reason = $3 WHERE id = $1 AND status NOT IN ('sent', 'dropped', 'failed')`
	return s.updateMessage(ctx, id, q, state, reason)
}

// MessageRetry puts a message that could not be sent now back to wait for
// its next try, queued, or uncertain when it may have reached the person.
func (s *Store) MessageRetry(ctx context.Context, id int64, reason string, uncertain bool) error {
	const q = `
UPDATE outbox SET status = CASE WHEN $3 THEN 'uncertain' ELSE 'queued' END, reason = $2,
                  uncertain = uncertain + $3::int
WHERE id = $1 AND status = 'sending'`
	return s.updateMessage(ctx, id, q, reason, uncertain)
}

// MessageAgain puts a message being sent back on the queue, to be sent again:
// the author's "delivered N of M", redrawn until every message of its notice
// ended.
func (s *Store) MessageAgain(ctx context.Context, id int64) error {
	const q = `UPDATE outbox SET status = 'queued', enqueued_at = $2 WHERE id = $1 AND status = 'sending'`
	return s.updateMessage(ctx, id, q, s.Now())
}

// updateMessage runs an update of one outbox row; a row in another state than
// the update expects is left as it is.
func (s *Store) updateMessage(ctx context.Context, id int64, q string, args ...any) error {
	if _, err := s.db.Exec(ctx, q, append([]any{id}, args...)...); err != nil {
		return fmt.Errorf("update outbox message %d: %w", id, err)
	}
	return nil
}

// SweepAfter is how long a message waits on the queue before the sweeper
// enqueues it again, in case the queue lost it; enqueuing again what the
// queue still holds is a no-op.
const SweepAfter = time.Minute

// Pending is a message still to go out, and when.
type Pending struct {
	ID   int64
	Kind MessageKind
	Due  time.Time
}

// OutboxToSweep returns, oldest first, at most limit messages still to go out
// that no task was enqueued for in SweepAfter (a queued or uncertain message
// that is due, a claim whose sender died), or for any time when the queue is
// known to have lost its tasks, and records them enqueued now.
func (s *Store) OutboxToSweep(ctx context.Context, limit int, queueLost bool) ([]Pending, error) {
	const q = `
WITH due AS (
    SELECT id FROM outbox
    WHERE status IN ('queued', 'uncertain', 'sending') AND due_at <= $1
      AND (status <> 'sending' OR claimed_at < $3)
      AND ($5 OR enqueued_at IS NULL OR enqueued_at < $2)
    ORDER BY due_at LIMIT $4
    FOR UPDATE SKIP LOCKED)
UPDATE outbox o SET enqueued_at = $1 FROM due WHERE o.id = due.id
RETURNING o.id, o.kind, o.due_at`
	now := s.Now()
	rows, _ := s.db.Query(ctx, q, now, now.Add(-SweepAfter), now.Add(-MessageLease), limit, queueLost)
	pending, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Pending])
	if err != nil {
		return nil, fmt.Errorf("sweep the outbox: %w", err)
	}
	return pending, nil
}

// DigestMinutesToPlan lists, oldest first, the minutes of the last `window`
// up to the one that holds at now whose digests are not planned yet.
func (s *Store) DigestMinutesToPlan(ctx context.Context, window time.Duration) ([]time.Time, error) {
	const q = `
SELECT m FROM generate_series(date_trunc('minute', $1::timestamptz) - $2::interval,
                              date_trunc('minute', $1::timestamptz), '1 minute') AS m
WHERE NOT EXISTS (SELECT FROM digest_minutes d WHERE d.minute = m)
ORDER BY m`
	rows, _ := s.db.Query(ctx, q, s.Now(), window)
	minutes, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, fmt.Errorf("find digest minutes to plan: %w", err)
	}
	return minutes, nil
}

// DigestMinutePlanned records that the minute's digests are in the outbox,
// and forgets the minutes planned more than two days before it.
func (s *Store) DigestMinutePlanned(ctx context.Context, minute time.Time) error {
	const q = `
WITH forget AS (DELETE FROM digest_minutes WHERE minute < $1::timestamptz - interval '2 days')
INSERT INTO digest_minutes (minute, planned_at) VALUES ($1, $2) ON CONFLICT (minute) DO NOTHING`
	if _, err := s.db.Exec(ctx, q, minute, s.Now()); err != nil {
		return fmt.Errorf("record digests of %s planned: %w", minute.UTC().Format(time.RFC3339), err)
	}
	return nil
}

// MarkBlocked records that the account's person blocked the bot (Telegram
// answered 403): nothing is sent to it until they write again (TouchAccount).
func (s *Store) MarkBlocked(ctx context.Context, account AccountID) error {
	return s.updateAccount(ctx, account, `UPDATE accounts SET blocked_at = coalesce(blocked_at, $2) WHERE id = $1`, s.Now())
}
