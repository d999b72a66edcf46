-- An account's private calendar address (/calendar): a random token in the
-- URL, stored only as its SHA-256, so that a leaked database gives no working
-- address. One an account: a new one replaces the old, which stops working at
-- once; forgetting the account deletes it with the account.

-- +goose Up
CREATE TABLE calendar_feeds (
    account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE calendar_feeds;
