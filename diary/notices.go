package diary

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// A notice is what the bot tells people first: a new grade, homework for
// tomorrow, a lesson change, a parent meeting, a teacher's announcement. It is
// written in the same transaction as the change it tells of (an outbox), so a
// change that commits is told and one that rolls back is not, and the worker
// fans it out to its recipients (see NoticeRecipients).

// NoticeKind is what a notice tells of; each kind has its own switch in /settings.
type NoticeKind string

const (
	NoticeGrade        NoticeKind = "grade"        // a new or changed grade: Settings.Grades
	NoticeAttendance   NoticeKind = "attendance"   // marked absent or late: Settings.Grades
	NoticeRemark       NoticeKind = "remark"       // a praise or a warning: Settings.Grades
	NoticeHomework     NoticeKind = "homework"     // homework due tomorrow: Settings.Homework
	NoticeSchedule     NoticeKind = "schedule"     // a lesson change today or tomorrow: Settings.Schedule
	NoticeMeeting      NoticeKind = "meeting"      // a parent meeting: Settings.Meetings
	NoticeAnnouncement NoticeKind = "announcement" // a teacher's notice: always sent
)

// NoticeAction is what happened to the thing a notice is about.
type NoticeAction string

const (
	ActionNew       NoticeAction = "new"
	ActionChanged   NoticeAction = "changed"
	ActionCancelled NoticeAction = "cancelled"
)

// GradeGrace is how long a grade set from the phone waits before it is told:
// a teacher who taps the wrong mark and undoes it at once tells no one.
const GradeGrace = 2 * time.Minute

// NewNotice is a notice to write. The audience is the pupil's family (and the
// pupil) when Pupil is set, else the class's pupils and families, else the
// whole school's.
type NewNotice struct {
	Kind       NoticeKind
	Action     NoticeAction // ActionNew when empty
	School     SchoolID
	Class      ClassID
	Pupil      PersonID
	Ref        int64  // the grade, attendance mark, remark, assignment, lesson change or event
	Body       string // an announcement's text
	NoPupils   bool   // for the families only (a parent meeting)
	NoFamilies bool   // for the pupils only
	Urgent     bool   // goes through quiet hours
	Author     PersonID
	Delay      time.Duration // not before now plus this
	// OldScore is a changed grade's score before the change; nil otherwise.
	OldScore *float64
	// The author's message that shows "delivered N of M" (an announcement's
	// preview), edited by the worker as sends complete; zero for none.
	ReportChat, ReportMessage int64
}

// addNotice writes a notice in tx and returns its id. A second change to the
// same thing while its notice waits is folded into that notice: "new" stays
// new, anything else takes the latest action; and a thing cancelled before
// anyone heard of it is told to no one (the id is then 0).
func (s *Store) addNotice(ctx context.Context, tx pgx.Tx, n NewNotice) (int64, error) {
	if n.Action == "" {
		n.Action = ActionNew
	}
	if n.Action == ActionCancelled && n.Ref != 0 {
		const unheard = `DELETE FROM notices WHERE kind = $1 AND ref_id = $2 AND fanned_out_at IS NULL AND action = 'new'`
		tag, err := tx.Exec(ctx, unheard, n.Kind, n.Ref)
		if err != nil {
			return 0, fmt.Errorf("withdraw %s notice of %d: %w", n.Kind, n.Ref, err)
		}
		if tag.RowsAffected() > 0 {
			return 0, nil
		}
	}
	const q = `
INSERT INTO notices (kind, action, school_id, class_id, pupil_id, ref_id, body, to_pupils, to_families,
                     urgent, author_id, created_at, due_at, report_chat_id, report_message_id, old_score)
VALUES ($1, $2, $3, nullif($4, 0), nullif($5, 0), nullif($6, 0), $7, $8, $9, $10, nullif($11, 0), $12, $13,
        nullif($14::bigint, 0), nullif($15::bigint, 0), $16)
ON CONFLICT (kind, ref_id) WHERE fanned_out_at IS NULL AND ref_id IS NOT NULL DO UPDATE
SET action = CASE WHEN notices.action = 'new' AND excluded.action = 'changed' THEN 'new' ELSE excluded.action END,
    due_at = excluded.due_at, urgent = notices.urgent OR excluded.urgent,
    old_score = coalesce(notices.old_score, excluded.old_score)
RETURNING id`
	now := s.Now()
	var id int64
	err := tx.QueryRow(ctx, q, n.Kind, n.Action, n.School, n.Class, n.Pupil, n.Ref, n.Body, !n.NoPupils, !n.NoFamilies,
		n.Urgent, n.Author, now, now.Add(n.Delay), n.ReportChat, n.ReportMessage, n.OldScore).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("write %s notice: %w", n.Kind, err)
	}
	return id, nil
}

