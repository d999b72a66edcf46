package diary

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// GradeKind tells a grade for a piece of work from a final one.
type GradeKind string

const (
	GradeCurrent GradeKind = "current"
	GradeTerm    GradeKind = "term"
	GradeYear    GradeKind = "year"
)

// Grade is one mark of a pupil.
type Grade struct {
	ID       int64
	Class    ClassID
	Subject  string
	Date     time.Time
	Score    float64
	Weight   float64
	Comment  string
	Kind     GradeKind
	Work     string // the assignment's title, if any
	WorkKind string // homework, test or classwork; empty for a grade without assignment
	Session  string // the term or year a final grade is for
}

// SubjectGrades is a pupil's grades in one subject (one class) over a period.
type SubjectGrades struct {
	Class   ClassID
	Subject string
	Grades  []Grade // current grades in date order
	Average float64 // weighted; 0 when there are no current grades
	Final   []Grade // term and year grades of sessions inside the period

	// ClassAverage is the weighted average of the whole class in the subject and
	// period. It is only known when at least MinPupilsForClassAverage pupils have
	// grades there, so that it never reveals another child's marks.
	ClassAverage      float64
	ClassAverageShown bool
}

// MinPupilsForClassAverage is how many pupils of a class must have grades in a
// subject before the class average is shown.
const MinPupilsForClassAverage = 5

// GradeReport is a pupil's grades per subject over a period.
type GradeReport struct {
	Access   PupilAccess
	From, To time.Time
	Period   *Session // the term asked for, when the report is a term's
	Subjects []SubjectGrades
}

// Session is a school year, term or other academic period.
type Session struct {
	ID    int64
	Title string
	Kind  string
	Start time.Time
	End   time.Time
}

// maxGradeDays bounds a grade report: a school year plus its summer.
const maxGradeDays = 400

// Grades returns the pupil's grades from one date to another, both included.
func (s *Store) Grades(ctx context.Context, a PupilAccess, from, to time.Time) (GradeReport, error) {
	if err := errors.Join(a.valid(), checkRange(from, to, maxGradeDays)); err != nil {
		return GradeReport{}, err
	}
	return s.gradeReport(ctx, a, from, to, nil)
}

// TermGrades returns the pupil's grades for the term that holds day or, in the
// holidays, the term that ended last.
func (s *Store) TermGrades(ctx context.Context, a PupilAccess, day time.Time) (GradeReport, error) {
	term, err := s.CurrentTerm(ctx, a, day)
	if err != nil {
		return GradeReport{}, err
	}
	return s.gradeReport(ctx, a, term.Start, term.End, &term)
}

// CurrentTerm is the term that holds day for the pupil or, in the holidays, the
// one that ended last.
func (s *Store) CurrentTerm(ctx context.Context, a PupilAccess, day time.Time) (Session, error) {
	if err := a.valid(); err != nil {
		return Session{}, err
	}
	return s.termAt(ctx, a.Pupil.ID, day)
}

// pupilTerms are the terms of the school years of the pupil's classes ($1), or
// any term when the classes name no school year.
const pupilTerms = `
WITH my AS (SELECT c.school_year_id FROM enrollments e JOIN classes c ON c.id = e.class_id
            WHERE e.person_id = $1 AND e.role = 'student' AND e.active)
SELECT s.id, s.title, s.kind, s.start_date, s.end_date
FROM academic_sessions s
WHERE s.kind IN ('term', 'semester', 'grading_period') AND s.active
  AND (s.parent_id IS NULL
       OR s.parent_id IN (SELECT school_year_id FROM my)
       OR NOT EXISTS (SELECT FROM my WHERE my.school_year_id IS NOT NULL))`

// termAt picks, among the terms of the school years of the pupil's classes (any
// term when the classes name no school year), the shortest one holding day, else
// the last one before it.
func (s *Store) termAt(ctx context.Context, pupil PersonID, day time.Time) (Session, error) {
	const q = pupilTerms + ` AND s.start_date <= $2
ORDER BY s.end_date >= $2 DESC,
         CASE WHEN s.end_date >= $2 THEN s.end_date - s.start_date END,
         s.end_date DESC
LIMIT 1`
	var t Session
	err := s.reads.QueryRow(ctx, q, pupil, day).Scan(&t.ID, &t.Title, &t.Kind, &t.Start, &t.End)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, Errorf(ENOTFOUND, "no term for pupil %d at %s", pupil, day.Format(time.DateOnly))
	}
	if err != nil {
		return Session{}, fmt.Errorf("find term of pupil %d: %w", pupil, err)
	}
	return t, nil
}

// gradesSQL is the current grades given in each request's range (see
// requests), with the subject and work.
const gradesSQL = `
SELECT q.n, ` + gradeColumns + `
FROM ` + requests + `
JOIN grades g ON g.pupil_id = q.pupil_id AND g.graded_on BETWEEN q.from_day AND q.to_day AND g.kind = 'current'
` + gradeJoins + `
ORDER BY q.n, g.graded_on, g.id`

// gradeColumns are the columns of a current grade g that scanGrade reads, from
// the tables of gradeJoins. Score and weight come as float8: PostgreSQL turns
// numeric into a float at a fraction of what pgx's numeric decoding costs
// (7 % of the CPU of /grades in the bot's process).
const (
	gradeColumns = `g.id, g.class_id, coalesce(sub.name, c.title), g.graded_on, g.score::float8, g.weight::float8, g.comment,
       g.kind, coalesce(a.title, ''), coalesce(a.kind, ''), ''`
	gradeJoins = `JOIN classes c ON c.id = g.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
LEFT JOIN assignments a ON a.id = g.assignment_id`
)

