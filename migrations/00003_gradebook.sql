-- Homework, tests, grades, attendance and remarks.

-- +goose Up
CREATE TABLE grade_categories (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id  text NOT NULL UNIQUE,
    title       text NOT NULL,
    weight      numeric(5,2) NOT NULL DEFAULT 1 CHECK (weight > 0),
    active      boolean NOT NULL DEFAULT true
);

-- Homework and graded work (OneRoster lineItems).
CREATE TABLE assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id   text UNIQUE,
    class_id     bigint NOT NULL REFERENCES classes (id),
    category_id  bigint REFERENCES grade_categories (id),
    kind         text NOT NULL CHECK (kind IN ('homework', 'test', 'classwork')),
    title        text NOT NULL DEFAULT '',
    description  text NOT NULL DEFAULT '',
    assigned_on  date,
    due_on       date NOT NULL,
    weight       numeric(5,2) NOT NULL DEFAULT 1 CHECK (weight > 0),
    active       boolean NOT NULL DEFAULT true,
    created_by   bigint REFERENCES people (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Target of grades' composite key: a grade's class is its assignment's class.
    UNIQUE (id, class_id),
    CONSTRAINT assignments_dates CHECK (assigned_on IS NULL OR assigned_on <= due_on)
);
CREATE INDEX assignments_class_due_idx ON assignments (class_id, due_on) WHERE active;

-- Current grades belong to an assignment or to a lesson date; term and year grades
-- belong to an academic session.
CREATE TABLE grades (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id     text UNIQUE,
    class_id       bigint NOT NULL,
    pupil_id       bigint NOT NULL,
    assignment_id  bigint,
    session_id     bigint REFERENCES academic_sessions (id),
    kind           text NOT NULL DEFAULT 'current' CHECK (kind IN ('current', 'term', 'year')),
    score          numeric(6,2) NOT NULL CHECK (score >= 0),
    weight         numeric(5,2) NOT NULL DEFAULT 1 CHECK (weight > 0),
    comment        text NOT NULL DEFAULT '',
    graded_on      date NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Only a pupil enrolled in the class can be graded there.
    CONSTRAINT grades_enrolled FOREIGN KEY (class_id, pupil_id) REFERENCES enrollments (class_id, person_id),
    CONSTRAINT grades_assignment FOREIGN KEY (assignment_id, class_id) REFERENCES assignments (id, class_id),
    CONSTRAINT grades_session_kind CHECK ((kind = 'current') = (session_id IS NULL)),
    UNIQUE (assignment_id, pupil_id)
);
CREATE UNIQUE INDEX grades_final_once_idx ON grades (pupil_id, class_id, session_id, kind) WHERE kind <> 'current';
CREATE INDEX grades_pupil_date_idx ON grades (pupil_id, graded_on);
-- Class averages read only these columns: an index-only scan, no heap visits.
CREATE INDEX grades_class_date_idx ON grades (class_id, graded_on) INCLUDE (pupil_id, score, weight)
    WHERE kind = 'current';

CREATE TABLE attendance (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id     bigint NOT NULL,
    pupil_id     bigint NOT NULL,
    lesson_date  date NOT NULL,
    period       smallint, -- NULL: the whole day
    status       text NOT NULL CHECK (status IN ('absent', 'late')),
    excused      boolean NOT NULL DEFAULT false,
    reason       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT attendance_enrolled FOREIGN KEY (class_id, pupil_id) REFERENCES enrollments (class_id, person_id),
    CONSTRAINT attendance_once UNIQUE NULLS NOT DISTINCT (pupil_id, lesson_date, period)
);

CREATE TABLE remarks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pupil_id   bigint NOT NULL REFERENCES people (id),
    class_id   bigint REFERENCES classes (id),
    author_id  bigint REFERENCES people (id),
    kind       text NOT NULL CHECK (kind IN ('praise', 'warning')),
    body       text NOT NULL CHECK (body <> ''),
    given_on   date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX remarks_pupil_date_idx ON remarks (pupil_id, given_on);

-- +goose Down
DROP TABLE remarks;
DROP TABLE attendance;
DROP TABLE grades;
DROP TABLE assignments;
DROP TABLE grade_categories;
