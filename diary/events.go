package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Event is a school event or a parent meeting the pupil's family is invited to.
type Event struct {
	ID        int64
	Kind      string // event or meeting
	Title     string
	Agenda    string
	Place     string
	Starts    time.Time
	Ends      time.Time // zero when open-ended
	Cancelled bool
	Class     string // the class's title; empty for the whole school
	Answer    string // the account's RSVP: yes, no, or empty
}

// EventList is what is coming up for a pupil.
type EventList struct {
	Access PupilAccess
	Events []Event
}

// maxEventsAhead bounds how far ahead UpcomingEvents looks.
const maxEventsAhead = 400 * 24 * time.Hour

// UpcomingEvents returns the events of the pupil's school and classes that have
// not ended and start within the given time from now, cancelled ones included
// (marked), with the account's own answer to each invitation.
func (s *Store) UpcomingEvents(ctx context.Context, account AccountID, pupil PersonID, within time.Duration) (EventList, error) {
	if within <= 0 || within > maxEventsAhead {
		return EventList{}, Errorf(EINVALID, "events ahead: %s out of range", within)
	}
	a, err := s.PupilAccess(ctx, account, pupil)
	if err != nil {
		return EventList{}, err
	}
	const q = `
SELECT e.id, e.kind, e.title, e.agenda, e.place, e.starts_at, e.ends_at, e.cancelled_at IS NOT NULL,
       coalesce(c.title, ''), coalesce(r.answer, '')
FROM events e
LEFT JOIN classes c ON c.id = e.class_id
LEFT JOIN event_rsvps r ON r.event_id = e.id AND r.account_id = $5
WHERE e.school_id = $4
  AND (e.class_id IS NULL OR e.class_id IN (` + pupilClasses + `))
  AND coalesce(e.ends_at, e.starts_at) >= $2 AND e.starts_at < $3
ORDER BY e.starts_at, e.id`
	now := s.Now()
	rows, _ := s.db.Query(ctx, q, pupil, now, now.Add(within), a.School.ID, account)
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		var ends *time.Time
		err := row.Scan(&e.ID, &e.Kind, &e.Title, &e.Agenda, &e.Place, &e.Starts, &ends, &e.Cancelled, &e.Class, &e.Answer)
		if ends != nil {
			e.Ends = *ends
		}
		return e, err
	})
	if err != nil {
		return EventList{}, fmt.Errorf("read events of pupil %d: %w", pupil, err)
	}
	return EventList{Access: a, Events: events}, nil
}
