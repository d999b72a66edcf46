package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Lesson is one lesson of a pupil's day and what happened at it.
type Lesson struct {
	Date    time.Time
	Period  int
	Starts  Clock
	Ends    Clock
	Class   ClassID
	Subject string
	Teacher *Person // nil when the timetable names none
	Room    string
	Change  *LessonChange // nil when the lesson runs as planned
	Topic   string

	Homework   []Homework      // due at this lesson
	Grades     []Grade         // given at this lesson
	Attendance *AttendanceMark // the pupil's mark at this lesson
}

// Held tells whether the lesson takes place at its slot: not cancelled, not moved
// away (a lesson moved here is held).
func (l *Lesson) Held() bool {
	if l.Change == nil {
		return true
	}
	return l.Change.Kind != ChangeCancelled && (l.Change.Kind != ChangeMoved || !l.Change.MovedFrom.IsZero())
}

// ChangeKind is what happened to a planned lesson.
type ChangeKind string

const (
	ChangeCancelled  ChangeKind = "cancelled"
	ChangeSubstitute ChangeKind = "substitute"
	ChangeRoom       ChangeKind = "room"
	ChangeMoved      ChangeKind = "moved"
)

// LessonChange is a change to one lesson. For a lesson moved away, MovedTo says
// where; the lesson also appears on its new day with MovedFrom set.
type LessonChange struct {
	Kind            ChangeKind
	Substitute      *Person
	Room            string // the new room, if it changed
	MovedTo         time.Time
	MovedToPeriod   int
	MovedFrom       time.Time
	MovedFromPeriod int
	Note            string
}

// Homework is a homework assignment of one of the pupil's classes.
type Homework struct {
	ID       int64
	Class    ClassID
	Subject  string
	Title    string
	Text     string
	Assigned time.Time // zero when unknown
	Due      time.Time
}

// Day is one calendar day of a pupil's diary. Homework, grades and marks that
// belong to one of the day's lessons are on that lesson; the rest are listed here.
type Day struct {
	Date       time.Time
	Lessons    []Lesson
	Homework   []Homework
	Grades     []Grade
	Attendance []AttendanceMark
	Remarks    []Remark
}

// Schedule is a pupil's diary for a range of days, one Day per date.
type Schedule struct {
	Access PupilAccess
	Days   []Day
}

// maxScheduleDays bounds Days: a school year of days is the most anyone reads.
const maxScheduleDays = 366

// Days returns the pupil's diary from one date to another, both included: lessons
// in order with bell times, subject, teacher, room, changes and topic, and the
// homework due, grades given, attendance marks and remarks of each day.
func (s *Store) Days(ctx context.Context, a PupilAccess, from, to time.Time) (Schedule, error) {
	if err := errors.Join(a.valid(), checkRange(from, to, maxScheduleDays)); err != nil {
		return Schedule{}, err
	}
	days, err := s.days(ctx, a.Pupil.ID, from, to)
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Access: a, Days: days}, nil
}

// Week returns the Monday-to-Sunday week that holds day.
func (s *Store) Week(ctx context.Context, a PupilAccess, day time.Time) (Schedule, error) {
	monday, sunday := WeekOf(day)
	return s.Days(ctx, a, monday, sunday)
}

// pupilClasses is the SQL for the classes a pupil attends; $1 is the pupil.
const pupilClasses = `SELECT class_id FROM enrollments WHERE person_id = $1 AND role = 'student' AND active`

// The queries of days are set-based: each asks about many pupils at once, every
// pupil over days of its own (pupilDays), and a view of one pupil asks with one,
// so the evening digests of a whole batch take one query of each kind. Every row
// starts with n, the number of the request it answers, from 1.
//
// The arrays go in through subqueries, (SELECT $1::bigint[]), which hides their
// length from the planner: it plans for a handful of requests whether there are
// one or five hundred. One plan then serves both, is cached rather than made
// again for each view, stays a chain of index lookups that grows with the
// requests, and never costs enough to be compiled (JIT) for tens of milliseconds.

// requests is the table of requests made of the arrays $1 (pupils), $2 (first
// days) and $3 (last days), numbered in order.
const requests = `unnest((SELECT $1::bigint[]), (SELECT $2::date[]), (SELECT $3::date[])) WITH ORDINALITY AS q(pupil_id, from_day, to_day, n)`

// requestedClasses is each request with the classes its pupil attends.
const requestedClasses = `SELECT q.n, q.from_day, q.to_day, e.class_id FROM ` + requests + `
    JOIN enrollments e ON e.person_id = q.pupil_id AND e.role = 'student' AND e.active`

