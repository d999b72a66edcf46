package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AttendanceMark is an absence or a late arrival.
type AttendanceMark struct {
	Date    time.Time
	Period  int    // 0: the whole day
	Subject string // the lesson's subject, when the period has one
	Status  string // absent or late
	Excused bool
	Reason  string
}

// Remark is a teacher's note about the pupil: praise or a warning.
type Remark struct {
	Date    time.Time
	Kind    string // praise or warning
	Text    string
	Subject string // empty when not given at a lesson
	Author  *Person
}

// attendanceSQL is the marks in each request's range (see requests), each with
// the subject of the lesson at its period when the timetable has one.
const attendanceSQL = `
SELECT q.n, m.lesson_date, coalesce(m.period, 0), coalesce(lesson.subject, ''), m.status, m.excused, m.reason
FROM ` + requests + `
JOIN attendance m ON m.pupil_id = q.pupil_id AND m.lesson_date BETWEEN q.from_day AND q.to_day
` + markSubject + `
ORDER BY q.n, m.lesson_date, m.period NULLS FIRST`

// markSubject joins an attendance mark m with the subject of the pupil's
// lesson at its period, lesson.subject.
const markSubject = `LEFT JOIN LATERAL (
    SELECT sub.name AS subject
    FROM enrollments e
    JOIN timetable_entries t ON t.class_id = e.class_id AND t.period = m.period
         AND t.weekday = extract(isodow FROM m.lesson_date)::smallint AND t.valid @> m.lesson_date
    JOIN subjects sub ON sub.id = t.subject_id
    WHERE e.person_id = m.pupil_id AND e.role = 'student' AND e.active
    LIMIT 1) lesson ON m.period IS NOT NULL`

// remarksSQL is the remarks given in each request's range.
const remarksSQL = `
SELECT q.n, ` + remarkColumns + `
FROM ` + requests + `
JOIN remarks r ON r.pupil_id = q.pupil_id AND r.given_on BETWEEN q.from_day AND q.to_day
` + remarkJoins + `
ORDER BY q.n, r.given_on, r.created_at`

// remarkColumns are the columns of a remark r that scanRemark reads, from the
// tables of remarkJoins.
const (
	remarkColumns = `r.given_on, r.kind, r.body, coalesce(sub.name, c.title, ''),
       ap.id, ap.family_name, ap.given_name, ap.middle_name`
	remarkJoins = `LEFT JOIN classes c ON c.id = r.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
LEFT JOIN people ap ON ap.id = r.author_id`
)

func scanAttendance(row pgx.CollectableRow) (AttendanceMark, error) {
	var m AttendanceMark
	var period int16
	err := row.Scan(&m.Date, &period, &m.Subject, &m.Status, &m.Excused, &m.Reason)
	m.Period = int(period)
	return m, err
}

func scanRemark(row pgx.CollectableRow) (Remark, error) {
	var r Remark
	var author nullPerson
	err := row.Scan(&r.Date, &r.Kind, &r.Text, &r.Subject, &author.id, &author.family, &author.given, &author.middle)
	r.Author = author.person()
	return r, err
}

// AttendanceReport is a pupil's absences and late arrivals over a range.
type AttendanceReport struct {
	Access   PupilAccess
	From, To time.Time
	Marks    []AttendanceMark
	// Whole days and single lessons missed, the excused among those marks, and
	// late arrivals.
	AbsentDays, AbsentLessons, Excused, Late int
}

// Attendance returns the pupil's attendance marks from one date to another.
func (s *Store) Attendance(ctx context.Context, a PupilAccess, from, to time.Time) (AttendanceReport, error) {
	marks, err := listFor(ctx, s, a, from, to, attendanceSQL, scanAttendance)
	if err != nil {
		return AttendanceReport{}, err
	}
	return attendanceReport(a, from, to, marks), nil
}

// attendanceReport counts the marks of a range.
func attendanceReport(a PupilAccess, from, to time.Time, marks []AttendanceMark) AttendanceReport {
	r := AttendanceReport{Access: a, From: from, To: to, Marks: marks}
	for _, m := range marks {
		switch {
		case m.Status == "late":
			r.Late++
			continue
		case m.Period == 0:
			r.AbsentDays++
		default:
			r.AbsentLessons++
		}
		if m.Excused {
			r.Excused++
		}
	}
	return r
}

// RemarkList is a pupil's remarks over a range.
type RemarkList struct {
	Access   PupilAccess
	From, To time.Time
	Remarks  []Remark
}

// Remarks returns the pupil's remarks from one date to another.
func (s *Store) Remarks(ctx context.Context, a PupilAccess, from, to time.Time) (RemarkList, error) {
	remarks, err := listFor(ctx, s, a, from, to, remarksSQL, scanRemark)
	if err != nil {
		return RemarkList{}, err
	}
	return RemarkList{Access: a, From: from, To: to, Remarks: remarks}, nil
}

// HomeworkList is the homework due in a range.
type HomeworkList struct {
	Access   PupilAccess
	From, To time.Time
	Homework []Homework // by due date
}

// Homework returns the homework due from one date to another, both included.
func (s *Store) Homework(ctx context.Context, a PupilAccess, from, to time.Time) (HomeworkList, error) {
	hw, err := listFor(ctx, s, a, from, to, homeworkSQL, scanHomework)
	if err != nil {
		return HomeworkList{}, err
	}
	return HomeworkList{Access: a, From: from, To: to, Homework: hw}, nil
}

// maxListDays bounds the range of the list views.
const maxListDays = 400

// listFor checks the access value and the range, then runs a set-based
// query (see requests) about the pupil over the range.
func listFor[T any](ctx context.Context, s *Store, a PupilAccess, from, to time.Time,
	query string, scan pgx.RowToFunc[T]) ([]T, error) {
	if err := errors.Join(a.valid(), checkRange(from, to, maxListDays)); err != nil {
		return nil, err
	}
	var r pupilDays
	r.add(a.Pupil.ID, from, to)
	rows, _ := s.reads.Query(ctx, query, r.args()...)
	items, err := collectPerRequest(rows, 1, scan)
	if err != nil {
		return nil, fmt.Errorf("read pupil %d: %w", a.Pupil.ID, err)
	}
	return items[0], nil
}
