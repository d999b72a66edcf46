package diary

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Messages between families and teachers: a guardian (a pupil too, where the
// school allows it) writes to a teacher of the child; the teacher answers.
// Each question and answer is a row of thread_messages and reaches its reader
// through the outbox (MessageQuestion, MessageAnswer), checked against the
// access rule when it is sent: a writer whose link ended reads no answer.
// The diary owns every limit here: who may write, to whom, how often, when.

// MessagesPerHour is how many messages one account may write in an hour,
// counted in the transaction that writes one, so it holds across bot
// processes.
const MessagesPerHour = 5

// MessageMaxLength is the longest message, in characters.
const MessageMaxLength = 2000

// MuteFor is how long a teacher's mute of a family lasts.
const MuteFor = 7 * 24 * time.Hour

// OfficeHours are when a teacher reads messages: on Days (a bit per ISO
// weekday, bit 0 Monday) from Opens to Closes, in the school's zone. The zero
// value is none: a message goes at once.
type OfficeHours struct {
	Days          uint8
	Opens, Closes Clock
}

// Set tells whether the teacher set office hours.
func (h OfficeHours) Set() bool { return h.Days != 0 }

// open tells whether the day, an ISO weekday (1 Monday), is a day of office hours.
func (h OfficeHours) open(weekday int) bool { return h.Days&(1<<(weekday-1)) != 0 }

// Next is when a message written at `at` is read: `at` itself within office
// hours (or without any), else the next time they begin.
func (h OfficeHours) Next(at time.Time, loc *time.Location) time.Time {
	if !h.Set() {
		return at
	}
	local := at.In(loc)
	for i := 0; i <= 7; i++ {
		d := local.AddDate(0, 0, i)
		weekday := (int(d.Weekday())+6)%7 + 1
		if !h.open(weekday) {
			continue
		}
		// Built from the date, so a DST change that day is honoured.
		opens := time.Date(d.Year(), d.Month(), d.Day(), int(h.Opens)/60, int(h.Opens)%60, 0, 0, loc)
		closes := time.Date(d.Year(), d.Month(), d.Day(), int(h.Closes)/60, int(h.Closes)%60, 0, 0, loc)
		switch {
		case i == 0 && !at.Before(opens) && at.Before(closes):
			return at
		case at.Before(opens):
			return opens
		}
	}
	return at // unreachable with a day set: a week later there is one
}

// ParseOfficeHours reads what a teacher types after /hours: optional days
// ("пн-пт", "mon,wed", "вт–чт") and the hours ("15:00-18:00"); every day of
// the week without days. "off" (or "нет") clears them: ok with the zero value.
func ParseOfficeHours(s string) (OfficeHours, error) {
	bad := refuse(EINVALID, ReasonOfficeHours, nil, "malformed office hours")
	fields := strings.Fields(strings.ToLower(strings.ReplaceAll(s, "–", "-")))
	switch {
	case len(fields) == 1 && (fields[0] == "off" || fields[0] == "нет"):
		return OfficeHours{}, nil
	case len(fields) == 0 || len(fields) > 2:
		return OfficeHours{}, bad
	}
	h := OfficeHours{Days: 127}
	if len(fields) == 2 {
		days, ok := parseDays(fields[0])
		if !ok {
			return OfficeHours{}, bad
		}
		h.Days = days
	}
	from, to, ok := strings.Cut(fields[len(fields)-1], "-")
	if !ok {
		return OfficeHours{}, bad
	}
	var okFrom, okTo bool
	h.Opens, okFrom = parseClock(from)
	h.Closes, okTo = parseClock(to)
	if !okFrom || !okTo || h.Opens >= h.Closes {
		return OfficeHours{}, bad
	}
	return h, nil
}

// weekdayNames are the days a teacher may type, by ISO weekday less one.
var weekdayNames = [7][]string{
	{"пн", "mon", "mo"}, {"вт", "tue", "tu"}, {"ср", "wed", "we"}, {"чт", "thu", "th"},
	{"пт", "fri", "fr"}, {"сб", "sat", "sa"}, {"вс", "sun", "su"},
}

func weekdayIndex(name string) (int, bool) {
	for i, names := range weekdayNames {
		for _, n := range names {
			if n == name {
				return i, true
			}
		}
	}
	return 0, false
}

// parseDays reads "пн-пт", "mon,wed,fri" or "сб" as a bit per weekday.
func parseDays(s string) (uint8, bool) {
	var days uint8
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		i, ok := weekdayIndex(from)
		if !ok {
			return 0, false
		}
		j := i
		if isRange {
			if j, ok = weekdayIndex(to); !ok || j < i {
				return 0, false
			}
		}
		for d := i; d <= j; d++ {
			days |= 1 << d
		}
	}
	return days, days != 0
}

