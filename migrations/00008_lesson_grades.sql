-- Grades a teacher gives at a lesson from the phone: one per pupil per lesson,
-- so a second tap replaces the first instead of stacking.

-- +goose Up
ALTER TABLE grades ADD COLUMN period smallint; -- set for a grade given at a lesson of the timetable
ALTER TABLE grades ADD CONSTRAINT grades_lesson
    CHECK (period IS NULL OR (assignment_id IS NULL AND kind = 'current'));
CREATE UNIQUE INDEX grades_lesson_once_idx ON grades (class_id, graded_on, period, pupil_id)
    WHERE period IS NOT NULL;

-- +goose Down
DROP INDEX grades_lesson_once_idx;
ALTER TABLE grades DROP CONSTRAINT grades_lesson;
ALTER TABLE grades DROP COLUMN period;
