-- The weekly timetable and what happens to single lessons: changes and topics.
-- A lesson is identified by (class, date, period).

-- +goose Up
-- btree_gist lets one exclusion constraint mix equality on ids with range overlap.
-- It is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE timetable_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id    bigint NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 is Monday
    period      smallint NOT NULL CHECK (period BETWEEN 0 AND 20),
    starts_at   time NOT NULL, -- bell times
    ends_at     time NOT NULL,
    subject_id  bigint NOT NULL REFERENCES subjects (id),
    teacher_id  bigint REFERENCES people (id),
    room        text NOT NULL DEFAULT '',
    valid       daterange NOT NULL, -- the dates this entry applies to
    CONSTRAINT timetable_entries_bells CHECK (starts_at < ends_at),
    CONSTRAINT timetable_entries_valid CHECK (NOT isempty(valid)),
    -- One lesson per class and period at any date. The index behind it also serves
    -- "the lessons of these classes on this weekday at this date".
    CONSTRAINT timetable_entries_no_overlap
        EXCLUDE USING gist (class_id WITH =, weekday WITH =, period WITH =, valid WITH &&)
);

CREATE TABLE lesson_changes (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id              bigint NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    lesson_date           date NOT NULL,
    period                smallint NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('cancelled', 'substitute', 'room', 'moved')),
    substitute_teacher_id bigint REFERENCES people (id),
    room                  text,
    moved_to_date         date,
    moved_to_period       smallint,
    note                  text NOT NULL DEFAULT '',
    created_by            bigint REFERENCES people (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (class_id, lesson_date, period),
    CONSTRAINT lesson_changes_substitute CHECK (kind <> 'substitute' OR substitute_teacher_id IS NOT NULL),
    CONSTRAINT lesson_changes_room CHECK (kind <> 'room' OR room IS NOT NULL),
    CONSTRAINT lesson_changes_moved CHECK (kind <> 'moved' OR (moved_to_date IS NOT NULL AND moved_to_period IS NOT NULL))
);

CREATE TABLE lesson_topics (
    class_id     bigint NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    lesson_date  date NOT NULL,
    period       smallint NOT NULL,
    topic        text NOT NULL CHECK (topic <> ''),
    PRIMARY KEY (class_id, lesson_date, period)
);

-- +goose Down
DROP TABLE lesson_topics;
DROP TABLE lesson_changes;
DROP TABLE timetable_entries;
-- btree_gist stays: other schemas in the database may use it.
