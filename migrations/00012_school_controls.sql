-- The school's controls over links, and forgetting.
--
-- The audit log records who acted: a teacher (teacher_id), the school's
-- administrator at the command line (dnevnik links revoke), or a family in
-- the bot (a guardian revoking an invitation, anyone unlinking or forgetting
-- themselves; account_id, which /forget clears).
-- A link says who ended it, so that `links list` and the person told can
-- tell a school's revocation from their own unlink.
-- The outbox gets the message that tells a person the school ended a link.
-- The purge (retention) deletes ended outbox rows, spent codes and old code
-- attempts by age: each gets the index that finds them. Forgetting an
-- account (and the purge of accounts) deletes or clears every row that
-- names it: each table that names an account gets the index that finds its
-- rows, or each deleted account would read the whole table.

-- +goose Up
ALTER TABLE audit_log ALTER COLUMN teacher_id DROP NOT NULL,
    ADD COLUMN actor text NOT NULL DEFAULT 'teacher' CHECK (actor IN ('teacher', 'school', 'family')),
    ADD CONSTRAINT audit_log_teacher CHECK (actor <> 'teacher' OR teacher_id IS NOT NULL);

ALTER TABLE account_links ADD COLUMN revoked_by text
    CHECK (revoked_by IN ('self', 'guardian', 'school', 'replaced')),
    ADD CONSTRAINT account_links_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)) NOT VALID;
UPDATE account_links SET revoked_by = 'self' WHERE revoked_at IS NOT NULL;
ALTER TABLE account_links VALIDATE CONSTRAINT account_links_revoked_by;

ALTER TABLE outbox DROP CONSTRAINT outbox_kind,
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('notice', 'digest', 'weekly', 'reminder', 'report', 'revoked'));

CREATE INDEX outbox_ended_idx ON outbox (created_at) WHERE status IN ('sent', 'dropped', 'failed');
CREATE INDEX link_codes_expires_idx ON link_codes (expires_at);
CREATE INDEX link_attempts_at_idx ON link_attempts (attempted_at);
CREATE INDEX link_codes_used_by_idx ON link_codes (used_by) WHERE used_by IS NOT NULL;
CREATE INDEX link_codes_granted_by_idx ON link_codes (granted_by) WHERE granted_by IS NOT NULL;
CREATE INDEX outbox_account_idx ON outbox (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX audit_log_account_idx ON audit_log (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX diary_signatures_account_idx ON diary_signatures (account_id);
CREATE INDEX event_rsvps_account_idx ON event_rsvps (account_id);
CREATE INDEX notices_report_chat_idx ON notices (report_chat_id) WHERE report_chat_id IS NOT NULL;

-- +goose Down
DROP INDEX notices_report_chat_idx;
DROP INDEX event_rsvps_account_idx;
DROP INDEX diary_signatures_account_idx;
DROP INDEX audit_log_account_idx;
DROP INDEX outbox_account_idx;
DROP INDEX link_codes_granted_by_idx;
DROP INDEX link_codes_used_by_idx;
DROP INDEX link_attempts_at_idx;
DROP INDEX link_codes_expires_idx;
DROP INDEX outbox_ended_idx;
DELETE FROM outbox WHERE kind = 'revoked';
ALTER TABLE outbox DROP CONSTRAINT outbox_kind,
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('notice', 'digest', 'weekly', 'reminder', 'report'));
ALTER TABLE account_links DROP CONSTRAINT account_links_revoked_by, DROP COLUMN revoked_by;
DELETE FROM audit_log WHERE teacher_id IS NULL;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_teacher, DROP COLUMN actor,
    ALTER COLUMN teacher_id SET NOT NULL;