// parseClock reads "15:00", "9.30" or "15" as a time of day.
func parseClock(s string) (Clock, bool) {
	hh, mm, hasMinutes := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	h, err := strconv.Atoi(hh)
	if err != nil || h < 0 || h > 24 {
		return 0, false
	}
	m := 0
	if hasMinutes {
		if m, err = strconv.Atoi(mm); err != nil || len(mm) != 2 || m < 0 || m > 59 {
			return 0, false
		}
	}
	c := Clock(h*60 + m)
	return c, c <= 24*60
}

// Weekdays lists the ISO weekdays (1 Monday) of the office hours.
func (h OfficeHours) Weekdays() []int {
	var days []int
	for d := 1; d <= 7; d++ {
		if h.open(d) {
			days = append(days, d)
		}
	}
	return days
}

// SetOfficeHours sets (or, with the zero value, clears) the office hours of
// the teacher linked to the account.
func (s *Store) SetOfficeHours(ctx context.Context, account AccountID, h OfficeHours) error {
	_, a, err := s.teacherClasses(ctx, account, -1)
	if err != nil {
		return err
	}
	q := `DELETE FROM office_hours WHERE teacher_id = $1`
	args := []any{a.Teacher.ID}
	if h.Set() {
		q = `INSERT INTO office_hours (teacher_id, days, opens, closes) VALUES ($1, $2, $3, $4)
ON CONFLICT (teacher_id) DO UPDATE SET days = $2, opens = $3, closes = $4`
		args = append(args, int16(h.Days), h.Opens.pg(), h.Closes.pg())
	}
	if _, err := s.db.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("set office hours of teacher %d: %w", a.Teacher.ID, err)
	}
	return nil
}

// OfficeHoursOf reads the office hours of the teacher linked to the account.
func (s *Store) OfficeHoursOf(ctx context.Context, account AccountID) (OfficeHours, error) {
	_, a, err := s.teacherClasses(ctx, account, -1)
	if err != nil {
		return OfficeHours{}, err
	}
	return s.officeHours(ctx, s.db, a.Teacher.ID)
}

// queryRower is a pool or a transaction: a query of one row.
type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) officeHours(ctx context.Context, q queryRower, teacher PersonID) (OfficeHours, error) {
	var (
		h             OfficeHours
		days          int16
		opens, closes time.Duration
	)
	err := q.QueryRow(ctx, `SELECT days, opens - time '00:00', closes - time '00:00' FROM office_hours WHERE teacher_id = $1`,
		teacher).Scan(&days, &opens, &closes)
	if errors.Is(err, pgx.ErrNoRows) {
		return OfficeHours{}, nil
	}
	if err != nil {
		return OfficeHours{}, fmt.Errorf("office hours of teacher %d: %w", teacher, err)
	}
	h.Days, h.Opens, h.Closes = uint8(days), Clock(opens/time.Minute), Clock(closes/time.Minute)
	return h, nil
}

// MessageTeacher is a teacher a family may write to about a child.
type MessageTeacher struct {
	Teacher  Person
	Homeroom bool     // the child's class teacher
	Subjects []string // the subjects they teach the child
	Hours    OfficeHours
}

