package diary

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SubjectTerm is one subject's page of a pupil's grades in one term: every
// grade with its date, work, weight and comment, the averages, the term's and
// the year's final grades, and the terms before and after it to move to.
type SubjectTerm struct {
	Access     PupilAccess
	Term       Session
	Prev, Next *Session // the pupil's terms either side; nil at either end
	Grades     SubjectGrades
}

// The statements of SubjectGrades, sent in one batch. $1 is the pupil, $2 the
// class, $3 the term. The terms are the pupil's as termAt chooses among them;
// the class must be one the pupil attends or was graded in, so a foreign id
// names nothing.
const (
	pupilTermsSQL = pupilTerms + `
ORDER BY s.start_date, s.end_date, s.id`
	subjectClassSQL = `
SELECT coalesce(sub.name, c.title)
FROM classes c LEFT JOIN subjects sub ON sub.id = c.subject_id
WHERE c.id = $2 AND (c.id IN (` + pupilClasses + `)
                     OR EXISTS (SELECT FROM grades g WHERE g.pupil_id = $1 AND g.class_id = $2))`
	subjectGradesSQL = `
SELECT ` + gradeColumns + `
FROM academic_sessions t
JOIN grades g ON g.pupil_id = $1 AND g.class_id = $2 AND g.kind = 'current'
     AND g.graded_on BETWEEN t.start_date AND t.end_date
` + gradeJoins + `
WHERE t.id = $3
ORDER BY g.graded_on, g.id`
	// The term's own final grade and the year's: a year grade's session holds the term.
	subjectFinalsSQL = `
SELECT g.id, g.class_id, coalesce(sub.name, c.title), g.graded_on, g.score::float8, g.weight::float8, g.comment,
       g.kind, '', '', s.title
FROM academic_sessions t
JOIN grades g ON g.pupil_id = $1 AND g.class_id = $2 AND g.kind <> 'current'
JOIN academic_sessions s ON s.id = g.session_id
JOIN classes c ON c.id = g.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
WHERE t.id = $3 AND (s.id = t.id OR g.kind = 'year' AND s.start_date <= t.start_date AND s.end_date >= t.end_date)
ORDER BY s.start_date DESC, g.kind`
	subjectAverageSQL = `
SELECT average FROM class_term_averages WHERE class_id = $1 AND session_id = $2 AND pupils >= $3`
)

// SubjectGrades is the pupil's page of one subject (class) in one term, read
// in one batch. A term that is not one of the pupil's, or a class the pupil
// neither attends nor was graded in, is ENOTFOUND.
func (s *Store) SubjectGrades(ctx context.Context, a PupilAccess, class ClassID, term int64) (SubjectTerm, error) {
	if err := a.valid(); err != nil {
		return SubjectTerm{}, err
	}
	var (
		terms   []Session
		subject string
		found   bool
		page    = SubjectTerm{Access: a, Grades: SubjectGrades{Class: class}}
		b       = &pgx.Batch{}
		pupil   = a.Pupil.ID
	)
	b.Queue(pupilTermsSQL, pupil).Query(func(rows pgx.Rows) error {
		var err error
		terms, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Session])
		return err
	})
	b.Queue(subjectClassSQL, pupil, class).Query(func(rows pgx.Rows) error {
		var err error
		subject, err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[string])
		found = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	b.Queue(subjectGradesSQL, pupil, class, term).Query(func(rows pgx.Rows) error {
		var err error
		page.Grades.Grades, err = pgx.CollectRows(rows, scanGrade)
		return err
	})
	b.Queue(subjectFinalsSQL, pupil, class, term).Query(func(rows pgx.Rows) error {
		var err error
		page.Grades.Final, err = pgx.CollectRows(rows, scanGrade)
		return err
	})
	b.Queue(subjectAverageSQL, class, term, MinPupilsForClassAverage).Query(func(rows pgx.Rows) error {
		_, err := pgx.ForEachRow(rows, []any{&page.Grades.ClassAverage}, func() error {
			page.Grades.ClassAverageShown = true
			return nil
		})
		return err
	})
	if err := s.reads.SendBatch(ctx, b).Close(); err != nil {
		return SubjectTerm{}, fmt.Errorf("read grades of pupil %d in class %d: %w", pupil, class, err)
	}
	at := -1
	for i, t := range terms {
		if t.ID == term {
			at = i
		}
	}
	if at < 0 || !found {
		return SubjectTerm{}, Errorf(ENOTFOUND, "class %d in term %d for pupil %d", class, term, pupil)
	}
	page.Term = terms[at]
	if at > 0 {
		page.Prev = &terms[at-1]
	}
	if at < len(terms)-1 {
		page.Next = &terms[at+1]
	}
	page.Grades.Subject = subject
	page.Grades.Average = WeightedAverage(page.Grades.Grades)
	return page, nil
}
