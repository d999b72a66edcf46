-- A code check takes its attempt before it looks at the code (counted as a
-- failure) and marks it succeeded after: the attempt needs an id. The wrong
-- codes of the last minute, everyone's, brake all code checks when they flood.

-- +goose Up
ALTER TABLE link_attempts ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX link_attempts_failed_idx ON link_attempts (attempted_at) WHERE NOT succeeded;

-- +goose Down
DROP INDEX link_attempts_failed_idx;
ALTER TABLE link_attempts DROP COLUMN id;