// messageTeachersSQL lists the teachers of pupil $1 who are in the bot at $2
// (a live teacher link), the class teacher first; $3, when not 0, keeps only
// that teacher. With each: the subjects, the office hours, and the end of the
// latest school year of the classes they share with the pupil.
const messageTeachersSQL = `
SELECT t.id, t.family_name, t.given_name, t.middle_name, bool_or(c.kind = 'homeroom'),
       coalesce(array_agg(DISTINCT sub.name ORDER BY sub.name) FILTER (WHERE sub.name IS NOT NULL), '{}'),
       coalesce(h.days, 0), coalesce(h.opens - time '00:00', '0'), coalesce(h.closes - time '00:00', '0'),
       max(y.end_date)
FROM enrollments ep
JOIN classes c ON c.id = ep.class_id AND c.active
JOIN enrollments et ON et.class_id = c.id AND et.role = 'teacher' AND et.active
JOIN people t ON t.id = et.person_id AND t.active
LEFT JOIN subjects sub ON sub.id = c.subject_id
LEFT JOIN academic_sessions y ON y.id = c.school_year_id
LEFT JOIN office_hours h ON h.teacher_id = t.id
WHERE ep.person_id = $1 AND ep.role = 'student' AND ep.active AND ($3::bigint = 0 OR t.id = $3)
  AND EXISTS (SELECT FROM account_links l WHERE l.person_id = t.id AND l.role = 'teacher' AND l.revoked_at IS NULL
              AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2))
GROUP BY t.id, h.days, h.opens, h.closes
ORDER BY bool_or(c.kind = 'homeroom') DESC, t.family_name, t.given_name, t.id`

// messageTeacher is a row of messageTeachersSQL: the teacher, and the last
// day of the school year they share with the pupil (nil: none known).
type messageTeacher struct {
	MessageTeacher
	yearEnds *time.Time
}

func (s *Store) messageTeachers(ctx context.Context, q querier, pupil PersonID, only PersonID) ([]messageTeacher, error) {
	rows, _ := q.Query(ctx, messageTeachersSQL, pupil, s.Now(), only)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (messageTeacher, error) {
		var (
			t             messageTeacher
			days          int16
			opens, closes time.Duration
		)
		err := row.Scan(&t.Teacher.ID, &t.Teacher.FamilyName, &t.Teacher.GivenName, &t.Teacher.MiddleName,
			&t.Homeroom, &t.Subjects, &days, &opens, &closes, &t.yearEnds)
		t.Hours = OfficeHours{Days: uint8(days), Opens: Clock(opens / time.Minute), Closes: Clock(closes / time.Minute)}
		return t, err
	})
}

// mayWrite refuses an account that may not write about the child: a trusted
// person, and a pupil unless the school lets pupils write.
func (s *Store) mayWrite(ctx context.Context, q queryRower, a PupilAccess) error {
	switch a.Role {
	case RoleGuardian:
		return nil
	case RoleStudent:
		var allowed bool
		if err := q.QueryRow(ctx, `SELECT pupils_write FROM schools WHERE id = $1`, a.School.ID).Scan(&allowed); err != nil &&
			!errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("may pupils of school %d write: %w", a.School.ID, err)
		}
		if allowed {
			return nil
		}
		return refuse(EFORBIDDEN, ReasonMessagesPupilsOff, nil, "school %d lets no pupil write", a.School.ID)
	}
	return refuse(EFORBIDDEN, ReasonMessagesTrusted, nil, "account %d is %s of pupil %d", a.Account, a.Role, a.Pupil.ID)
}

// MessageTeachers lists the teachers the account may write to about the
// child: the class teacher and the teachers of the child's subjects who are
// in the bot. A trusted person may not write; a pupil only where the school
// allows it.
func (s *Store) MessageTeachers(ctx context.Context, a PupilAccess) ([]MessageTeacher, error) {
	if err := a.valid(); err != nil {
		return nil, err
	}
	if err := s.mayWrite(ctx, s.db, a); err != nil {
		return nil, err
	}
	rows, err := s.messageTeachers(ctx, s.db, a.Pupil.ID, 0)
	if err != nil {
		return nil, fmt.Errorf("teachers of pupil %d: %w", a.Pupil.ID, err)
	}
	teachers := make([]MessageTeacher, len(rows))
	for i, t := range rows {
		teachers[i] = t.MessageTeacher
	}
	return teachers, nil
}

// Written is a message a family wrote, planned into the outbox.
type Written struct {
	Teacher MessageTeacher
	// Due is when it reaches the teacher: now, or when office hours begin.
	Due     time.Time
	Pending []Pending // the outbox row, for the caller to enqueue
}