// requestClasses and requestSubjects name requestedClasses my for a WITH
// clause, requestSubjects with the class's subject. requestClasses is NOT
// MATERIALIZED, as classLessons would have it. requestSubjects is
// MATERIALIZED, and has the subject inside, so that the planner finds what
// belongs to a class by the class and the days together rather than by the
// class alone, reached through a join with classes.
const (
	requestClasses  = `my AS NOT MATERIALIZED (` + requestedClasses + `)`
	requestSubjects = `my AS MATERIALIZED (
    SELECT r.*, coalesce(sub.name, c.title) AS subject FROM (` + requestedClasses + `) r
    JOIN classes c ON c.id = r.class_id
    LEFT JOIN subjects sub ON sub.id = c.subject_id)`
)

// lessonsSQL is the lessons of each request's days, those moved in from other
// days included, in order of day and period; at a period, a lesson moved in
// comes after the one planned there.
const lessonsSQL = `
WITH ` + requestClasses + `
SELECT l.n, ` + lessonColumns + `
FROM ` + lessonsFrom + `
ORDER BY l.n, l.day, l.period, l.starts_at, l.moved_from NULLS FIRST`

// homeworkSQL is the homework of the pupil's classes due in a range.
const homeworkSQL = `
WITH ` + requestSubjects + `
SELECT my.n, a.id, a.class_id, my.subject, a.title, a.description, a.assigned_on, a.due_on
FROM my
JOIN assignments a ON a.class_id = my.class_id AND a.due_on BETWEEN my.from_day AND my.to_day
     AND a.active AND a.kind = 'homework'
ORDER BY my.n, a.due_on, my.subject, a.id`

// pupilDays are the requests of a set-based query: pupils, each over its own
// range of days.
type pupilDays struct {
	pupils   []PersonID
	from, to []time.Time
}

func (r *pupilDays) add(pupil PersonID, from, to time.Time) {
	r.pupils = append(r.pupils, pupil)
	r.from = append(r.from, from)
	r.to = append(r.to, to)
}

// args are the arguments of a query on requests.
func (r *pupilDays) args() []any { return []any{r.pupils, r.from, r.to} }

// queuePerRequest adds a set-based query with its arguments to the batch; out
// receives its rows, one list for each of n requests.
func queuePerRequest[T any](b *pgx.Batch, n int, query string, args []any, scan pgx.RowToFunc[T], out *[][]T) {
	b.Queue(query, args...).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = collectPerRequest(rows, n, scan)
		return err
	})
}

// collectPerRequest reads the rows of a set-based query about n requests, each
// starting with its request's number, into one list per request.
func collectPerRequest[T any](rows pgx.Rows, n int, scan pgx.RowToFunc[T]) ([][]T, error) {
	defer rows.Close()
	lists := make([][]T, n)
	row := &numberedRow{CollectableRow: rows}
	for rows.Next() {
		item, err := scan(row)
		if err != nil {
			return nil, err
		}
		lists[row.n-1] = append(lists[row.n-1], item)
	}
	return lists, rows.Err()
}

// numberedRow hands a row to a scan function that knows nothing of the
// request's number in the first column, and keeps the number. dest is the
// destinations of the last row, kept so that a row costs no new list (a
// term's ~150 grades made this a tenth of what /grades allocated).
type numberedRow struct {
	pgx.CollectableRow
	n    int
	dest []any
}

func (r *numberedRow) Scan(dest ...any) error {
	r.dest = append(append(r.dest[:0], &r.n), dest...)
	return r.CollectableRow.Scan(r.dest...)
}

// dayParts are the pieces days are assembled from, as queried: one list per
// request of each kind.
type dayParts struct {
	lessons  [][]Lesson
	homework [][]Homework
	grades   [][]Grade
	marks    [][]AttendanceMark
	remarks  [][]Remark
}

// queueLessons queues the lessons of the requests' days, those moved in too.
func (p *dayParts) queueLessons(b *pgx.Batch, r *pupilDays) {
	queuePerRequest(b, len(r.pupils), lessonsSQL, r.args(), scanDayLesson, &p.lessons)
}

// queueHomework queues the homework due on the requests' days.
func (p *dayParts) queueHomework(b *pgx.Batch, r *pupilDays) {
	queuePerRequest(b, len(r.pupils), homeworkSQL, r.args(), scanHomework, &p.homework)
}

