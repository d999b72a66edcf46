package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Account is a Telegram user of the bot and their settings.
type Account struct {
	ID             AccountID
	TelegramUserID int64
	ChatID         int64
	Language       string // ru or en
	Settings       Settings
	ActivePupil    PersonID // the child answers are about; 0 when none chosen
	// ActingAs is the role whose menu a person who is both a teacher and a
	// parent sees: ActingFamily or ActingTeacher.
	ActingAs string
	// Conversing tells that a conversation waited for the account's next
	// message when TouchAccount read it (see Conversation); false elsewhere.
	Conversing bool
}

// The roles an account may act in.
const (
	ActingFamily  = "family"
	ActingTeacher = "teacher"
)

// Settings are what an account chose in /settings.
type Settings struct {
	DigestTime      Clock
	DigestWhenEmpty bool
	QuietFrom       Clock
	QuietTo         Clock
	Grades          bool // push new and changed grades
	Homework        bool // push homework for tomorrow
	Schedule        bool // push lesson changes for today and tomorrow
	Meetings        bool // push parent meetings
	Reminders       bool // remind of events the day before
	WeeklySummary   bool
}

const accountColumns = `id, telegram_user_id, chat_id, language, coalesce(active_pupil_id, 0),
	digest_time, digest_when_empty, quiet_from, quiet_to,
	notify_grades, notify_homework, notify_schedule, notify_meetings, notify_reminders, weekly_summary, acting_as`

// scanAccount reads accountColumns and then, into more, the columns after them.
func scanAccount(row pgx.Row, more ...any) (Account, error) {
	var a Account
	var digest, from, to pgtype.Time
	err := row.Scan(append([]any{&a.ID, &a.TelegramUserID, &a.ChatID, &a.Language, &a.ActivePupil,
		&digest, &a.Settings.DigestWhenEmpty, &from, &to,
		&a.Settings.Grades, &a.Settings.Homework, &a.Settings.Schedule, &a.Settings.Meetings,
		&a.Settings.Reminders, &a.Settings.WeeklySummary, &a.ActingAs}, more...)...)
	a.Settings.DigestTime, a.Settings.QuietFrom, a.Settings.QuietTo = clock(digest), clock(from), clock(to)
	return a, err
}

// TouchAccount returns the account of a Telegram user who just wrote to the bot,
// creating it on first contact with the given language. Writing again clears a
// "blocked" mark: the person is evidently reading. Whether a conversation
// waits for the message comes with it (Conversing), so that a message outside
// any conversation costs no query about one.
func (s *Store) TouchAccount(ctx context.Context, telegramUserID, chatID int64, language string) (Account, error) {
	if err := validLanguage(language); err != nil {
		return Account{}, err
	}
	var conversing bool
	a, err := scanAccount(s.db.QueryRow(ctx, touchSQL, telegramUserID, chatID, language, s.Now()), &conversing)
	a.Conversing = conversing
	if err != nil {
		return Account{}, fmt.Errorf("touch account of telegram user %d: %w", telegramUserID, err)
	}
	return a, nil
}

// touchSQL is TouchAccount's statement: the account with accountColumns and
// whether a conversation waits.
const touchSQL = `
INSERT INTO accounts (telegram_user_id, chat_id, language) VALUES ($1, $2, $3)
ON CONFLICT (telegram_user_id) DO UPDATE
SET chat_id = excluded.chat_id, last_seen_at = now(), blocked_at = NULL
RETURNING ` + accountColumns + `,
    EXISTS (SELECT FROM conversations c WHERE c.account_id = accounts.id AND c.expires_at > $4)`

// Visit is what a message from a person finds: their account (TouchAccount)
// and, for an account acting as a family asked with children, the children
// it is linked to as the access rule sees them now (Children, without the
// classes' titles).
type Visit struct {
	Account Account
	// Children is nil unless Family: an account acting as a teacher, or a
	// visit asked without children, gets them from Children when it asks
	// about one.
	Children []Child
	Family   bool
}