// CheckMessage refuses a message that is empty or too long.
func CheckMessage(text string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(text)); n == 0 || n > MessageMaxLength {
		return refuse(EINVALID, ReasonMessagesLength, map[string]any{"Max": MessageMaxLength},
			"a message of %d characters", n)
	}
	return nil
}

// WriteToTeacher writes the family's message to a teacher of the child, in
// the thread of the writer, child and teacher (a new one after the last was
// closed or its school year ended), and plans it into the outbox, held until
// the teacher's office hours begin. chatMessage is the family's message as
// Telegram saw it: the answer replies to it. In one transaction, the access
// rule is asked again, and the teacher's mute and the hourly limit hold.
func (s *Store) WriteToTeacher(ctx context.Context, a PupilAccess, teacher PersonID, text string, chatMessage int) (Written, error) {
	if err := a.valid(); err != nil {
		return Written{}, err
	}
	if err := CheckMessage(text); err != nil {
		return Written{}, err
	}
	now := s.Now()
	var w Written
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// The account's row serialises its writes: the count below sees every
		// message of the account that committed before.
		if _, err := tx.Exec(ctx, `SELECT FROM accounts WHERE id = $1 FOR UPDATE`, a.Account); err != nil {
			return fmt.Errorf("lock account %d: %w", a.Account, err)
		}
		l, err := scanPupilLink(tx.QueryRow(ctx, pupilLinkSQL, a.Account, a.Pupil.ID))
		if err != nil {
			return fmt.Errorf("check the link of account %d to pupil %d again: %w", a.Account, a.Pupil.ID, err)
		}
		again, err := l.check(now)
		if err != nil {
			return err
		}
		if err := s.mayWrite(ctx, tx, again); err != nil {
			return err
		}
		teachers, err := s.messageTeachers(ctx, tx, a.Pupil.ID, teacher)
		if err != nil {
			return fmt.Errorf("teacher %d of pupil %d: %w", teacher, a.Pupil.ID, err)
		}
		if len(teachers) == 0 {
			return refuse(EFORBIDDEN, ReasonMessagesNoTeacher, nil, "person %d is no teacher of pupil %d in the bot", teacher, a.Pupil.ID)
		}
		t := teachers[0]
		var muted *time.Time
		if err := tx.QueryRow(ctx, `SELECT until FROM thread_mutes WHERE teacher_id = $1 AND pupil_id = $2 AND until > $3`,
			teacher, a.Pupil.ID, now).Scan(&muted); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("mute of pupil %d by teacher %d: %w", a.Pupil.ID, teacher, err)
		}
		if muted != nil {
			return refuse(EFORBIDDEN, ReasonMessagesMuted, map[string]any{"When": muted.In(a.School.Location)},
				"teacher %d muted pupil %d", teacher, a.Pupil.ID)
		}
		var written int
		if err := tx.QueryRow(ctx, `
SELECT count(*) FROM thread_messages m JOIN threads th ON th.id = m.thread_id
WHERE th.account_id = $1 AND NOT m.from_teacher AND m.created_at > $2`, a.Account, now.Add(-time.Hour)).Scan(&written); err != nil {
			return fmt.Errorf("count the messages of account %d: %w", a.Account, err)
		}
		if written >= MessagesPerHour {
			return refuse(ELOCKED, ReasonMessagesTooMany, map[string]any{"Count": MessagesPerHour},
				"account %d wrote %d messages in the last hour", a.Account, written)
		}
		// The thread ends the day after its school year's last day, in the school's zone.
		ends := now.AddDate(1, 0, 0)
		if t.yearEnds != nil {
			y, m, d := t.yearEnds.Date()
			ends = time.Date(y, m, d+1, 0, 0, 0, 0, a.School.Location)
		}
		var thread int64
		err = tx.QueryRow(ctx, `
WITH ended AS (
    UPDATE threads SET closed_at = $5
    WHERE account_id = $1 AND pupil_id = $2 AND teacher_id = $3 AND closed_at IS NULL AND ends_at <= $5),
open AS (
    SELECT id FROM threads
    WHERE account_id = $1 AND pupil_id = $2 AND teacher_id = $3 AND closed_at IS NULL AND ends_at > $5),
created AS (
    INSERT INTO threads (account_id, pupil_id, teacher_id, ends_at, created_at)
    SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT FROM open)
    RETURNING id)
SELECT id FROM open UNION ALL SELECT id FROM created`, a.Account, a.Pupil.ID, teacher, ends, now).Scan(&thread)
		if err != nil {
			return fmt.Errorf("thread of account %d, pupil %d, teacher %d: %w", a.Account, a.Pupil.ID, teacher, err)
		}
		var msg int64
		if err := tx.QueryRow(ctx, `
INSERT INTO thread_messages (thread_id, from_teacher, body, chat_message_id, created_at)
VALUES ($1, false, $2, $3, $4) RETURNING id`, thread, strings.TrimSpace(text), chatMessage, now).Scan(&msg); err != nil {
			return fmt.Errorf("write a message to thread %d: %w", thread, err)
		}
		var (
			to   AccountID
			chat int64
		)
		if err := tx.QueryRow(ctx, `
SELECT a.id, a.chat_id FROM account_links l JOIN accounts a ON a.id = l.account_id
WHERE l.person_id = $1 AND l.role = 'teacher' AND l.revoked_at IS NULL
ORDER BY l.created_at DESC LIMIT 1`, teacher).Scan(&to, &chat); err != nil {
			return fmt.Errorf("the account of teacher %d: %w", teacher, err)
		}
		w.Teacher, w.Due = t.MessageTeacher, t.Hours.Next(now, a.School.Location)
		w.Pending, err = s.plan(ctx, tx, []Outgoing{{Key: "question:" + strconv.FormatInt(msg, 10), Kind: MessageQuestion,
			Ref: msg, Account: to, ChatID: chat, Due: w.Due}})
		return err
	})
	if err != nil {
		return Written{}, err
	}
	return w, nil
}