// Notice is a notice as the worker sends it: what happened, to whom it is
// addressed, and the thing it is about as the diary holds it now. A notice
// whose thing is gone (a grade undone), or a changed grade back at the score
// it had, is Gone and tells no one.
type Notice struct {
	ID         int64
	Kind       NoticeKind
	Action     NoticeAction
	Urgent     bool
	School     School
	Class      ClassID
	ClassTitle string   // "" for the whole school
	Pupil      Person   // the pupil a grade, mark or remark is about; zero for a class
	ToPupils   bool     // the pupils themselves are told
	ToFamilies bool     // guardians and trusted people are told
	Author     *Person  // the teacher who wrote it, if one did
	Body       string   // an announcement's text
	OldScore   *float64 // a changed grade's score before the change, when it was recorded
	Created    time.Time
	Recipients int  // how many it went to, once fanned out
	FannedOut  bool // its sends are enqueued
	Gone       bool

	// What it is about: one of these, by Kind.
	Grade    *Grade
	Mark     *AttendanceMark
	Remark   *Remark
	Homework *Homework
	Lesson   *Lesson // the changed lesson, its Change set
	Event    *Event

	// The author's "delivered N of M" message, when there is one, and the
	// language of the account that chat belongs to.
	ReportChatID, ReportMessageID int64
	ReportLanguage                string
}

const noticeSQL = `
SELECT n.kind, n.action, n.urgent, n.school_id, s.name, s.time_zone, s.grade_min, s.grade_max,
       coalesce(n.class_id, 0), coalesce(c.title, ''), coalesce(n.pupil_id, 0),
       coalesce(p.family_name, ''), coalesce(p.given_name, ''), coalesce(p.middle_name, ''),
       n.to_pupils, n.to_families, au.id, au.family_name, au.given_name, au.middle_name,
       n.body, n.created_at, coalesce(n.recipients, 0), n.fanned_out_at IS NOT NULL,
       coalesce(n.ref_id, 0), coalesce(n.report_chat_id, 0), coalesce(n.report_message_id, 0),
       coalesce((SELECT a.language FROM accounts a WHERE a.chat_id = n.report_chat_id ORDER BY a.id LIMIT 1), 'ru'),
       n.old_score::float8
FROM notices n
JOIN schools s ON s.id = n.school_id
LEFT JOIN classes c ON c.id = n.class_id
LEFT JOIN people p ON p.id = n.pupil_id
LEFT JOIN people au ON au.id = n.author_id
WHERE n.id = $1`

// LoadNotice reads a notice and the thing it is about.
func (s *Store) LoadNotice(ctx context.Context, id int64) (Notice, error) {
	n := Notice{ID: id}
	var (
		zone   string
		author nullPerson
		ref    int64
	)
	err := s.db.QueryRow(ctx, noticeSQL, id).Scan(&n.Kind, &n.Action, &n.Urgent, &n.School.ID, &n.School.Name, &zone,
		&n.School.GradeMin, &n.School.GradeMax, &n.Class, &n.ClassTitle, &n.Pupil.ID,
		&n.Pupil.FamilyName, &n.Pupil.GivenName, &n.Pupil.MiddleName, &n.ToPupils, &n.ToFamilies,
		&author.id, &author.family, &author.given, &author.middle, &n.Body, &n.Created, &n.Recipients, &n.FannedOut,
		&ref, &n.ReportChatID, &n.ReportMessageID, &n.ReportLanguage, &n.OldScore)
	if errors.Is(err, pgx.ErrNoRows) {
		return Notice{}, Errorf(ENOTFOUND, "notice %d", id)
	}
	if err != nil {
		return Notice{}, fmt.Errorf("read notice %d: %w", id, err)
	}
	n.Author = author.person()
	if n.School.Location, err = location(zone); err != nil {
		return Notice{}, err
	}
	if err := s.loadSubject(ctx, &n, ref); err != nil {
		return Notice{}, fmt.Errorf("read what notice %d is about: %w", id, err)
	}
	return n, nil
}

