package diary

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// A parent meeting is an event of one class that its families are invited to
// (the invitation carries RSVP buttons). The teacher calls it, moves it or
// cancels it; each of these writes a meeting notice to everyone invited and an
// audit record, in the transaction that makes the change.

// Limits on what a teacher types for a meeting, in characters.
const (
	MaxMeetingPlaceLength  = 200
	MaxMeetingAgendaLength = 1000
	maxMeetingTitleLength  = 200
	// MaxMeetingAhead is how far ahead a meeting may be called.
	MaxMeetingAhead = 366 * 24 * time.Hour
)

// CheckMeetingStart refuses a meeting that would start before now or more
// than MaxMeetingAhead after it.
func CheckMeetingStart(now, starts time.Time) error {
	if !starts.After(now) || starts.Sub(now) > MaxMeetingAhead {
		return refuse(EINVALID, ReasonMeetingNotAhead, map[string]any{"When": starts},
			"meeting at %s is not ahead within %s", starts.UTC().Format(time.RFC3339), MaxMeetingAhead)
	}
	return nil
}

// CheckMeetingPlace refuses an empty or overlong place.
func CheckMeetingPlace(place string) error {
	return checkLength(ReasonMeetingPlaceLength, "meeting place", place, MaxMeetingPlaceLength)
}

// CheckMeetingAgenda refuses an overlong agenda; an empty one is allowed.
func CheckMeetingAgenda(agenda string) error {
	if strings.TrimSpace(agenda) == "" {
		return nil
	}
	return checkLength(ReasonMeetingAgendaLength, "meeting agenda", agenda, MaxMeetingAgendaLength)
}

// checkLength refuses a text that is empty or longer than max characters,
// for reason (its message names Max and Length).
func checkLength(reason Reason, what, text string, max int) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case n == 0, n > max:
		return refuse(EINVALID, reason, map[string]any{"Max": max, "Length": n}, "%s of %d characters, 1 to %d", what, n, max)
	}
	return nil
}

// NewMeeting is a parent meeting a teacher calls.
type NewMeeting struct {
	Title  string // how the invitation names it: "Родительское собрание 7А"
	Starts time.Time
	Place  string
	Agenda string
}

