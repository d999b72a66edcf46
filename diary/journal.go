package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The class journal: a subject class's pupils × the lessons of a term, with
// each pupil's grade and attendance at each lesson and each lesson's homework,
// read in one batch of a fixed number of statements whatever the class's size
// (the web app's journal, a teacher's screen: it reads the primary, as it is
// drawn again right after a mark).

// Journal is a subject class's journal over one term.
type Journal struct {
	Access  TeacherAccess
	Title   string // "7А Математика"
	Term    Session
	Lessons []Lesson // held in the term, by date and period; Homework due at the day's first
	Pupils  []JournalPupil
}

// JournalPupil is a pupil of the class with a cell per lesson of the journal,
// in the order of Journal.Lessons.
type JournalPupil struct {
	Person
	Cells []JournalCell
}

// JournalCell is what a pupil got at one lesson.
type JournalCell struct {
	Grade      int       // the grade given at the lesson (SetGrade); 0: none
	Other      []float64 // the day's grades not given at a lesson (imported work), at the day's first lesson
	Attendance string    // Absent or Late at the lesson, or Absent for the whole day; "" present
	DayAbsence bool      // Attendance is the whole day's, which a mark at the lesson does not change
}

// The statements of ClassJournal, in one batch. $1 is the class, $2 the day
// whose term the journal shows. journalTerm picks the term as termAt does for
// a pupil: among the terms of the class's school year (any term when it names
// none), the shortest holding the day, else the last one before it.
const (
	journalTerm = `
term AS MATERIALIZED (
    SELECT s.id, s.title, s.kind, s.start_date, s.end_date
    FROM academic_sessions s
    WHERE s.kind IN ('term', 'semester', 'grading_period') AND s.active AND s.start_date <= $2
      AND (s.parent_id IS NULL
           OR s.parent_id = (SELECT c.school_year_id FROM classes c WHERE c.id = $1)
           OR (SELECT c.school_year_id FROM classes c WHERE c.id = $1) IS NULL)
    ORDER BY s.end_date >= $2 DESC,
             CASE WHEN s.end_date >= $2 THEN s.end_date - s.start_date END,
             s.end_date DESC
    LIMIT 1)`
	journalClassSQL = `
WITH ` + journalTerm + `
SELECT c.title, c.kind = 'homeroom', t.id, t.title, t.kind, t.start_date, t.end_date
FROM classes c LEFT JOIN term t ON true
WHERE c.id = $1`
	journalLessonsSQL = `
WITH ` + journalTerm + `,
my AS NOT MATERIALIZED (SELECT 1 AS n, $1::bigint AS class_id, t.start_date AS from_day, t.end_date AS to_day FROM term t)
SELECT ` + lessonColumns + `
FROM ` + lessonsFrom + `
ORDER BY l.day, l.period, l.starts_at, l.moved_from NULLS FIRST`
	journalPupilsSQL = `
SELECT p.id, p.family_name, p.given_name, p.middle_name
FROM enrollments e
JOIN people p ON p.id = e.person_id AND p.active
WHERE e.class_id = $1 AND e.role = 'student' AND e.active
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
	journalGradesSQL = `
WITH ` + journalTerm + `
SELECT g.pupil_id, g.graded_on, coalesce(g.period, 0)::int, g.score::float8
FROM term t
JOIN grades g ON g.class_id = $1 AND g.kind = 'current' AND g.graded_on BETWEEN t.start_date AND t.end_date
ORDER BY g.graded_on, g.id`
	journalAttendanceSQL = `
WITH ` + journalTerm + `
SELECT m.pupil_id, m.lesson_date, coalesce(m.period, 0)::int, m.status
FROM term t
JOIN enrollments e ON e.class_id = $1 AND e.role = 'student' AND e.active
JOIN attendance m ON m.pupil_id = e.person_id AND m.lesson_date BETWEEN t.start_date AND t.end_date`
	journalHomeworkSQL = `
WITH ` + journalTerm + `
SELECT a.id, a.class_id, a.title, a.description, a.assigned_on, a.due_on
FROM term t
JOIN assignments a ON a.class_id = $1 AND a.due_on BETWEEN t.start_date AND t.end_date
     AND a.active AND a.kind = 'homework'
ORDER BY a.due_on, a.id`
)

// ClassJournal returns the journal of the subject class of the teacher's
// access for the term holding day (in the holidays, the term before): its
// pupils, the term's lessons held (cancelled ones out, moved ones at their new
// slot), each pupil's grades and attendance at each, and the homework due at
// each. A homeroom has no lessons of its own: EINVALID. No term: ENOTFOUND.
func (s *Store) ClassJournal(ctx context.Context, a TeacherAccess, day time.Time) (Journal, error) {
	if err := a.validClass(); err != nil {
		return Journal{}, err
	}
	var (
		j          = Journal{Access: a}
		homeroom   bool
		termID     *int64
		termTitle  *string
		termKind   *string
		start, end *time.Time
		pupils     []JournalPupil
		grades     []journalMark[float64]
		marks      []journalMark[string]
		homework   []Homework
		b          = &pgx.Batch{}
	)
	b.Queue(journalClassSQL, a.Class, day).QueryRow(func(row pgx.Row) error {
		return row.Scan(&j.Title, &homeroom, &termID, &termTitle, &termKind, &start, &end)
	})
	b.Queue(journalLessonsSQL, a.Class, day).Query(func(rows pgx.Rows) error {
		var err error
		j.Lessons, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Lesson, error) {
			var r lessonRow
			err := row.Scan(r.dest()...)
			return r.lesson(), err
		})
		return err
	})
	b.Queue(journalPupilsSQL, a.Class).Query(func(rows pgx.Rows) error {
		var err error
		pupils, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (JournalPupil, error) {
			var p JournalPupil
			err := row.Scan(&p.ID, &p.FamilyName, &p.GivenName, &p.MiddleName)
			return p, err
		})
		return err
	})
	b.Queue(journalGradesSQL, a.Class, day).Query(func(rows pgx.Rows) error {
		var err error
		grades, err = pgx.CollectRows(rows, pgx.RowToStructByPos[journalMark[float64]])
		return err
	})
	b.Queue(journalAttendanceSQL, a.Class, day).Query(func(rows pgx.Rows) error {
		var err error
		marks, err = pgx.CollectRows(rows, pgx.RowToStructByPos[journalMark[string]])
		return err
	})
	b.Queue(journalHomeworkSQL, a.Class, day).Query(func(rows pgx.Rows) error {
		var err error
		homework, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Homework, error) {
			var h Homework
			var assigned *time.Time
			err := row.Scan(&h.ID, &h.Class, &h.Title, &h.Text, &assigned, &h.Due)
			if assigned != nil {
				h.Assigned = *assigned
			}
			return h, err
		})
		return err
	})
	err := s.db.SendBatch(ctx, b).Close()
	if errors.Is(err, pgx.ErrNoRows) {
		return Journal{}, Errorf(ENOTFOUND, "class %d", a.Class)
	}
	if err != nil {
		return Journal{}, fmt.Errorf("journal of class %d: %w", a.Class, err)
	}
	switch {
	case homeroom:
		return Journal{}, Errorf(EINVALID, "class %d is a homeroom: it has no lessons of its own", a.Class)
	case termID == nil:
		return Journal{}, Errorf(ENOTFOUND, "no term of class %d at %s", a.Class, day.Format(time.DateOnly))
	}
	j.Term = Session{ID: *termID, Title: *termTitle, Kind: *termKind, Start: *start, End: *end}
	j.assemble(pupils, grades, marks, homework)
	return j, nil
}

// journalMark is a grade or an attendance mark of a pupil on a date, at a
// period (0: not at a lesson, or the whole day).
type journalMark[T any] struct {
	Pupil  PersonID
	Date   time.Time
	Period int
	Value  T
}

// assemble keeps the lessons held and fills the cells: a mark at a lesson's
// date and period goes to it; a grade not given at a lesson, a whole day's
// absence and the homework due that day go to the day's first lesson (the
// absence to all of them).
func (j *Journal) assemble(pupils []JournalPupil, grades []journalMark[float64], marks []journalMark[string], homework []Homework) {
	held := j.Lessons[:0]
	for _, l := range j.Lessons {
		if l.Held() {
			held = append(held, l)
		}
	}
	j.Lessons = held
	type slot struct {
		date   time.Time
		period int
	}
	column := make(map[slot]int, len(held))
	days := map[time.Time][]int{} // a day's lessons, the first first
	for i, l := range held {
		column[slot{l.Date, l.Period}] = i
		days[l.Date] = append(days[l.Date], i)
	}
	for _, h := range homework {
		if cols := days[h.Due]; len(cols) > 0 {
			j.Lessons[cols[0]].Homework = append(j.Lessons[cols[0]].Homework, h)
		}
	}
	row := make(map[PersonID]int, len(pupils))
	for i := range pupils {
		row[pupils[i].ID] = i
		pupils[i].Cells = make([]JournalCell, len(held))
	}
	for _, g := range grades {
		r, ok := row[g.Pupil]
		if !ok {
			continue // graded before they left the class
		}
		if c, ok := column[slot{g.Date, g.Period}]; ok && g.Period != 0 {
			pupils[r].Cells[c].Grade = int(g.Value)
		} else if cols := days[g.Date]; g.Period == 0 && len(cols) > 0 {
			pupils[r].Cells[cols[0]].Other = append(pupils[r].Cells[cols[0]].Other, g.Value)
		}
	}
	for _, m := range marks {
		r, ok := row[m.Pupil]
		if !ok {
			continue // no longer active
		}
		if m.Period == 0 {
			for _, c := range days[m.Date] {
				if cell := &pupils[r].Cells[c]; cell.Attendance == "" {
					cell.Attendance, cell.DayAbsence = m.Value, true
				}
			}
		} else if c, ok := column[slot{m.Date, m.Period}]; ok {
			pupils[r].Cells[c].Attendance, pupils[r].Cells[c].DayAbsence = m.Value, false
		}
	}
	j.Pupils = pupils
}