// Thread is a thread as its teacher acts on it.
type Thread struct {
	ID      int64
	Account AccountID // the writer's
	Pupil   Person
	Class   string // the pupil's homeroom
	School  School
}

// teacherThread checks that the account is the live teacher of the thread
// that holds message (or, with message 0, of thread), and that the thread is
// open: not closed, its school year not ended.
func (s *Store) teacherThread(ctx context.Context, q queryRower, account AccountID, thread, message int64) (Thread, error) {
	_, a, err := s.teacherClasses(ctx, account, -1)
	if err != nil {
		return Thread{}, err
	}
	var (
		t      Thread
		owner  PersonID
		zone   string
		ends   time.Time
		closed *time.Time
	)
	err = q.QueryRow(ctx, `
SELECT th.id, th.account_id, th.teacher_id, th.ends_at, th.closed_at,
       p.id, p.family_name, p.given_name, p.middle_name, `+homeroomOfP+`, coalesce(s.time_zone, 'Europe/Moscow')
FROM threads th JOIN people p ON p.id = th.pupil_id LEFT JOIN schools s ON s.id = p.school_id
WHERE th.id = CASE WHEN $2::bigint = 0 THEN $1 ELSE (SELECT thread_id FROM thread_messages WHERE id = $2) END`,
		thread, message).Scan(&t.ID, &t.Account, &owner, &ends, &closed,
		&t.Pupil.ID, &t.Pupil.FamilyName, &t.Pupil.GivenName, &t.Pupil.MiddleName, &t.Class, &zone)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || err == nil && owner != a.Teacher.ID:
		return Thread{}, refuse(EFORBIDDEN, ReasonMessagesNoTeacher, nil, "thread %d/%d is not teacher %d's", thread, message, a.Teacher.ID)
	case err != nil:
		return Thread{}, fmt.Errorf("read thread %d/%d: %w", thread, message, err)
	case closed != nil || !s.Now().Before(ends):
		return Thread{}, refuse(EFORBIDDEN, ReasonThreadClosed, nil, "thread %d is closed", t.ID)
	}
	if t.School.Location, err = location(zone); err != nil {
		return Thread{}, err
	}
	return t, nil
}

// TeacherThread is the open thread of the family's message, for its teacher
// to answer; refused to anyone else, and once it is closed or ended.
func (s *Store) TeacherThread(ctx context.Context, account AccountID, message int64) (Thread, error) {
	return s.teacherThread(ctx, s.db, account, 0, message)
}

