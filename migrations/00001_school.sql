-- The school itself: organisations, the calendar, subjects, classes, people and who
-- belongs where. Every imported row keeps the sourcedId it came with, so a re-import
-- upserts instead of duplicating.

-- +goose Up
-- +goose StatementBegin
-- is_time_zone reports whether PostgreSQL knows the IANA zone name. Declared
-- IMMUTABLE so CHECK constraints may use it; zone names do not disappear in practice.
CREATE FUNCTION is_time_zone(tz text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    PERFORM now() AT TIME ZONE tz;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END
$$;
-- +goose StatementEnd

-- Lists read in Russian order: Ё right after Е, and numbers as numbers, so that
-- 7А comes before 10А. Deterministic, so equality and unique keys stay bytewise.
CREATE COLLATION ru_natural (provider = icu, locale = 'ru-u-kn');

CREATE TABLE schools (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id  text NOT NULL UNIQUE,
    name        text NOT NULL CHECK (name <> ''),
    time_zone   text NOT NULL DEFAULT 'Europe/Moscow' CHECK (is_time_zone(time_zone)),
    -- The grading scale; Russian schools use 1..5.
    grade_min   smallint NOT NULL DEFAULT 1,
    grade_max   smallint NOT NULL DEFAULT 5,
    active      boolean NOT NULL DEFAULT true,
    CONSTRAINT schools_grade_scale CHECK (grade_min < grade_max)
);

-- School years, terms, semesters and grading periods (OneRoster academicSessions).
-- They are district-wide in OneRoster 1.1, so they carry no school.
CREATE TABLE academic_sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id  text NOT NULL UNIQUE,
    parent_id   bigint REFERENCES academic_sessions (id),
    title       text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('school_year', 'term', 'semester', 'grading_period')),
    school_year smallint NOT NULL,
    start_date  date NOT NULL,
    end_date    date NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    CONSTRAINT academic_sessions_dates CHECK (start_date <= end_date)
);
CREATE INDEX academic_sessions_parent_idx ON academic_sessions (parent_id);
CREATE INDEX academic_sessions_dates_idx ON academic_sessions (kind, start_date, end_date);

CREATE TABLE subjects (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  bigint NOT NULL REFERENCES schools (id),
    name       text COLLATE ru_natural NOT NULL CHECK (name <> ''),
    UNIQUE (school_id, name)
);

-- A homeroom class (7А) or a subject section (7А, algebra; a language group).
CREATE TABLE classes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id     text NOT NULL UNIQUE,
    school_id      bigint NOT NULL REFERENCES schools (id),
    title          text COLLATE ru_natural NOT NULL CHECK (title <> ''),
    kind           text NOT NULL CHECK (kind IN ('homeroom', 'section')),
    grade_level    text NOT NULL DEFAULT '',
    subject_id     bigint REFERENCES subjects (id),
    school_year_id bigint REFERENCES academic_sessions (id),
    active         boolean NOT NULL DEFAULT true
);
CREATE INDEX classes_school_idx ON classes (school_id);

CREATE TABLE people (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id   text NOT NULL UNIQUE,
    -- NULL for a guardian whose children attend several schools.
    school_id    bigint REFERENCES schools (id),
    role         text NOT NULL CHECK (role IN ('student', 'guardian', 'teacher', 'staff')),
    family_name  text COLLATE ru_natural NOT NULL,
    given_name   text COLLATE ru_natural NOT NULL,
    middle_name  text COLLATE ru_natural NOT NULL DEFAULT '',
    active       boolean NOT NULL DEFAULT true,
    -- Target of composite foreign keys that pin the role of the person referred to.
    UNIQUE (id, role)
);
CREATE INDEX people_school_role_idx ON people (school_id, role);

CREATE TABLE guardianships (
    guardian_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    pupil_id     bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    relation     text NOT NULL DEFAULT 'parent' CHECK (relation IN ('parent', 'guardian', 'relative')),
    PRIMARY KEY (guardian_id, pupil_id),
    CONSTRAINT guardianships_not_self CHECK (guardian_id <> pupil_id)
);
CREATE INDEX guardianships_pupil_idx ON guardianships (pupil_id);

-- Pupils enrolled in a class and teachers assigned to teach it: one table, as in
-- OneRoster, told apart by role. A person holds one role in a class.
CREATE TABLE enrollments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sourced_id  text UNIQUE,
    class_id    bigint NOT NULL REFERENCES classes (id),
    person_id   bigint NOT NULL REFERENCES people (id),
    role        text NOT NULL CHECK (role IN ('student', 'teacher', 'aide')),
    is_primary  boolean NOT NULL DEFAULT false,
    begin_date  date,
    end_date    date,
    active      boolean NOT NULL DEFAULT true,
    UNIQUE (class_id, person_id),
    CONSTRAINT enrollments_dates CHECK (begin_date IS NULL OR end_date IS NULL OR begin_date <= end_date)
);
CREATE INDEX enrollments_person_idx ON enrollments (person_id) INCLUDE (class_id, role) WHERE active;

-- +goose Down
DROP TABLE enrollments;
DROP TABLE guardianships;
DROP TABLE people;
DROP TABLE classes;
DROP TABLE subjects;
DROP TABLE academic_sessions;
DROP TABLE schools;
DROP COLLATION ru_natural;
DROP FUNCTION is_time_zone(text);