// visitSQL is touchSQL and, for an account acting as a family when $5, the
// deciding links of accountLinksSQL: a row for each (all NULL for none). The
// conditions are inside the LATERAL, where PostgreSQL tests them once before
// it reads any link; in the join's ON it read them all and then dropped them.
const visitSQL = `
WITH a AS (` + touchSQL + `)
SELECT a.*, k.* FROM a
LEFT JOIN LATERAL (` + linkSQL + `l.account_id = a.id AND a.acting_as = '` + ActingFamily + `' AND $5::boolean` + linkOrder + `) k ON true`

// Visit is TouchAccount and, with children, the account's children in one
// statement: what an update about a child needs before it knows which.
func (s *Store) Visit(ctx context.Context, telegramUserID, chatID int64, language string, children bool) (Visit, error) {
	if err := validLanguage(language); err != nil {
		return Visit{}, err
	}
	var (
		v                Visit
		links            []pupilLink
		seen, conversing bool
		now              = s.Now()
	)
	rows, err := s.db.Query(ctx, visitSQL, telegramUserID, chatID, language, now, children)
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var l pupilLink
			dest, found := linkDest(&l)
			if v.Account, err = scanAccount(rows, append([]any{&conversing}, dest...)...); err != nil {
				break
			}
			if seen = true; found() {
				links = append(links, l)
			}
		}
		err = errors.Join(err, rows.Err())
	}
	if err == nil && !seen {
		err = pgx.ErrNoRows
	}
	if err != nil {
		return Visit{}, fmt.Errorf("visit of telegram user %d: %w", telegramUserID, err)
	}
	v.Account.Conversing = conversing
	if v.Family = children && v.Account.ActingAs == ActingFamily; v.Family {
		if v.Children, err = childrenOf(links, now); err != nil {
			return Visit{}, err
		}
	}
	return v, nil
}

// validLanguage refuses a language the bot does not speak.
func validLanguage(language string) error {
	if language != "ru" && language != "en" {
		return Errorf(EINVALID, "language %q", language)
	}
	return nil
}

// SetLanguage changes the account's language.
func (s *Store) SetLanguage(ctx context.Context, account AccountID, language string) error {
	if err := validLanguage(language); err != nil {
		return err
	}
	return s.updateAccount(ctx, account, `UPDATE accounts SET language = $2 WHERE id = $1`, language)
}

// SaveSettings stores the account's settings.
func (s *Store) SaveSettings(ctx context.Context, account AccountID, st Settings) error {
	for _, c := range []Clock{st.DigestTime, st.QuietFrom, st.QuietTo} {
		if c < 0 || c >= 24*60 {
			return Errorf(EINVALID, "time of day %d out of range", c)
		}
	}
	const q = `
UPDATE accounts SET digest_time = $2, digest_when_empty = $3, quiet_from = $4, quiet_to = $5,
       notify_grades = $6, notify_homework = $7, notify_schedule = $8, notify_meetings = $9,
       notify_reminders = $10, weekly_summary = $11
WHERE id = $1`
	return s.updateAccount(ctx, account, q, st.DigestTime.pg(), st.DigestWhenEmpty, st.QuietFrom.pg(), st.QuietTo.pg(),
		st.Grades, st.Homework, st.Schedule, st.Meetings, st.Reminders, st.WeeklySummary)
}

// SetActingAs switches the role whose menu the account sees.
func (s *Store) SetActingAs(ctx context.Context, account AccountID, role string) error {
	if role != ActingFamily && role != ActingTeacher {
		return Errorf(EINVALID, "acting as %q", role)
	}
	return s.updateAccount(ctx, account, `UPDATE accounts SET acting_as = $2 WHERE id = $1`, role)
}

