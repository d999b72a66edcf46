package diary

import (
	"context"
	"fmt"
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
                     urgent, author_id, created_at, due_at, report_chat_id, report_message_id)
VALUES ($1, $2, $3, nullif($4, 0), nullif($5, 0), nullif($6, 0), $7, $8, $9, $10, nullif($11, 0), $12, $13,
        nullif($14::bigint, 0), nullif($15::bigint, 0))
ON CONFLICT (kind, ref_id) WHERE fanned_out_at IS NULL AND ref_id IS NOT NULL DO UPDATE
SET action = CASE WHEN notices.action = 'new' AND excluded.action = 'changed' THEN 'new' ELSE excluded.action END,
    due_at = excluded.due_at, urgent = notices.urgent OR excluded.urgent
RETURNING id`
	now := s.Now()
	var id int64
	err := tx.QueryRow(ctx, q, n.Kind, n.Action, n.School, n.Class, n.Pupil, n.Ref, n.Body, !n.NoPupils, !n.NoFamilies,
		n.Urgent, n.Author, now, now.Add(n.Delay), n.ReportChat, n.ReportMessage).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("write %s notice: %w", n.Kind, err)
	}
	return id, nil
}

// Who acted, in the audit log.
const (
	ActorTeacher = "teacher" // a teacher in the bot: Teacher is set
	ActorSchool  = "school"  // the school's administrator at the command line
	ActorFamily  = "family"  // a guardian, pupil or trusted person in the bot
)

// AuditEntry is one action for the audit log: a teacher's, the school's or a family's.
type AuditEntry struct {
	Actor   string // ActorTeacher when empty
	Account AccountID
	Teacher PersonID
	Action  string // e.g. "grade.set", "meeting.cancel"
	Class   ClassID
	Pupil   PersonID
	Ref     int64
	Detail  map[string]any // ids and values; never message text
}

// audit writes the entries in tx, so an action and its record commit together.
func (s *Store) audit(ctx context.Context, tx pgx.Tx, entries ...AuditEntry) error {
	const q = `
INSERT INTO audit_log (at, actor, account_id, teacher_id, action, class_id, pupil_id, ref_id, detail)
VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, nullif($6, 0), nullif($7, 0), nullif($8, 0), coalesce($9, '{}'::jsonb))`
	var batch pgx.Batch
	for _, e := range entries {
		actor := e.Actor
		if actor == "" {
			actor = ActorTeacher
		}
		batch.Queue(q, s.Now(), actor, e.Account, e.Teacher, e.Action, e.Class, e.Pupil, e.Ref, e.Detail)
	}
	if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
		return fmt.Errorf("audit %d actions: %w", len(entries), err)
	}
	return nil
}
