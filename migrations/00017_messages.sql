-- Messages between families and teachers (issue 14, point 2).
--
-- A guardian (or a pupil, where the school allows it: schools.pupils_write)
-- writes to a teacher of the child; each question and answer is a row of
-- thread_messages, and reaches its reader through the outbox (kinds question
-- and answer, ref_id the message), checked against the access rule when it
-- is sent. A thread joins one writer, one child and one teacher; it ends
-- with the school year of the class they share (ends_at) or when the teacher
-- closes it. The family's message id as Telegram saw it is kept, so that the
-- answer arrives as a reply to it. Office hours hold a question until they
-- begin (outbox.due_at); a teacher may mute a child's family for a week.

-- +goose Up
ALTER TABLE schools ADD COLUMN pupils_write boolean NOT NULL DEFAULT false;

-- Days: a bit per ISO weekday, bit 0 Monday. Times in the school's zone.
CREATE TABLE office_hours (
    teacher_id  bigint PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    days        smallint NOT NULL CHECK (days BETWEEN 1 AND 127),
    opens       time NOT NULL,
    closes      time NOT NULL,
    CONSTRAINT office_hours_order CHECK (opens < closes)
);

CREATE TABLE threads (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    pupil_id    bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    teacher_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    ends_at     timestamptz NOT NULL,
    closed_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- One open thread per writer, child and teacher.
CREATE UNIQUE INDEX threads_open_idx ON threads (account_id, pupil_id, teacher_id) WHERE closed_at IS NULL;
CREATE INDEX threads_teacher_idx ON threads (teacher_id);
-- Forgetting an account deletes its threads (the cascade finds them by this).
CREATE INDEX threads_account_idx ON threads (account_id);
CREATE INDEX threads_pupil_idx ON threads (pupil_id);

CREATE TABLE thread_messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id       bigint NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    from_teacher    boolean NOT NULL,
    body            text NOT NULL CHECK (body <> '' AND length(body) <= 2000),
    -- An answer: the question it answers.
    reply_to        bigint REFERENCES thread_messages (id) ON DELETE CASCADE,
    -- A question: the family's message as Telegram saw it.
    chat_message_id bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT thread_messages_answer CHECK (from_teacher = (reply_to IS NOT NULL))
);
CREATE INDEX thread_messages_thread_idx ON thread_messages (thread_id, created_at);

-- A family muted by a teacher: nothing from the child's accounts until then.
CREATE TABLE thread_mutes (
    teacher_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    pupil_id    bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    until       timestamptz NOT NULL,
    PRIMARY KEY (teacher_id, pupil_id)
);

ALTER TABLE outbox DROP CONSTRAINT outbox_kind,
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('notice', 'digest', 'weekly', 'reminder', 'report', 'revoked',
                                               'question', 'answer'));

-- +goose Down
DELETE FROM outbox WHERE kind IN ('question', 'answer');
ALTER TABLE outbox DROP CONSTRAINT outbox_kind,
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('notice', 'digest', 'weekly', 'reminder', 'report', 'revoked'));
DROP TABLE thread_mutes;
DROP TABLE thread_messages;
DROP TABLE threads;
DROP TABLE office_hours;
ALTER TABLE schools DROP COLUMN pupils_write;