// The things notices are about, each read with the columns its scanner reads
// elsewhere.
const (
	noticeGradeSQL = `SELECT ` + gradeColumns + ` FROM grades g ` + gradeJoins + ` WHERE g.id = $1`
	noticeMarkSQL  = `
SELECT m.lesson_date, coalesce(m.period, 0), coalesce(lesson.subject, ''), m.status, m.excused, m.reason
FROM attendance m ` + markSubject + ` WHERE m.id = $1`
	noticeRemarkSQL = `SELECT ` + remarkColumns + ` FROM remarks r ` + remarkJoins + ` WHERE r.id = $1`
	noticeHomework  = `
SELECT a.id, a.class_id, coalesce(sub.name, c.title), a.title, a.description, a.assigned_on, a.due_on
FROM assignments a
JOIN classes c ON c.id = a.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
WHERE a.id = $1 AND a.active AND a.kind = 'homework'`
	noticeLessonSQL = `
SELECT ch.lesson_date, t.class_id, t.period, t.starts_at, t.ends_at, sub.name,
       tp.id, tp.family_name, tp.given_name, tp.middle_name, t.room,
       ch.kind, sp.id, sp.family_name, sp.given_name, sp.middle_name,
       ch.room, ch.moved_to_date, ch.moved_to_period, ch.note, lt.topic
FROM lesson_changes ch
JOIN timetable_entries t ON t.class_id = ch.class_id AND t.period = ch.period
     AND t.weekday = extract(isodow FROM ch.lesson_date)::smallint AND t.valid @> ch.lesson_date
JOIN subjects sub ON sub.id = t.subject_id
LEFT JOIN people tp ON tp.id = t.teacher_id
LEFT JOIN people sp ON sp.id = ch.substitute_teacher_id
LEFT JOIN lesson_topics lt ON lt.class_id = t.class_id AND lt.lesson_date = ch.lesson_date AND lt.period = t.period
WHERE ch.id = $1`
	noticeEventSQL = `
SELECT e.id, e.kind, e.title, e.agenda, e.place, e.starts_at, e.ends_at, e.cancelled_at IS NOT NULL,
       coalesce(c.title, ''), ''
FROM events e LEFT JOIN classes c ON c.id = e.class_id
WHERE e.id = $1`
)

// loadSubject reads the thing the notice is about into n; Gone when it is no more.
func (s *Store) loadSubject(ctx context.Context, n *Notice, ref int64) error {
	var err error
	switch n.Kind {
	case NoticeAnnouncement:
		return nil
	case NoticeGrade:
		n.Grade, err = one(ctx, s, noticeGradeSQL, ref, scanGrade)
		if err == nil && n.Action == ActionChanged && n.OldScore != nil && *n.OldScore == n.Grade.Score {
			// Tapped again, or changed and changed back before anyone heard:
			// the grade is as the family knows it.
			n.Gone = true
			return nil
		}
	case NoticeAttendance:
		n.Mark, err = one(ctx, s, noticeMarkSQL, ref, scanAttendance)
	case NoticeRemark:
		n.Remark, err = one(ctx, s, noticeRemarkSQL, ref, scanRemark)
	case NoticeHomework:
		n.Homework, err = one(ctx, s, noticeHomework, ref, scanHomework)
	case NoticeSchedule:
		n.Lesson, err = one(ctx, s, noticeLessonSQL, ref, scanLesson)
	case NoticeMeeting:
		n.Event, err = one(ctx, s, noticeEventSQL, ref, scanEvent)
	default:
		return fmt.Errorf("notice of unknown kind %q", n.Kind)
	}
	n.Gone = errors.Is(err, pgx.ErrNoRows)
	if n.Gone {
		return nil
	}
	return err
}