// finalGradesSQL is a pupil's term and year grades of sessions inside a range.
const finalGradesSQL = `
SELECT g.id, g.class_id, coalesce(sub.name, c.title), g.graded_on, g.score::float8, g.weight::float8, g.comment,
       g.kind, '', '', s.title
FROM grades g
JOIN academic_sessions s ON s.id = g.session_id
JOIN classes c ON c.id = g.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
WHERE g.pupil_id = $1 AND g.kind <> 'current' AND s.start_date >= $2 AND s.end_date <= $3
ORDER BY s.start_date, g.kind`

// classAveragesSQL is the weighted average of each of the pupil's classes over a
// range ($2, $3); termAveragesSQL the same over a term ($2), kept by the
// database (migration 14: the rows of class_term_averages change with the
// grades), which /grades asks for at every call. The pupil count is the
// privacy rule: a class with fewer graded pupils ($4) yields no row, so its
// average never leaves the database.
const (
	classAveragesSQL = `
SELECT a.class_id, a.average
FROM class_grade_averages(ARRAY(` + pupilClasses + `), $2, $3) a
WHERE a.pupils >= $4`
	termAveragesSQL = `
SELECT t.class_id, t.average
FROM class_term_averages t
WHERE t.session_id = $2 AND t.class_id IN (` + pupilClasses + `) AND t.pupils >= $3`
)

// gradeReport is the pupil's grades from one date to another; those of term
// when it is not nil, with the term's class averages as they are kept.
func (s *Store) gradeReport(ctx context.Context, a PupilAccess, from, to time.Time, term *Session) (GradeReport, error) {
	var (
		r            pupilDays
		current      [][]Grade
		final        []Grade
		classAverage = map[ClassID]float64{}
		b            = &pgx.Batch{}
	)
	r.add(a.Pupil.ID, from, to)
	queuePerRequest(b, 1, gradesSQL, r.args(), scanGrade, &current)
	b.Queue(finalGradesSQL, a.Pupil.ID, from, to).Query(func(rows pgx.Rows) error {
		var err error
		final, err = pgx.CollectRows(rows, scanGrade)
		return err
	})
	averages := func() *pgx.QueuedQuery {
		if term != nil {
			return b.Queue(termAveragesSQL, a.Pupil.ID, term.ID, MinPupilsForClassAverage)
		}
		return b.Queue(classAveragesSQL, a.Pupil.ID, from, to, MinPupilsForClassAverage)
	}()
	averages.Query(func(rows pgx.Rows) error {
		var class ClassID
		var avg float64
		_, err := pgx.ForEachRow(rows, []any{&class, &avg}, func() error {
			classAverage[class] = avg
			return nil
		})
		return err
	})
	if err := s.reads.SendBatch(ctx, b).Close(); err != nil {
		return GradeReport{}, fmt.Errorf("read grades of pupil %d: %w", a.Pupil.ID, err)
	}
	report := GradeReport{Access: a, From: from, To: to, Period: term, Subjects: bySubject(current[0], final)}
	for i := range report.Subjects {
		sg := &report.Subjects[i]
		sg.ClassAverage, sg.ClassAverageShown = classAverage[sg.Class]
	}
	return report, nil
}

// bySubject groups current and final grades by class, with the weighted average
// of the current ones, ordered by subject.
func bySubject(current, final []Grade) []SubjectGrades {
	index := map[ClassID]int{}
	var subjects []SubjectGrades
	subject := func(g Grade) *SubjectGrades {
		i, ok := index[g.Class]
		if !ok {
			i = len(subjects)
			index[g.Class] = i
			subjects = append(subjects, SubjectGrades{Class: g.Class, Subject: g.Subject})
		}
		return &subjects[i]
	}
	counts := map[ClassID]int{}
	for _, g := range current {
		counts[g.Class]++
	}
	for _, g := range current {
		sg := subject(g)
		if sg.Grades == nil {
			sg.Grades = make([]Grade, 0, counts[g.Class])
		}
		sg.Grades = append(sg.Grades, g)
	}
	for _, g := range final {
		sg := subject(g)
		sg.Final = append(sg.Final, g)
	}
	for i := range subjects {
		subjects[i].Average = WeightedAverage(subjects[i].Grades)
	}
	sort.Slice(subjects, func(i, j int) bool {
		if subjects[i].Subject != subjects[j].Subject {
			return subjects[i].Subject < subjects[j].Subject
		}
		return subjects[i].Class < subjects[j].Class
	})
	return subjects
}

// WeightedAverage is Σ score·weight / Σ weight, 0 for no grades.
func WeightedAverage(grades []Grade) float64 {
	var sum, weights float64
	for _, g := range grades {
		sum += g.Score * g.Weight
		weights += g.Weight
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

func scanGrade(row pgx.CollectableRow) (Grade, error) {
	var g Grade
	var kind string
	err := row.Scan(&g.ID, &g.Class, &g.Subject, &g.Date, &g.Score, &g.Weight, &g.Comment,
		&kind, &g.Work, &g.WorkKind, &g.Session)
	g.Kind = GradeKind(kind)
	return g, err
}
