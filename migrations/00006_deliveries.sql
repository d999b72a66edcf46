-- The delivery ledger: one row per thing sent to one chat. A sender claims the row
-- (INSERT ... ON CONFLICT DO NOTHING) before it calls Telegram, so a retried or
-- duplicated task finds the claim and sends nothing twice.

-- +goose Up
CREATE TABLE deliveries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- What is sent to whom and for which day, e.g. "digest:42:2026-11-28".
    dedup_key   text NOT NULL UNIQUE CHECK (dedup_key <> ''),
    kind        text NOT NULL,
    ref_id      bigint, -- the announcement, event or grade the message is about
    account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
    chat_id     bigint NOT NULL,
    status      text NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed')),
    message_id  bigint, -- Telegram's, once it accepted the message
    error       text NOT NULL DEFAULT '',
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    CONSTRAINT deliveries_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX deliveries_ref_idx ON deliveries (kind, ref_id) WHERE ref_id IS NOT NULL;

-- +goose Down
DROP TABLE deliveries;
