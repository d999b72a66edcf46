-- A changed grade's push says what the grade was: the score before the change,
-- recorded where the change is written (a teacher's mark, an import), since
-- the grade's row holds only the score now. Two changes folded into one
-- waiting notice keep the first one's old score: the family never heard of
-- the one in between.

-- +goose Up
ALTER TABLE notices ADD COLUMN old_score numeric(6,2);

-- +goose Down
ALTER TABLE notices DROP COLUMN old_score;