// queueRecords queues the grades given, the attendance marks and the remarks.
func (p *dayParts) queueRecords(b *pgx.Batch, r *pupilDays) {
	n := len(r.pupils)
	queuePerRequest(b, n, gradesSQL, r.args(), scanGrade, &p.grades)
	queuePerRequest(b, n, attendanceSQL, r.args(), scanAttendance, &p.marks)
	queuePerRequest(b, n, remarksSQL, r.args(), scanRemark, &p.remarks)
}

// lessonsOf is request i's lessons, those moved in from other days included.
func (p *dayParts) lessonsOf(i int) []Lesson { return p.lessons[i] }

// days builds the days of a range with one round trip to the database.
func (s *Store) days(ctx context.Context, pupil PersonID, from, to time.Time) ([]Day, error) {
	var (
		r     pupilDays
		parts dayParts
		b     = &pgx.Batch{}
	)
	r.add(pupil, from, to)
	parts.queueLessons(b, &r)
	parts.queueHomework(b, &r)
	parts.queueRecords(b, &r)
	if err := s.reads.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read diary of pupil %d: %w", pupil, err)
	}
	return assembleDays(from, to, parts.lessonsOf(0), parts.homework[0], parts.grades[0], parts.marks[0], parts.remarks[0]), nil
}

// assembleDays puts each item on its day and, where it belongs to a lesson, on
// that lesson: homework and grades by class (or by subject for schools whose
// timetable names homeroom classes), attendance by period. Lessons come in
// order of day and period, as lessonsSQL reads them.
func assembleDays(from, to time.Time, lessons []Lesson, homework []Homework, grades []Grade, marks []AttendanceMark, remarks []Remark) []Day {
	n := int(to.Sub(from).Hours()/24) + 1
	days := make([]Day, n)
	for i := range days {
		days[i].Date = from.AddDate(0, 0, i)
	}
	index := func(d time.Time) int { return int(d.Sub(from).Hours() / 24) }

	for _, l := range lessons {
		day := &days[index(l.Date)]
		day.Lessons = append(day.Lessons, l)
	}
	for _, h := range homework {
		day := &days[index(h.Due)]
		if l := day.lessonFor(h.Class, h.Subject); l != nil {
			l.Homework = append(l.Homework, h)
		} else {
			day.Homework = append(day.Homework, h)
		}
	}
	for _, g := range grades {
		day := &days[index(g.Date)]
		if l := day.lessonFor(g.Class, g.Subject); l != nil {
			l.Grades = append(l.Grades, g)
		} else {
			day.Grades = append(day.Grades, g)
		}
	}
	for _, m := range marks {
		day := &days[index(m.Date)]
		if l := day.lessonAt(m.Period); l != nil {
			l.Attendance = &m
		} else {
			day.Attendance = append(day.Attendance, m)
		}
	}
	for _, r := range remarks {
		day := &days[index(r.Date)]
		day.Remarks = append(day.Remarks, r)
	}
	return days
}

// lessonFor is the first lesson of the day that is not cancelled and is of the
// class, else of the subject; nil if none.
func (d *Day) lessonFor(class ClassID, subject string) *Lesson {
	var bySubject *Lesson
	for i := range d.Lessons {
		l := &d.Lessons[i]
		if !l.Held() {
			continue
		}
		if l.Class == class {
			return l
		}
		if bySubject == nil && l.Subject == subject {
			bySubject = l
		}
	}
	return bySubject
}

// lessonAt is the lesson held at a period (0: none, a whole-day mark).
func (d *Day) lessonAt(period int) *Lesson {
	if period == 0 {
		return nil
	}
	for i := range d.Lessons {
		if d.Lessons[i].Period == period {
			return &d.Lessons[i]
		}
	}
	return nil
}

func scanHomework(row pgx.CollectableRow) (Homework, error) {
	var h Homework
	var assigned *time.Time
	err := row.Scan(&h.ID, &h.Class, &h.Subject, &h.Title, &h.Text, &assigned, &h.Due)
	if assigned != nil {
		h.Assigned = *assigned
	}
	return h, err
}

// nullPerson scans a person from a LEFT JOIN.
type nullPerson struct {
	id                    *int64
	family, given, middle *string
}

func (p nullPerson) person() *Person {
	if p.id == nil {
		return nil
	}
	return &Person{ID: PersonID(*p.id), FamilyName: deref(p.family), GivenName: deref(p.given), MiddleName: deref(p.middle)}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func clock(t pgtype.Time) Clock { return Clock(t.Microseconds / 60e6) }
