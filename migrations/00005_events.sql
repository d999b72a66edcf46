-- School events and parent meetings, and the answers to meeting invitations.

-- +goose Up
CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id   bigint NOT NULL REFERENCES schools (id),
    class_id    bigint REFERENCES classes (id), -- NULL: the whole school
    kind        text NOT NULL CHECK (kind IN ('event', 'meeting')),
    title       text NOT NULL CHECK (title <> ''),
    agenda      text NOT NULL DEFAULT '',
    place       text NOT NULL DEFAULT '',
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz,
    cancelled_at timestamptz,
    created_by  bigint REFERENCES people (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_times CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX events_class_idx ON events (class_id, starts_at);
CREATE INDEX events_school_idx ON events (school_id, starts_at) WHERE class_id IS NULL;

CREATE TABLE event_rsvps (
    event_id     bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    answer       text NOT NULL CHECK (answer IN ('yes', 'no')),
    answered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, account_id)
);

-- +goose Down
DROP TABLE event_rsvps;
DROP TABLE events;
