-- The access check reads an account's links, revoked ones too (to tell why a
-- child is gone): the partial unique index on live links cannot serve it, and
-- a page of 500 recipients scanned every link (BENCHMARKS.md, Fan-out).

-- +goose Up
CREATE INDEX account_links_account_idx ON account_links (account_id);

-- +goose Down
DROP INDEX account_links_account_idx;
