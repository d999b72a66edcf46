-- What the bot says first: notices written in the same transaction as the change
-- they announce, fanned out to their recipients by the worker; the teachers'
-- audit log; and the state of a conversation in several steps.

-- +goose Up
CREATE TABLE notices (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('grade', 'attendance', 'remark', 'homework', 'schedule', 'meeting', 'announcement')),
    action         text NOT NULL DEFAULT 'new' CHECK (action IN ('new', 'changed', 'cancelled')),
    school_id      bigint NOT NULL REFERENCES schools (id),
    -- The audience: one pupil's family if pupil_id is set, else the class's
    -- pupils and families, else the whole school's.
    class_id       bigint REFERENCES classes (id),
    pupil_id       bigint REFERENCES people (id),
    -- The grade, attendance mark, remark, assignment, lesson change or event.
    ref_id         bigint,
    body           text NOT NULL DEFAULT '', -- an announcement's text
    to_pupils      boolean NOT NULL DEFAULT true,
    to_families    boolean NOT NULL DEFAULT true,
    urgent         boolean NOT NULL DEFAULT false, -- goes through quiet hours
    author_id      bigint REFERENCES people (id),
    -- The teacher's message that shows "delivered N of M", edited as sends complete.
    report_chat_id     bigint,
    report_message_id  bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Not before: a grade waits a little, so a mis-tap undone at once tells no one.
    due_at         timestamptz NOT NULL DEFAULT now(),
    fanned_out_at  timestamptz,
    recipients     integer, -- set by the fan-out: M of "delivered N of M"
    CONSTRAINT notices_fanned_out CHECK ((fanned_out_at IS NULL) = (recipients IS NULL)),
    CONSTRAINT notices_body CHECK ((kind = 'announcement') = (body <> '')),
    CONSTRAINT notices_report CHECK ((report_chat_id IS NULL) = (report_message_id IS NULL))
);
CREATE INDEX notices_pending_idx ON notices (due_at) WHERE fanned_out_at IS NULL;
-- Two changes to one thing before the first went out are one notice.
CREATE UNIQUE INDEX notices_one_pending_idx ON notices (kind, ref_id)
    WHERE fanned_out_at IS NULL AND ref_id IS NOT NULL;

-- Who did what as a teacher, and when. Ids and the change itself; no message text.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
    teacher_id  bigint NOT NULL REFERENCES people (id),
    action      text NOT NULL CHECK (action <> ''),
    class_id    bigint REFERENCES classes (id),
    pupil_id    bigint REFERENCES people (id),
    ref_id      bigint,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- A conversation in several steps (a teacher writing an announcement): what the
-- next typed message answers. One per account; it lapses on its own.
CREATE TABLE conversations (
    account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    flow        text NOT NULL CHECK (flow <> ''),
    state       jsonb NOT NULL DEFAULT '{}',
    expires_at  timestamptz NOT NULL
);

-- A person who is both a teacher and a parent sees one role's menu at a time.
ALTER TABLE accounts ADD COLUMN acting_as text NOT NULL DEFAULT 'family'
    CHECK (acting_as IN ('family', 'teacher'));

-- +goose Down
ALTER TABLE accounts DROP COLUMN acting_as;
DROP TABLE conversations;
DROP TABLE audit_log;
DROP TABLE notices;
