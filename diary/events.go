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
	Answer    string // the account's RSVP: AnswerYes, AnswerNo, or empty
}

// Answers to a meeting invitation (event_rsvps.answer).
const (
	AnswerYes = "yes" // I'll come
	AnswerNo  = "no"  // I can't
)

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
func (s *Store) UpcomingEvents(ctx context.Context, a PupilAccess, within time.Duration) (EventList, error) {
	if err := a.valid(); err != nil {
		return EventList{}, err
	}
	if within <= 0 || within > maxEventsAhead {
		return EventList{}, Errorf(EINVALID, "events ahead: %s out of range", within)
	}
	var r childRequests[time.Time]
	now := s.Now()
	r.add(a, now.Add(within))
	rows, _ := s.db.Query(ctx, eventsSQL, append(r.args(), now)...)
	events, err := collectPerRequest(rows, 1, scanEvent)
	if err != nil {
		return EventList{}, fmt.Errorf("read events of pupil %d: %w", a.Pupil.ID, err)
	}
	return EventList{Access: a, Events: events[0]}, nil
}

// eventsSQL is, for each request of childRequests with the ends of the times
// asked about ($3), the events of the pupil's school and classes that have not
// ended at $4 and start before the request's end, with the account's answer.
var eventsSQL = `
SELECT q.n, e.id, e.kind, e.title, e.agenda, e.place, e.starts_at, e.ends_at, e.cancelled_at IS NOT NULL,
       coalesce(c.title, ''), coalesce(r.answer, '')
FROM ` + childRequestsSQL("timestamptz", "until") + `
JOIN people p ON p.id = q.pupil_id
JOIN events e ON e.school_id = p.school_id
     AND coalesce(e.ends_at, e.starts_at) >= $4 AND e.starts_at < q.until
     AND (e.class_id IS NULL OR e.class_id IN (SELECT class_id FROM enrollments
                                               WHERE person_id = q.pupil_id AND role = 'student' AND active))
LEFT JOIN classes c ON c.id = e.class_id
LEFT JOIN event_rsvps r ON r.event_id = e.id AND r.account_id = q.account_id
ORDER BY q.n, e.starts_at, e.id`

// childRequests ask about accounts' children, each request with a value of its
// own: until when (events), which week (signatures).
type childRequests[T any] struct {
	pupils   []PersonID
	accounts []AccountID
	values   []T
}

func (r *childRequests[T]) add(a PupilAccess, value T) {
	r.pupils = append(r.pupils, a.Pupil.ID)
	r.accounts = append(r.accounts, a.Account)
	r.values = append(r.values, value)
}

// args are $1, $2 and $3 of childRequestsSQL.
func (r *childRequests[T]) args() []any { return []any{r.pupils, r.accounts, r.values} }

// childRequestsSQL is the table q(pupil_id, account_id, value, n) of
// childRequests, the value of the given SQL type and name; its arrays are hidden
// from the planner as those of requests are.
func childRequestsSQL(valueType, value string) string {
	return `unnest((SELECT $1::bigint[]), (SELECT $2::bigint[]), (SELECT $3::` + valueType + `[]))
     WITH ORDINALITY AS q(pupil_id, account_id, ` + value + `, n)`
}

func scanEvent(row pgx.CollectableRow) (Event, error) {
	var e Event
	var ends *time.Time
	err := row.Scan(&e.ID, &e.Kind, &e.Title, &e.Agenda, &e.Place, &e.Starts, &ends, &e.Cancelled, &e.Class, &e.Answer)
	if ends != nil {
		e.Ends = *ends
	}
	return e, err
}