// one reads the single row of a query by id.
func one[T any](ctx context.Context, s *Store, query string, id int64, scan pgx.RowToFunc[T]) (*T, error) {
	rows, _ := s.db.Query(ctx, query, id)
	v, err := pgx.CollectExactlyOneRow(rows, scan)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Wants tells whether the settings let a notice of the kind through.
// Announcements from teachers always come.
func (st Settings) Wants(kind NoticeKind) bool {
	switch kind {
	case NoticeGrade, NoticeAttendance, NoticeRemark:
		return st.Grades
	case NoticeHomework:
		return st.Homework
	case NoticeSchedule:
		return st.Schedule
	case NoticeMeeting:
		return st.Meetings
	}
	return true
}

// NoticeRecipient is an account a notice goes to, with the children it is
// about (a parent of twins in one class gets one message about both).
type NoticeRecipient struct {
	Account
	Children []PupilAccess
}

// noticeCandidates is the accounts ($4: after this id, or this one, as the
// filter says; $5: this many) with a link that is not revoked to a pupil of
// the audience: the pupil $1, else the pupils of the class $2, else of the
// school $3; links of students only when $6, of guardians and trusted people
// only when $7. Accounts that blocked the bot are left out. Whether each link
// is live is audience's business. A page and one account are two statements,
// not one with a parameter to tell them apart: a prepared statement's generic
// plan could not use the index on account_links (account_id) for either.
func noticeCandidates(accountFilter string) string {
	return `
WITH pupils AS (
    SELECT $1::bigint AS id WHERE $1::bigint <> 0
    UNION ALL
    SELECT e.person_id FROM enrollments e
    WHERE $1::bigint = 0 AND e.class_id = $2 AND e.role = 'student' AND e.active
    UNION ALL
    SELECT p.id FROM people p
    WHERE $1::bigint = 0 AND $2::bigint = 0 AND p.school_id = $3 AND p.role = 'student' AND p.active
), links AS (
    SELECT l.account_id, l.person_id
    FROM account_links l JOIN pupils ON pupils.id = l.person_id
    WHERE l.revoked_at IS NULL AND ` + accountFilter + `
      AND ((l.role = 'student' AND $6) OR (l.role IN ('guardian', 'trusted') AND $7))
), page AS (
    SELECT DISTINCT links.account_id FROM links
    JOIN accounts a ON a.id = links.account_id AND a.blocked_at IS NULL
    ORDER BY links.account_id LIMIT $5
)
SELECT DISTINCT links.account_id, links.person_id
FROM links JOIN page USING (account_id)
ORDER BY links.account_id`
}

var (
	noticeCandidatesSQL = noticeCandidates(`l.account_id > $4`)
	noticeCandidateSQL  = noticeCandidates(`l.account_id = $4`)
)

// NoticeRecipients returns a page of the notice's recipients: the accounts
// after the account `after`, at most limit of them (fewer may come back: an
// account whose links ended, or whose settings refuse the kind, is left out),
// by the access rule of PupilAccess at now. next is where the following page
// starts; 0 when this was the last.
func (s *Store) NoticeRecipients(ctx context.Context, n Notice, after AccountID, limit int) (page []NoticeRecipient, next AccountID, err error) {
	all, next, err := s.noticeRecipients(ctx, noticeCandidatesSQL, n, after, limit)
	for _, r := range all {
		if r.Settings.Wants(n.Kind) {
			page = append(page, r)
		}
	}
	return page, next, err
}

// NoticeTo tells whether the notice may be told to the account now, by the
// rule of NoticeRecipients: the recipient, or the reason it may not
// (DropNoAccess, DropSwitchedOff).
func (s *Store) NoticeTo(ctx context.Context, n Notice, account AccountID) (NoticeRecipient, string, error) {
	all, _, err := s.noticeRecipients(ctx, noticeCandidateSQL, n, account, 1)
	switch {
	case err != nil:
		return NoticeRecipient{}, "", err
	case len(all) == 0:
		return NoticeRecipient{}, DropNoAccess, nil
	case !all[0].Settings.Wants(n.Kind):
		return NoticeRecipient{}, DropSwitchedOff, nil
	}
	return all[0], "", nil
}

// noticeRecipients is a page of the accounts the access rule lets the notice
// reach, whatever their settings, from the candidates of the query: those
// after the account `from`, or that account alone.
func (s *Store) noticeRecipients(ctx context.Context, query string, n Notice, from AccountID, limit int) (page []NoticeRecipient, next AccountID, err error) {
	rows, _ := s.db.Query(ctx, query, n.Pupil.ID, n.Class, n.School.ID, from, limit, n.ToPupils, n.ToFamilies)
	about := map[AccountID][]PersonID{}
	var ids []AccountID
	var account AccountID
	var pupil PersonID
	_, err = pgx.ForEachRow(rows, []any{&account, &pupil}, func() error {
		if len(ids) == 0 || ids[len(ids)-1] != account {
			ids = append(ids, account)
		}
		about[account] = append(about[account], pupil)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("recipients of notice %d: %w", n.ID, err)
	}
	if len(ids) == 0 {
		return nil, 0, nil
	}
	if len(ids) == limit {
		next = ids[len(ids)-1]
	}
	aud, err := s.audience(ctx, ids, s.Now())
	if err != nil {
		return nil, 0, err
	}
	for _, r := range aud.recipients {
		rec := NoticeRecipient{Account: r.Account}
		for _, c := range r.children {
			told := c.Role == RoleStudent && n.ToPupils || c.Role != RoleStudent && n.ToFamilies
			if told && slices.Contains(about[r.ID], c.Pupil.ID) {
				rec.Children = append(rec.Children, c)
			}
		}
		if len(rec.Children) > 0 {
			page = append(page, rec)
		}
	}
	return page, next, nil
}

// DueNotices lists, oldest first, at most limit notices that are due and not
// yet fanned out.
func (s *Store) DueNotices(ctx context.Context, limit int) ([]int64, error) {
	const q = `SELECT id FROM notices WHERE fanned_out_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2`
	rows, _ := s.db.Query(ctx, q, s.Now(), limit)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("find notices due: %w", err)
	}
	return ids, nil
}

// NoticeFannedOut records that the messages of a notice to its recipients
// are all in the outbox, as many as there are recipients: a second fan-out
// of it does nothing.
func (s *Store) NoticeFannedOut(ctx context.Context, id int64) (recipients int, err error) {
	const q = `
UPDATE notices SET fanned_out_at = $2,
       recipients = (SELECT count(*) FROM outbox WHERE kind = 'notice' AND ref_id = $1)
WHERE id = $1 AND fanned_out_at IS NULL
RETURNING recipients`
	err = s.db.QueryRow(ctx, q, id, s.Now()).Scan(&recipients)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("record notice %d fanned out: %w", id, err)
	}
	return recipients, nil
}

// NoticeProgress is how far the messages of a fanned-out notice got.
type NoticeProgress struct {
	Delivered int // Telegram took the message
	Failed    int // never will: dropped (blocked, no longer linked, …) or refused
	Total     int // the recipients
}

// Done tells whether every message of the notice has ended one way or the other.
func (p NoticeProgress) Done() bool { return p.Delivered+p.Failed >= p.Total }

// NoticeProgress counts the notice's messages in the outbox by how they
// ended: "delivered N of M". Every message ends, so the count converges.
func (s *Store) NoticeProgress(ctx context.Context, id int64) (NoticeProgress, error) {
	const q = `
SELECT count(*) FILTER (WHERE o.status = 'sent'),
       count(*) FILTER (WHERE o.status IN ('dropped', 'failed')),
       coalesce((SELECT recipients FROM notices WHERE id = $2), 0)
FROM outbox o WHERE o.kind = $1 AND o.ref_id = $2`
	var p NoticeProgress
	if err := s.db.QueryRow(ctx, q, MessageNotice, id).Scan(&p.Delivered, &p.Failed, &p.Total); err != nil {
		return NoticeProgress{}, fmt.Errorf("progress of notice %d: %w", id, err)
	}
	return p, nil
}
