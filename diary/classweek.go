package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ClassWeek is a homeroom class's week, Monday to Sunday, for every pupil: the
// printed week (package paper) is made of it. Each pupil's days are what the
// pupil's own Week view shows.
type ClassWeek struct {
	School         School
	Class          string // the class's title, e.g. 7А
	Monday, Sunday time.Time
	Pupils         []PupilWeek // by name, as the class list reads
}

// PupilWeek is one pupil's part of a ClassWeek.
type PupilWeek struct {
	Pupil  Person
	Days   []Day   // Monday to Sunday, as Week has them
	Events []Event // of the school and the pupil's classes, this week and the next
}

// ClassWeekEventDays is how far the printed week looks for events: this week
// and the next, so that a meeting on Monday is on Friday's paper.
const ClassWeekEventDays = 14

// HomeroomWeek is ClassWeek for the class teacher of a's class: only the
// teacher of a homeroom class (its class teacher) prints it, not a subject
// teacher of one of its sections.
func (s *Store) HomeroomWeek(ctx context.Context, a TeacherAccess, day time.Time) (ClassWeek, error) {
	if err := a.validClass(); err != nil {
		return ClassWeek{}, err
	}
	return s.classWeek(ctx, classWeekByID, a.Class, day)
}

// ClassWeekOf is the week holding day of the active homeroom class with the
// sourced id, for the school's staff (dnevnik print): ENOTFOUND when there is
// no such class.
func (s *Store) ClassWeekOf(ctx context.Context, classSourcedID string, day time.Time) (ClassWeek, error) {
	return s.classWeek(ctx, classWeekBySourcedID, classSourcedID, day)
}

// classWeekClass reads a homeroom class, its school and its active pupils by
// name: one row per pupil, or one row with a NULL pupil for a class without
// any. The condition on the class follows.
const classWeekClass = `
SELECT c.id, c.title, s.id, s.name, s.time_zone, s.grade_min, s.grade_max,
       p.id, p.family_name, p.given_name, p.middle_name
FROM classes c
JOIN schools s ON s.id = c.school_id
LEFT JOIN enrollments e ON e.class_id = c.id AND e.role = 'student' AND e.active
LEFT JOIN people p ON p.id = e.person_id AND p.active
WHERE c.active AND c.kind = 'homeroom' AND `

const (
	classWeekByID        = classWeekClass + `c.id = $1` + classWeekOrder
	classWeekBySourcedID = classWeekClass + `c.sourced_id = $1` + classWeekOrder
	classWeekOrder       = `
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
)

// classWeek reads the class and its pupils, then every pupil's week in one
// batch of the same set-based queries the views use: one query of each kind
// for the whole class, grouped by pupil in Go.
func (s *Store) classWeek(ctx context.Context, classSQL string, class any, day time.Time) (ClassWeek, error) {
	var (
		w      ClassWeek
		id     ClassID
		zone   string
		pupils []Person
	)
	rows, _ := s.db.Query(ctx, classSQL, class)
	var (
		pid                   *PersonID
		family, given, middle *string
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &w.Class, &w.School.ID, &w.School.Name, &zone, &w.School.GradeMin, &w.School.GradeMax,
		&pid, &family, &given, &middle}, func() error {
		if pid != nil && family != nil {
			pupils = append(pupils, Person{ID: *pid, FamilyName: *family, GivenName: *given, MiddleName: *middle})
		}
		return nil
	})
	if err != nil {
		return ClassWeek{}, fmt.Errorf("read class %v: %w", class, err)
	}
	if id == 0 {
		return ClassWeek{}, Errorf(ENOTFOUND, "no active homeroom class %v", class)
	}
	if w.School.Location, err = location(zone); err != nil {
		return ClassWeek{}, err
	}
	w.Monday, w.Sunday = WeekOf(day)

	var (
		r      pupilDays
		events childRequests[time.Time]
		parts  dayParts
		lists  [][]Event
		b      = &pgx.Batch{}
		loc    = w.School.Location
		from   = time.Date(w.Monday.Year(), w.Monday.Month(), w.Monday.Day(), 0, 0, 0, 0, loc)
		until  = from.AddDate(0, 0, ClassWeekEventDays)
	)
	for _, p := range pupils {
		r.add(p.ID, w.Monday, w.Sunday)
		// No account: the paper shows no family's answer to an invitation.
		events.add(PupilAccess{Pupil: p}, until)
	}
	parts.queueLessons(b, &r)
	parts.queueHomework(b, &r)
	parts.queueRecords(b, &r)
	b.Queue(eventsSQL, append(events.args(), from)...).Query(func(rows pgx.Rows) error {
		var err error
		lists, err = collectPerRequest(rows, len(pupils), scanEvent)
		return err
	})
	if err := s.reads.SendBatch(ctx, b).Close(); err != nil {
		return ClassWeek{}, fmt.Errorf("read the week of class %d: %w", id, err)
	}
	w.Pupils = make([]PupilWeek, len(pupils))
	for i, p := range pupils {
		w.Pupils[i] = PupilWeek{
			Pupil:  p,
			Days:   assembleDays(w.Monday, w.Sunday, parts.lessonsOf(i), parts.homework[i], parts.grades[i], parts.marks[i], parts.remarks[i]),
			Events: lists[i],
		}
	}
	return w, nil
}