// ChoosePupil makes pupil the account's active child, if the account may see them.
func (s *Store) ChoosePupil(ctx context.Context, account AccountID, pupil PersonID) (PupilAccess, error) {
	a, err := s.PupilAccess(ctx, account, pupil)
	if err != nil {
		return PupilAccess{}, err
	}
	if err := s.updateAccount(ctx, account, `UPDATE accounts SET active_pupil_id = $2 WHERE id = $1`, pupil); err != nil {
		return PupilAccess{}, err
	}
	return a, nil
}

func (s *Store) updateAccount(ctx context.Context, account AccountID, q string, args ...any) error {
	tag, err := s.db.Exec(ctx, q, append([]any{account}, args...)...)
	if err != nil {
		return fmt.Errorf("update account %d: %w", account, err)
	}
	if tag.RowsAffected() == 0 {
		return Errorf(ENOTFOUND, "account %d", account)
	}
	return nil
}

func (c Clock) pg() pgtype.Time {
	return pgtype.Time{Microseconds: int64(c) * 60e6, Valid: true}
}

// Child is a pupil an account is linked to, with the state of that link.
type Child struct {
	Pupil  Person
	Class  string // the homeroom class's title, e.g. 7А
	Role   Role
	LinkID int64
	Ended  Code // "" when the account may see the pupil now, else why not
	// Access is the account's access to the pupil, checked: what the views
	// of this request take (zero when Ended says why not).
	Access PupilAccess
}

// homeroomOfP is the title of the homeroom class of the pupil p, "" for none.
const homeroomOfP = `coalesce((SELECT c.title FROM enrollments e JOIN classes c ON c.id = e.class_id
                  WHERE e.person_id = p.id AND e.role = 'student' AND e.active AND c.kind = 'homeroom'
                  ORDER BY c.title LIMIT 1), '')`

// Children lists the pupils an account is linked to, live links first, so the
// bot can offer a choice and explain a link that has run out. Two queries
// whatever the number of children: the deciding links, checked by the access
// rule itself (pupilLink.check), then the children's homeroom classes.
func (s *Store) Children(ctx context.Context, account AccountID) ([]Child, error) {
	rows, _ := s.db.Query(ctx, accountLinksSQL, []AccountID{account})
	links, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pupilLink, error) { return scanPupilLink(row) })
	if err != nil {
		return nil, fmt.Errorf("list children of account %d: %w", account, err)
	}
	children, err := childrenOf(links, s.Now())
	if err != nil || len(children) == 0 {
		return nil, err
	}
	ids := make([]PersonID, len(children))
	for i, c := range children {
		ids[i] = c.Pupil.ID
	}
	classes := make(map[PersonID]string, len(ids))
	var id PersonID
	var class string
	rows, _ = s.db.Query(ctx, `SELECT p.id, `+homeroomOfP+` FROM people p WHERE p.id = ANY($1)`, ids)
	if _, err := pgx.ForEachRow(rows, []any{&id, &class}, func() error { classes[id] = class; return nil }); err != nil {
		return nil, fmt.Errorf("classes of the children of account %d: %w", account, err)
	}
	for i := range children {
		children[i].Class = classes[children[i].Pupil.ID]
	}
	return children, nil
}

// childrenOf is the children of an account's deciding links, checked by the
// access rule itself (pupilLink.check) at now: live ones first, those whose
// link ended after them, the unlinked left out.
func childrenOf(links []pupilLink, now time.Time) ([]Child, error) {
	var live, ended []Child
	for _, l := range links {
		c := Child{Pupil: l.access.Pupil, Role: l.access.Role, LinkID: l.access.LinkID}
		a, err := l.check(now)
		switch code := ErrorCode(err); code {
		case "":
			c.Access = a
			live = append(live, c)
		case EREVOKED:
			continue // an unlinked child is gone from the list
		case EEXPIRED, EFORBIDDEN:
			c.Ended = code
			ended = append(ended, c)
		default:
			return nil, err
		}
	}
	return append(live, ended...), nil
}

