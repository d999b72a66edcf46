package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// MissedLesson is a lesson the pupil was absent from: what was taught and what
// was set as homework there, so a child back from illness knows what to catch up on.
type MissedLesson struct {
	Date     time.Time
	Period   int
	Class    ClassID
	Subject  string
	Topic    string
	Excused  bool
	Homework []Homework // set at this lesson
}

// MissedReport lists the missed lessons of a range in order.
type MissedReport struct {
	Access   PupilAccess
	From, To time.Time
	Lessons  []MissedLesson
}

// homeworkSetSQL is the homework of the pupil's classes set on the given dates.
const homeworkSetSQL = `
WITH my AS (` + pupilClasses + `)
SELECT a.id, a.class_id, coalesce(sub.name, c.title), a.title, a.description, a.assigned_on, a.due_on
FROM my
JOIN assignments a ON a.class_id = my.class_id AND a.assigned_on = ANY($2::date[]) AND a.active AND a.kind = 'homework'
JOIN classes c ON c.id = a.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
ORDER BY a.assigned_on, a.id`

// Missed returns the lessons the pupil missed from one date to another: those at
// a period marked absent, and every lesson of a day marked absent as a whole.
// Cancelled lessons are not missed.
func (s *Store) Missed(ctx context.Context, a PupilAccess, from, to time.Time) (MissedReport, error) {
	if err := errors.Join(a.valid(), checkRange(from, to, maxScheduleDays)); err != nil {
		return MissedReport{}, err
	}
	days, err := s.days(ctx, a.Pupil.ID, from, to)
	if err != nil {
		return MissedReport{}, err
	}
	r := MissedReport{Access: a, From: from, To: to}
	var dates []time.Time
	for _, d := range days {
		wholeDay, excusedDay := false, false
		for _, m := range d.Attendance {
			if m.Period == 0 && m.Status == "absent" {
				wholeDay, excusedDay = true, m.Excused
			}
		}
		before := len(r.Lessons)
		for _, l := range d.Lessons {
			if !l.Held() {
				continue
			}
			absent := l.Attendance != nil && l.Attendance.Status == "absent"
			if !absent && !wholeDay {
				continue
			}
			r.Lessons = append(r.Lessons, MissedLesson{Date: d.Date, Period: l.Period, Class: l.Class, Subject: l.Subject, Topic: l.Topic,
				Excused: excusedDay || (absent && l.Attendance.Excused)})
		}
		if len(r.Lessons) > before {
			dates = append(dates, d.Date)
		}
	}
	if len(dates) == 0 {
		return r, nil
	}

	rows, _ := s.reads.Query(ctx, homeworkSetSQL, a.Pupil.ID, dates)
	homework, err := pgx.CollectRows(rows, scanHomework)
	if err != nil {
		return MissedReport{}, fmt.Errorf("read homework missed by pupil %d: %w", a.Pupil.ID, err)
	}
	for _, h := range homework {
		for i := range r.Lessons {
			if r.Lessons[i].Date.Equal(h.Assigned) && (r.Lessons[i].Class == h.Class || r.Lessons[i].Subject == h.Subject) {
				r.Lessons[i].Homework = append(r.Lessons[i].Homework, h)
				break
			}
		}
	}
	return r, nil
}