// AnswerFamily writes the teacher's answer to the family's message and plans
// it into the outbox for the writer, who reads it only if their link to the
// child is still live when it is sent.
func (s *Store) AnswerFamily(ctx context.Context, account AccountID, message int64, text string) ([]Pending, error) {
	if err := CheckMessage(text); err != nil {
		return nil, err
	}
	var pending []Pending
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		t, err := s.teacherThread(ctx, tx, account, 0, message)
		if err != nil {
			return err
		}
		var (
			answer int64
			chat   int64
		)
		if err := tx.QueryRow(ctx, `
INSERT INTO thread_messages (thread_id, from_teacher, body, reply_to, created_at)
VALUES ($1, true, $2, $3, $4) RETURNING id, (SELECT chat_id FROM accounts WHERE id = $5)`,
			t.ID, strings.TrimSpace(text), message, s.Now(), t.Account).Scan(&answer, &chat); err != nil {
			return fmt.Errorf("answer message %d: %w", message, err)
		}
		pending, err = s.plan(ctx, tx, []Outgoing{{Key: "answer:" + strconv.FormatInt(answer, 10), Kind: MessageAnswer,
			Ref: answer, Account: t.Account, ChatID: chat}})
		return err
	})
	return pending, err
}

// CloseThread closes the thread for its teacher: no more answers in it; the
// family's next message begins a new one.
func (s *Store) CloseThread(ctx context.Context, account AccountID, thread int64) error {
	t, err := s.teacherThread(ctx, s.db, account, thread, 0)
	if err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `UPDATE threads SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL`, t.ID, s.Now()); err != nil {
		return fmt.Errorf("close thread %d: %w", t.ID, err)
	}
	return nil
}

// MuteFamily closes the thread and keeps every account of its child from
// writing to the teacher for MuteFor; it returns until when, in the school's zone.
func (s *Store) MuteFamily(ctx context.Context, account AccountID, thread int64) (time.Time, error) {
	t, err := s.teacherThread(ctx, s.db, account, thread, 0)
	if err != nil {
		return time.Time{}, err
	}
	until := s.Now().Add(MuteFor)
	const q = `
WITH closed AS (UPDATE threads SET closed_at = $3 WHERE id = $1 AND closed_at IS NULL)
INSERT INTO thread_mutes (teacher_id, pupil_id, until)
SELECT teacher_id, pupil_id, $2 FROM threads WHERE id = $1
ON CONFLICT (teacher_id, pupil_id) DO UPDATE SET until = $2`
	if _, err := s.db.Exec(ctx, q, t.ID, until, s.Now()); err != nil {
		return time.Time{}, fmt.Errorf("mute the family of thread %d: %w", t.ID, err)
	}
	return until.In(t.School.Location), nil
}

// ThreadMessage is a question or an answer as its reader gets it.
type ThreadMessage struct {
	ID       int64
	Thread   int64
	Body     string
	Pupil    Person
	Class    string // the pupil's homeroom
	Writer   Role   // of a question: guardian or student
	Teacher  Person // of an answer: who answers
	ReplyTo  int    // of an answer: the family's message as Telegram saw it
	Language string // the reader's language now
	// The reader's quiet hours, in the zone of the child's school: an answer
	// is held through them, as every push is.
	QuietFrom, QuietTo Clock
	Location           *time.Location
}

// threadMessageSQL reads message $1 with its thread, its pupil, the
// question it answers, and the writer's link to the pupil (as linkSQL's
// pupilLink): the access rule asked again at sending.
const threadMessageSQL = `
SELECT m.id, m.thread_id, m.body, m.from_teacher, th.account_id, th.teacher_id,
       t.family_name, t.given_name, t.middle_name, ` + homeroomOfP + `, coalesce(q.chat_message_id, 0)
FROM thread_messages m
JOIN threads th ON th.id = m.thread_id
JOIN people p ON p.id = th.pupil_id
JOIN people t ON t.id = th.teacher_id
LEFT JOIN thread_messages q ON q.id = m.reply_to
WHERE m.id = $1`

