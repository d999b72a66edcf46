package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AnswerMeeting stores an account's answer to a parent meeting invitation:
// yes, they will come, or no. Only a guardian of a pupil the meeting is for
// may answer (a trusted person reads and never writes), and only before it
// starts; answering again changes the answer.
func (s *Store) AnswerMeeting(ctx context.Context, account AccountID, event int64, yes bool) error {
	const eventSQL = `SELECT kind, school_id, coalesce(class_id, 0), starts_at, cancelled_at IS NOT NULL FROM events WHERE id = $1`
	var (
		kind      string
		school    SchoolID
		class     ClassID
		starts    time.Time
		cancelled bool
	)
	err := s.db.QueryRow(ctx, eventSQL, event).Scan(&kind, &school, &class, &starts, &cancelled)
	if errors.Is(err, pgx.ErrNoRows) {
		return refuse(EFORBIDDEN, ReasonRSVPGuardianOnly, nil, "no event %d", event) // a guessed id tells nothing
	}
	if err != nil {
		return fmt.Errorf("read event %d: %w", event, err)
	}
	invited, err := s.answersFor(ctx, account, school, class)
	if err != nil {
		return err
	}
	switch {
	case !invited || kind != "meeting":
		return refuse(EFORBIDDEN, ReasonRSVPGuardianOnly, nil, "account %d answers for no pupil invited to event %d", account, event)
	case cancelled:
		return refuse(ECONFLICT, ReasonMeetingCancelled, nil, "meeting %d is cancelled", event)
	case !s.Now().Before(starts):
		return refuse(EEXPIRED, ReasonMeetingOver, nil, "meeting %d has started", event)
	}
	answer := AnswerNo
	if yes {
		answer = AnswerYes
	}
	const q = `
INSERT INTO event_rsvps (event_id, account_id, answer, answered_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (event_id, account_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at`
	if _, err := s.db.Exec(ctx, q, event, account, answer, s.Now()); err != nil {
		return fmt.Errorf("store answer of account %d to meeting %d: %w", account, event, err)
	}
	return nil
}

// answersFor tells whether the account may now answer for a pupil of the
// school (class 0) or of the class: as a guardian. A trusted person (a
// grandparent, a nanny) reads the diary and never writes in it.
func (s *Store) answersFor(ctx context.Context, account AccountID, school SchoolID, class ClassID) (bool, error) {
	rows, _ := s.db.Query(ctx, accountLinksSQL, []AccountID{account})
	links, err := liveLinks(rows, s.Now())
	if err != nil {
		return false, fmt.Errorf("links of account %d: %w", account, err)
	}
	var pupils []PersonID
	for _, a := range links {
		if a.Role == RoleGuardian && a.School.ID == school {
			pupils = append(pupils, a.Pupil.ID)
		}
	}
	if len(pupils) == 0 || class == 0 {
		return len(pupils) > 0, nil
	}
	const q = `SELECT EXISTS (SELECT FROM enrollments WHERE person_id = ANY($1) AND class_id = $2 AND role = 'student' AND active)`
	var in bool
	if err := s.db.QueryRow(ctx, q, pupils, class).Scan(&in); err != nil {
		return false, fmt.Errorf("pupils of account %d in class %d: %w", account, class, err)
	}
	return in, nil
}
