-- A code check takes its attempt before it looks at the code (counted as a
-- failure) and marks it succeeded after: the attempt needs an id.

-- +goose Up
ALTER TABLE link_attempts ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;

-- +goose Down
ALTER TABLE link_attempts DROP COLUMN id;