// Unlink ends the account's own link to a pupil, and with it the access of the
// trusted people that link invited.
func (s *Store) Unlink(ctx context.Context, account AccountID, pupil PersonID) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `UPDATE account_links SET revoked_at = $3, revoked_by = 'self'
		                          WHERE account_id = $1 AND person_id = $2 AND role <> 'teacher' AND revoked_at IS NULL
		                          RETURNING id`, account, pupil, s.Now())
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("unlink account %d from pupil %d: %w", account, pupil, err)
		}
		if len(ids) == 0 {
			return Errorf(ENOTFOUND, "account %d has no live link to pupil %d", account, pupil)
		}
		_, err = tx.Exec(ctx, `UPDATE account_links SET revoked_at = $2, revoked_by = 'guardian'
		                       WHERE granted_by = ANY($1) AND revoked_at IS NULL`, ids, s.Now())
		if err != nil {
			return fmt.Errorf("revoke invitations of account %d: %w", account, err)
		}
		_, err = tx.Exec(ctx, `UPDATE accounts SET active_pupil_id = NULL WHERE id = $1 AND active_pupil_id = $2`, account, pupil)
		if err != nil {
			return fmt.Errorf("forget the chosen child of account %d: %w", account, err)
		}
		return s.audit(ctx, tx, AuditEntry{Actor: ActorFamily, Account: account, Action: "link.unlink", Pupil: pupil, Ref: ids[0]})
	})
}

// UnlinkTeacher ends the account's own teacher link: the chat stops acting
// as a teacher, and the school needs to hand out a new code to undo it.
func (s *Store) UnlinkTeacher(ctx context.Context, account AccountID) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var link int64
		var teacher PersonID
		err := tx.QueryRow(ctx, `UPDATE account_links SET revoked_at = $2, revoked_by = 'self'
		                         WHERE account_id = $1 AND role = 'teacher' AND revoked_at IS NULL
		                         RETURNING id, person_id`, account, s.Now()).Scan(&link, &teacher)
		if errors.Is(err, pgx.ErrNoRows) {
			return Errorf(ENOTFOUND, "account %d has no live teacher link", account)
		}
		if err != nil {
			return fmt.Errorf("unlink teacher account %d: %w", account, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET acting_as = 'family' WHERE id = $1`, account); err != nil {
			return fmt.Errorf("account %d acts as family: %w", account, err)
		}
		return s.audit(ctx, tx, AuditEntry{Account: account, Teacher: teacher, Action: "link.unlink", Ref: link})
	})
}

// schoolYearEnd is when a link made now for the person (a pupil, or a teacher
// by the classes they teach) ends: the day after the current school year of
// their classes ends, at midnight in the school's zone; without a known school
// year, the 1st of September that starts the next.
func (s *Store) schoolYearEnd(ctx context.Context, q pgx.Tx, person PersonID, role Role) (time.Time, error) {
	const sql = `
SELECT y.end_date, coalesce(sc.time_zone, 'Europe/Moscow')
FROM people p
LEFT JOIN schools sc ON sc.id = p.school_id
LEFT JOIN LATERAL (
    SELECT max(ys.end_date) AS end_date
    FROM enrollments e JOIN classes c ON c.id = e.class_id JOIN academic_sessions ys ON ys.id = c.school_year_id
    WHERE e.person_id = p.id AND e.role = $3 AND e.active AND ys.end_date >= $2) y ON true
WHERE p.id = $1`
	now := s.Now()
	var end *time.Time
	var zone string
	enrolled := "student"
	if role == RoleTeacher {
		enrolled = "teacher"
	}
	err := q.QueryRow(ctx, sql, person, now, enrolled).Scan(&end, &zone)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, Errorf(ENOTFOUND, "person %d", person)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("school year of person %d: %w", person, err)
	}
	loc, err := location(zone)
	if err != nil {
		return time.Time{}, err
	}
	if end == nil {
		today := Date(now, loc)
		year := today.Year()
		if today.Month() >= time.September {
			year++
		}
		return time.Date(year, time.September, 1, 0, 0, 0, 0, loc), nil
	}
	return time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, loc), nil
}
