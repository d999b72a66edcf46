-- Telegram accounts, what they may see (links), how they get it (one-time codes),
-- and the weekly diary signature.

-- +goose Up
CREATE TABLE accounts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    telegram_user_id   bigint NOT NULL UNIQUE,
    chat_id            bigint NOT NULL,
    language           text NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en')),
    -- NULL: the time zone of the school of the child (or class) the message is about.
    time_zone          text CHECK (time_zone IS NULL OR is_time_zone(time_zone)),
    digest_time        time NOT NULL DEFAULT '19:00',
    digest_when_empty  boolean NOT NULL DEFAULT false,
    quiet_from         time NOT NULL DEFAULT '22:00',
    quiet_to           time NOT NULL DEFAULT '07:00',
    notify_grades      boolean NOT NULL DEFAULT true,
    notify_homework    boolean NOT NULL DEFAULT true,
    notify_schedule    boolean NOT NULL DEFAULT true,
    notify_meetings    boolean NOT NULL DEFAULT true,
    notify_reminders   boolean NOT NULL DEFAULT true,
    weekly_summary     boolean NOT NULL DEFAULT true,
    active_pupil_id    bigint REFERENCES people (id) ON DELETE SET NULL,
    -- Set when Telegram answers 403 (the person blocked the bot); cleared when they write again.
    blocked_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_seen_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_digest_idx ON accounts (digest_time) WHERE blocked_at IS NULL;

-- What an account may see: a pupil (as guardian, the pupil themself, or a trusted
-- person invited by a guardian) or, for a teacher, their own person record.
CREATE TABLE account_links (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('guardian', 'student', 'trusted', 'teacher')),
    person_id    bigint NOT NULL,
    person_role  text NOT NULL GENERATED ALWAYS AS (CASE WHEN role = 'teacher' THEN 'teacher' ELSE 'student' END) STORED,
    -- A trusted person's access hangs on the guardian link that invited them.
    granted_by   bigint REFERENCES account_links (id),
    valid_from   timestamptz NOT NULL DEFAULT now(),
    valid_until  timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT account_links_person FOREIGN KEY (person_id, person_role) REFERENCES people (id, role),
    CONSTRAINT account_links_trusted CHECK ((role = 'trusted') = (granted_by IS NOT NULL)),
    CONSTRAINT account_links_validity CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE UNIQUE INDEX account_links_live_idx ON account_links (account_id, person_id, role) WHERE revoked_at IS NULL;
CREATE INDEX account_links_person_idx ON account_links (person_id) WHERE revoked_at IS NULL;
CREATE INDEX account_links_granted_by_idx ON account_links (granted_by) WHERE granted_by IS NOT NULL;

-- One-time codes handed out on paper or as a deep link. Only a hash is stored.
CREATE TABLE link_codes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_hash    bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    role         text NOT NULL CHECK (role IN ('guardian', 'student', 'trusted', 'teacher')),
    person_id    bigint NOT NULL,
    person_role  text NOT NULL GENERATED ALWAYS AS (CASE WHEN role = 'teacher' THEN 'teacher' ELSE 'student' END) STORED,
    granted_by   bigint REFERENCES account_links (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    used_by      bigint REFERENCES accounts (id),
    CONSTRAINT link_codes_person FOREIGN KEY (person_id, person_role) REFERENCES people (id, role),
    CONSTRAINT link_codes_trusted CHECK ((role = 'trusted') = (granted_by IS NOT NULL)),
    CONSTRAINT link_codes_expiry CHECK (expires_at > created_at),
    CONSTRAINT link_codes_used CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX link_codes_person_idx ON link_codes (person_id);

-- Every code typed, right or wrong, so guessing can be throttled per Telegram user.
CREATE TABLE link_attempts (
    telegram_user_id  bigint NOT NULL,
    attempted_at      timestamptz NOT NULL DEFAULT now(),
    succeeded         boolean NOT NULL
);
CREATE INDEX link_attempts_user_idx ON link_attempts (telegram_user_id, attempted_at);

-- A guardian's signature under a finished week of the diary.
CREATE TABLE diary_signatures (
    pupil_id    bigint NOT NULL REFERENCES people (id),
    week_start  date NOT NULL,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    signed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pupil_id, week_start, account_id),
    CONSTRAINT diary_signatures_monday CHECK (extract(isodow FROM week_start) = 1)
);

-- +goose Down
DROP TABLE diary_signatures;
DROP TABLE link_attempts;
DROP TABLE link_codes;
DROP TABLE account_links;
DROP TABLE accounts;