// messageTo reads a thread's message for account, the reader it was planned
// for: the family's writer for an answer (fromTeacher), the teacher for a
// question. It comes back with the reason to drop it when the writer's link
// to the child ended (neither a question nor an answer goes), or the reader
// is not the thread's any more.
func (s *Store) messageTo(ctx context.Context, id int64, account AccountID, fromTeacher bool) (ThreadMessage, string, error) {
	var (
		m        ThreadMessage
		isAnswer bool
		writer   AccountID
		teacher  PersonID
		replyTo  int64
	)
	err := s.db.QueryRow(ctx, threadMessageSQL, id).Scan(&m.ID, &m.Thread, &m.Body, &isAnswer, &writer, &teacher,
		&m.Teacher.FamilyName, &m.Teacher.GivenName, &m.Teacher.MiddleName, &m.Class, &replyTo)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || err == nil && isAnswer != fromTeacher:
		return ThreadMessage{}, DropGone, nil
	case err != nil:
		return ThreadMessage{}, "", fmt.Errorf("read thread message %d: %w", id, err)
	}
	m.Teacher.ID, m.ReplyTo = teacher, int(replyTo)
	var pupil PersonID
	if err := s.db.QueryRow(ctx, `SELECT pupil_id FROM threads WHERE id = $1`, m.Thread).Scan(&pupil); err != nil {
		return ThreadMessage{}, "", fmt.Errorf("pupil of thread %d: %w", m.Thread, err)
	}
	a, err := s.PupilAccess(ctx, writer, pupil)
	switch ErrorCode(err) {
	case "":
	case EREVOKED, EEXPIRED, EFORBIDDEN:
		return ThreadMessage{}, DropNoAccess, nil
	default:
		return ThreadMessage{}, "", err
	}
	m.Pupil, m.Writer = a.Pupil, a.Role
	if !fromTeacher {
		// The teacher's account: their live link, to the thread's teacher.
		_, ta, err := s.teacherClasses(ctx, account, -1)
		switch {
		case ErrorCode(err) == EREVOKED || ErrorCode(err) == EEXPIRED || ErrorCode(err) == EFORBIDDEN:
			return ThreadMessage{}, DropNoAccess, nil
		case err != nil:
			return ThreadMessage{}, "", err
		case ta.Teacher.ID != teacher:
			return ThreadMessage{}, DropNoAccess, nil
		}
	} else if account != writer {
		return ThreadMessage{}, DropNoAccess, nil
	}
	var from, to pgtype.Time
	if err := s.db.QueryRow(ctx, `SELECT language, quiet_from, quiet_to FROM accounts WHERE id = $1`, account).Scan(
		&m.Language, &from, &to); err != nil {
		return ThreadMessage{}, "", fmt.Errorf("language of account %d: %w", account, err)
	}
	m.QuietFrom, m.QuietTo, m.Location = clock(from), clock(to), a.School.Location
	return m, "", nil
}

// QuestionTo is a family's message for the teacher's account, or the reason
// to drop it (the writer's link to the child ended, the teacher left).
func (s *Store) QuestionTo(ctx context.Context, id int64, account AccountID) (ThreadMessage, string, error) {
	return s.messageTo(ctx, id, account, false)
}

// AnswerTo is a teacher's answer for the family's writer, or the reason to
// drop it: a writer whose link to the child ended reads no answer.
func (s *Store) AnswerTo(ctx context.Context, id int64, account AccountID) (ThreadMessage, string, error) {
	return s.messageTo(ctx, id, account, true)
}

// PupilsWrite reads, or with set sets, whether the pupils of the school (by
// sourced id) may write to their teachers, and returns it as it now is.
func (s *Store) PupilsWrite(ctx context.Context, school string, set *bool) (bool, error) {
	var on bool
	err := s.db.QueryRow(ctx, `UPDATE schools SET pupils_write = coalesce($2, pupils_write) WHERE sourced_id = $1 RETURNING pupils_write`,
		school, set).Scan(&on)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, Errorf(ENOTFOUND, "no school %q", school)
	}
	if err != nil {
		return false, fmt.Errorf("pupils_write of school %q: %w", school, err)
	}
	return on, nil
}

// MessageHeld holds a queued message until a later time (an answer that
// met the reader's quiet hours when it was to be sent); the sweep enqueues
// it once it is due.
func (s *Store) MessageHeld(ctx context.Context, id int64, until time.Time) error {
	return s.updateMessage(ctx, id, `UPDATE outbox SET due_at = $2 WHERE id = $1 AND status = 'queued'`, until)
}