// CreateMeeting calls a parent meeting of the class of the teacher's access,
// and invites the class's families; it returns the event's id.
func (s *Store) CreateMeeting(ctx context.Context, t TeacherAccess, m NewMeeting) (int64, error) {
	if err := t.validClass(); err != nil {
		return 0, err
	}
	if err := errors.Join(checkLength(ReasonMeetingPlaceLength, "meeting title", m.Title, maxMeetingTitleLength), CheckMeetingStart(s.Now(), m.Starts),
		CheckMeetingPlace(m.Place), CheckMeetingAgenda(m.Agenda)); err != nil {
		return 0, err
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, t.LinkID, LessonRef{Class: t.Class}); err != nil {
			return err
		}
		now := s.Now()
		err := tx.QueryRow(ctx, `
INSERT INTO events (school_id, class_id, kind, title, agenda, place, starts_at, created_by, created_at, updated_at)
VALUES ($1, $2, 'meeting', $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			t.School.ID, t.Class, strings.TrimSpace(m.Title), strings.TrimSpace(m.Agenda), strings.TrimSpace(m.Place),
			m.Starts, t.Teacher.ID, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert meeting: %w", err)
		}
		return s.tellMeeting(ctx, tx, t, id, ActionNew, "meeting.create", map[string]any{"starts_at": m.Starts.UTC()})
	})
	if err != nil {
		return 0, fmt.Errorf("call a meeting of class %d by account %d: %w", t.Class, t.Account, err)
	}
	return id, nil
}

// MeetingChange is what a teacher changes in a meeting: a zero Starts or an
// empty Place keeps what was.
type MeetingChange struct {
	Starts time.Time
	Place  string
}

// ChangeMeeting moves the meeting of the teacher's access or changes its
// place, and tells everyone invited. A cancelled meeting is ECONFLICT; one
// that has begun, EINVALID.
func (s *Store) ChangeMeeting(ctx context.Context, a MeetingAccess, c MeetingChange) error {
	if err := a.open(s.Now()); err != nil {
		return err
	}
	m := a.Meeting
	if c.Starts.IsZero() && c.Place == "" {
		return Errorf(EINVALID, "meeting %d: nothing to change", m.ID)
	}
	if !c.Starts.IsZero() {
		if err := CheckMeetingStart(s.Now(), c.Starts); err != nil {
			return err
		}
	}
	if c.Place != "" {
		if err := CheckMeetingPlace(c.Place); err != nil {
			return err
		}
	}
	detail := map[string]any{"place_changed": c.Place != ""}
	if !c.Starts.IsZero() {
		detail["starts_at"], detail["was"] = c.Starts.UTC(), m.Starts.UTC()
	}
	return s.updateMeeting(ctx, a, ActionChanged, "meeting.change", detail, `
UPDATE events SET starts_at = coalesce($2, starts_at), place = coalesce(nullif($3, ''), place), updated_at = $4
WHERE id = $1 AND cancelled_at IS NULL`, m.ID, nullTime(c.Starts), strings.TrimSpace(c.Place), s.Now())
}

// CancelMeeting cancels the meeting of the teacher's access and tells
// everyone invited. One cancelled already is ECONFLICT.
func (s *Store) CancelMeeting(ctx context.Context, a MeetingAccess) error {
	if err := a.open(s.Now()); err != nil {
		return err
	}
	return s.updateMeeting(ctx, a, ActionCancelled, "meeting.cancel", nil,
		`UPDATE events SET cancelled_at = $2, updated_at = $2 WHERE id = $1 AND cancelled_at IS NULL`, a.Meeting.ID, s.Now())
}

// open refuses a change to a meeting the access rule did not let the teacher
// at, or one cancelled or begun when it did.
func (a MeetingAccess) open(now time.Time) error {
	m := a.Meeting
	switch err := a.valid(); {
	case err != nil:
		return err
	case m.Cancelled:
		return refuse(ECONFLICT, ReasonMeetingCancelled, nil, "meeting %d is cancelled", m.ID)
	case !m.Starts.After(now):
		return refuse(EINVALID, ReasonMeetingBegun, nil, "meeting %d has begun", m.ID)
	}
	return nil
}

// updateMeeting runs the update of a meeting (which must touch it: a meeting
// cancelled meanwhile is ECONFLICT) with its notice and audit record, if the
// teacher still teaches its class.
func (s *Store) updateMeeting(ctx context.Context, a MeetingAccess, action NoticeAction, audit string,
	detail map[string]any, update string, args ...any) error {
	t, id := a.Access, a.Meeting.ID
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, t.LinkID, LessonRef{Class: t.Class}); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, update, args...)
		if err != nil {
			return fmt.Errorf("update meeting: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return refuse(ECONFLICT, ReasonMeetingCancelled, nil, "meeting %d is cancelled", id)
		}
		return s.tellMeeting(ctx, tx, t, id, action, audit, detail)
	})
	if err != nil {
		return fmt.Errorf("%s %d by account %d: %w", audit, id, t.Account, err)
	}
	return nil
}

// tellMeeting writes the notice to the families invited and the audit record.
func (s *Store) tellMeeting(ctx context.Context, tx pgx.Tx, t TeacherAccess, id int64, action NoticeAction, audit string,
	detail map[string]any) error {
	_, err := s.addNotice(ctx, tx, NewNotice{Kind: NoticeMeeting, Action: action, School: t.School.ID, Class: t.Class,
		Ref: id, NoPupils: true, Author: t.Teacher.ID})
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, AuditEntry{Account: t.Account, Teacher: t.Teacher.ID, Action: audit, Class: t.Class, Ref: id,
		Detail: detail})
}

// Meeting is a parent meeting as its teacher sees it.
type Meeting struct {
	Event
	ClassID ClassID
	School  School // the class's school, for its zone
	// Families are the pupils of the class, by name, with how their families
	// answered; only TeacherMeetings fills it.
	Families []MeetingFamily
}

// MeetingFamily is how the family accounts of one pupil answered an invitation.
type MeetingFamily struct {
	Pupil      Person
	Yes, No    int // family accounts that answered so
	Unanswered int // family accounts that have not; all three 0: nobody of the family uses the bot
}

// meetingColumns are the meeting's columns in the order scanMeeting reads.
const meetingColumns = `e.class_id, e.id, e.kind, e.title, e.agenda, e.place, e.starts_at, e.ends_at,
       e.cancelled_at IS NOT NULL, c.title, ''`

func scanMeeting(row pgx.CollectableRow) (Meeting, error) {
	var m Meeting
	var ends *time.Time
	err := row.Scan(&m.ClassID, &m.ID, &m.Kind, &m.Title, &m.Agenda, &m.Place, &m.Starts, &ends, &m.Cancelled, &m.Class, &m.Answer)
	if ends != nil {
		m.Ends = *ends
	}
	return m, err
}

// MeetingAccess answers "may this teacher change this meeting now?": they
// must teach its class (TeacherClassAccess). The value it makes holds the
// meeting, to show, and is what ChangeMeeting and CancelMeeting take: a
// request that only names a meeting checks once, for both.
func (s *Store) MeetingAccess(ctx context.Context, account AccountID, id int64) (MeetingAccess, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+meetingColumns+` FROM events e JOIN classes c ON c.id = e.class_id
	                            WHERE e.id = $1 AND e.kind = 'meeting'`, id)
	m, err := pgx.CollectExactlyOneRow(rows, scanMeeting)
	if errors.Is(err, pgx.ErrNoRows) {
		return MeetingAccess{}, Errorf(ENOTFOUND, "meeting %d", id)
	}
	if err != nil {
		return MeetingAccess{}, fmt.Errorf("read meeting %d: %w", id, err)
	}
	t, err := s.TeacherClassAccess(ctx, account, m.ClassID)
	if err != nil {
		return MeetingAccess{}, err
	}
	m.School = t.School
	return MeetingAccess{Access: t, Meeting: m, checked: true}, nil
}

// Queries of TeacherMeetings, on the teacher's classes $1 at now $2.
const (
	upcomingMeetingsSQL = `SELECT ` + meetingColumns + ` FROM events e JOIN classes c ON c.id = e.class_id
WHERE e.kind = 'meeting' AND e.class_id = ANY($1) AND e.cancelled_at IS NULL AND coalesce(e.ends_at, e.starts_at) >= $2
ORDER BY e.starts_at, e.id`
	classPupilsSQL = `
SELECT e.class_id, p.id, p.family_name, p.given_name, p.middle_name
FROM enrollments e JOIN people p ON p.id = e.person_id AND p.active
WHERE e.class_id = ANY($1) AND e.role = 'student' AND e.active
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
	meetingAnswersSQL = `
SELECT r.event_id, r.account_id, r.answer FROM event_rsvps r JOIN events e ON e.id = r.event_id
WHERE e.kind = 'meeting' AND e.class_id = ANY($1) AND e.cancelled_at IS NULL AND coalesce(e.ends_at, e.starts_at) >= $2`
)

// TeacherMeetings lists the meetings of the classes the account's teacher
// teaches that have not ended and are not cancelled, soonest first, each with
// how the families of each pupil answered. Four queries in one round trip.
func (s *Store) TeacherMeetings(ctx context.Context, account AccountID) ([]Meeting, error) {
	_, classes, err := s.TeacherClasses(ctx, account)
	if err != nil || len(classes) == 0 {
		return nil, err
	}
	ids := make([]ClassID, len(classes))
	schools := map[ClassID]School{}
	for i, c := range classes {
		ids[i], schools[c.ID] = c.ID, c.School
	}
	var (
		now      = s.Now()
		meetings []Meeting
		pupils   = map[ClassID][]Person{}
		links    []PupilAccess
		answers  = map[int64]map[AccountID]string{} // by event
		b        = &pgx.Batch{}
	)
	b.Queue(upcomingMeetingsSQL, ids, now).Query(func(rows pgx.Rows) (err error) {
		meetings, err = pgx.CollectRows(rows, scanMeeting)
		return err
	})
	b.Queue(classPupilsSQL, ids).Query(func(rows pgx.Rows) error {
		var class ClassID
		var p Person
		_, err := pgx.ForEachRow(rows, []any{&class, &p.ID, &p.FamilyName, &p.GivenName, &p.MiddleName}, func() error {
			pupils[class] = append(pupils[class], p)
			return nil
		})
		return err
	})
	b.Queue(classLinksSQL, ids, audienceRoles(false)).Query(func(rows pgx.Rows) (err error) {
		links, err = liveLinks(rows, now)
		return err
	})
	b.Queue(meetingAnswersSQL, ids, now).Query(func(rows pgx.Rows) error {
		var event int64
		var acc AccountID
		var answer string
		_, err := pgx.ForEachRow(rows, []any{&event, &acc, &answer}, func() error {
			if answers[event] == nil {
				answers[event] = map[AccountID]string{}
			}
			answers[event][acc] = answer
			return nil
		})
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read meetings of account %d's classes: %w", account, err)
	}
	families := map[PersonID][]AccountID{}
	for _, l := range links {
		families[l.Pupil.ID] = append(families[l.Pupil.ID], l.Account)
	}
	for i := range meetings {
		m := &meetings[i]
		m.School = schools[m.ClassID]
		for _, p := range pupils[m.ClassID] {
			f := MeetingFamily{Pupil: p}
			for _, acc := range families[p.ID] {
				switch answers[m.ID][acc] {
				case AnswerYes:
					f.Yes++
				case AnswerNo:
					f.No++
				default:
					f.Unanswered++
				}
			}
			m.Families = append(m.Families, f)
		}
	}
	return meetings, nil
}
