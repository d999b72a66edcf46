-- The delivery ledger becomes the outbox: every message that is to go out (a
-- notice to one recipient, a digest, a weekly summary, a reminder, the author's
-- "delivered N of M") is a row here, with its state, before anything is
-- enqueued. Redis only holds a task naming the row; a sweeper enqueues again
-- what Redis lost. The row holds ids, never text: a message is rendered from
-- the diary when it is sent.
--
-- States: queued (waiting, not before due_at) -> sending (claimed by a sender)
-- -> sent; or dropped (will not go out, and reason says why: blocked, no_access,
-- gone, switched_off, empty, stale, declined), failed (Telegram refused it, or
-- retries ran out), uncertain (a send whose answer never came: it may have
-- reached the person; it goes out again, see RELIABILITY.md).

-- +goose Up
ALTER TABLE deliveries RENAME TO outbox;
ALTER INDEX deliveries_ref_idx RENAME TO outbox_ref_idx;
ALTER TABLE outbox RENAME CONSTRAINT deliveries_dedup_key_key TO outbox_dedup_key_key;
ALTER TABLE outbox RENAME COLUMN error TO reason;
-- Receipts of parts become a count on their message.
DELETE FROM outbox WHERE kind = 'part';
ALTER TABLE outbox DROP CONSTRAINT deliveries_sent, DROP CONSTRAINT deliveries_status_check;
ALTER TABLE outbox
    ADD COLUMN created_at  timestamptz NOT NULL DEFAULT now(),
    -- The instant a digest, weekly summary or reminder is composed for; the
    -- diary's state at sending fills it in.
    ADD COLUMN about_at    timestamptz,
    -- Not before: quiet hours hold a message until they end.
    ADD COLUMN due_at      timestamptz NOT NULL DEFAULT now(),
    -- Not after: an evening digest is noise the next morning (dropped, stale).
    ADD COLUMN expires_at  timestamptz,
    -- When a task naming the row was last put on the queue (the sweeper's guard).
    ADD COLUMN enqueued_at timestamptz,
    ADD COLUMN attempts    integer NOT NULL DEFAULT 0,
    -- Sends whose answer never came (a timeout after the request was written,
    -- a sender killed mid-send): each may have reached the person.
    ADD COLUMN uncertain   integer NOT NULL DEFAULT 0,
    -- Parts of a long text Telegram accepted, in order: a retry sends the rest.
    ADD COLUMN parts_sent  smallint NOT NULL DEFAULT 0;
ALTER TABLE outbox ALTER COLUMN claimed_at DROP NOT NULL, ALTER COLUMN claimed_at DROP DEFAULT;
-- What was claimed, or released for a retry, goes out again from the outbox.
UPDATE outbox SET status = 'queued', about_at = claimed_at, due_at = claimed_at
WHERE status = 'claimed' OR (status = 'failed' AND reason NOT IN ('blocked', 'rejected'));
UPDATE outbox SET status = 'dropped' WHERE status = 'failed' AND reason = 'blocked';
ALTER TABLE outbox ALTER COLUMN status SET DEFAULT 'queued',
    ADD CONSTRAINT outbox_status CHECK (status IN ('queued', 'sending', 'sent', 'dropped', 'failed', 'uncertain')),
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('notice', 'digest', 'weekly', 'reminder', 'report')),
    ADD CONSTRAINT outbox_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    ADD CONSTRAINT outbox_claimed CHECK (status <> 'sending' OR claimed_at IS NOT NULL),
    ADD CONSTRAINT outbox_ended_why CHECK (status NOT IN ('dropped', 'failed') OR reason <> '');
-- The sweeper's look for what is still to go out.
CREATE INDEX outbox_pending_idx ON outbox (due_at) WHERE status IN ('queued', 'sending', 'uncertain');

-- A notice's author is found by the chat of their "delivered N of M", now
-- read with every message sent rather than once per fan-out.
CREATE INDEX accounts_chat_idx ON accounts (chat_id);

-- The minutes whose evening digests were planned into the outbox: the
-- scheduler plans each minute once and catches up on the ones it missed.
CREATE TABLE digest_minutes (
    minute      timestamptz PRIMARY KEY,
    planned_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE digest_minutes;
DROP INDEX accounts_chat_idx;
DROP INDEX outbox_pending_idx;
ALTER TABLE outbox DROP CONSTRAINT outbox_status, DROP CONSTRAINT outbox_kind, DROP CONSTRAINT outbox_sent,
    DROP CONSTRAINT outbox_claimed, DROP CONSTRAINT outbox_ended_why;
UPDATE outbox SET status = 'failed' WHERE status IN ('dropped', 'uncertain');
UPDATE outbox SET status = 'claimed', claimed_at = coalesce(claimed_at, created_at) WHERE status IN ('queued', 'sending');
ALTER TABLE outbox ALTER COLUMN claimed_at SET DEFAULT now(), ALTER COLUMN claimed_at SET NOT NULL,
    ALTER COLUMN status SET DEFAULT 'claimed',
    DROP COLUMN created_at, DROP COLUMN about_at, DROP COLUMN due_at, DROP COLUMN expires_at,
    DROP COLUMN enqueued_at, DROP COLUMN attempts, DROP COLUMN uncertain, DROP COLUMN parts_sent,
    ADD CONSTRAINT deliveries_status_check CHECK (status IN ('claimed', 'sent', 'failed')),
    ADD CONSTRAINT deliveries_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL));
ALTER TABLE outbox RENAME COLUMN reason TO error;
ALTER TABLE outbox RENAME CONSTRAINT outbox_dedup_key_key TO deliveries_dedup_key_key;
ALTER INDEX outbox_ref_idx RENAME TO deliveries_ref_idx;
ALTER TABLE outbox RENAME TO deliveries;
