package diary

import (
	"context"
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
func (s *Store) Days(ctx context.Context, account AccountID, pupil PersonID, from, to time.Time) (Schedule, error) {
	if err := checkRange(from, to, maxScheduleDays); err != nil {
		return Schedule{}, err
	}
	a, err := s.PupilAccess(ctx, account, pupil)
	if err != nil {
		return Schedule{}, err
	}
	days, err := s.days(ctx, pupil, from, to)
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Access: a, Days: days}, nil
}

// Week returns the Monday-to-Sunday week that holds day.
func (s *Store) Week(ctx context.Context, account AccountID, pupil PersonID, day time.Time) (Schedule, error) {
	monday, sunday := WeekOf(day)
	return s.Days(ctx, account, pupil, monday, sunday)
}

// pupilClasses is the SQL for the classes a pupil attends; $1 is the pupil.
const pupilClasses = `SELECT class_id FROM enrollments WHERE person_id = $1 AND role = 'student' AND active`

const lessonsSQL = `
WITH my AS (` + pupilClasses + `)
SELECT d.day, t.class_id, t.period, t.starts_at, t.ends_at, sub.name,
       tp.id, tp.family_name, tp.given_name, tp.middle_name, t.room,
       ch.kind, sp.id, sp.family_name, sp.given_name, sp.middle_name,
       ch.room, ch.moved_to_date, ch.moved_to_period, ch.note, lt.topic
FROM my
JOIN timetable_entries t ON t.class_id = my.class_id
JOIN LATERAL (SELECT g::date AS day FROM generate_series($2::date, $3::date, interval '1 day') g) d
     ON t.weekday = extract(isodow FROM d.day)::smallint AND t.valid @> d.day
JOIN subjects sub ON sub.id = t.subject_id
LEFT JOIN people tp ON tp.id = t.teacher_id
LEFT JOIN lesson_changes ch ON ch.class_id = t.class_id AND ch.lesson_date = d.day AND ch.period = t.period
LEFT JOIN people sp ON sp.id = ch.substitute_teacher_id
LEFT JOIN lesson_topics lt ON lt.class_id = t.class_id AND lt.lesson_date = d.day AND lt.period = t.period
ORDER BY d.day, t.period, t.starts_at`

// movedInSQL finds lessons moved into the range from another date. Bell times
// come from the class's own timetable at the new period.
const movedInSQL = `
WITH my AS (` + pupilClasses + `)
SELECT ch.moved_to_date, ch.moved_to_period, ch.lesson_date, ch.period, t.class_id, sub.name,
       tp.id, tp.family_name, tp.given_name, tp.middle_name, coalesce(ch.room, t.room), ch.note,
       coalesce(bell.starts_at, t.starts_at), coalesce(bell.ends_at, t.ends_at)
FROM my
JOIN lesson_changes ch ON ch.class_id = my.class_id AND ch.kind = 'moved'
     AND ch.moved_to_date BETWEEN $2 AND $3
JOIN timetable_entries t ON t.class_id = ch.class_id AND t.period = ch.period
     AND t.weekday = extract(isodow FROM ch.lesson_date)::smallint AND t.valid @> ch.lesson_date
JOIN subjects sub ON sub.id = t.subject_id
LEFT JOIN people tp ON tp.id = coalesce(ch.substitute_teacher_id, t.teacher_id)
LEFT JOIN LATERAL (SELECT b.starts_at, b.ends_at FROM timetable_entries b
                   WHERE b.class_id = ch.class_id AND b.period = ch.moved_to_period AND b.valid @> ch.moved_to_date
                   LIMIT 1) bell ON true`

// homeworkSQL is the homework of the pupil's classes due in a range.
const homeworkSQL = `
WITH my AS (` + pupilClasses + `)
SELECT a.id, a.class_id, coalesce(sub.name, c.title), a.title, a.description, a.assigned_on, a.due_on
FROM my
JOIN assignments a ON a.class_id = my.class_id AND a.due_on BETWEEN $2 AND $3 AND a.active AND a.kind = 'homework'
JOIN classes c ON c.id = a.class_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
ORDER BY a.due_on, sub.name, a.id`

// days builds the days of a range with one round trip to the database.
func (s *Store) days(ctx context.Context, pupil PersonID, from, to time.Time) ([]Day, error) {
	var (
		lessons  []Lesson
		homework []Homework
		grades   []Grade
		marks    []AttendanceMark
		remarks  []Remark
	)
	b := &pgx.Batch{}
	b.Queue(lessonsSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		var err error
		lessons, err = pgx.CollectRows(rows, scanLesson)
		return err
	})
	b.Queue(movedInSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		moved, err := pgx.CollectRows(rows, scanMovedIn)
		lessons = append(lessons, moved...)
		return err
	})
	b.Queue(homeworkSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		var err error
		homework, err = pgx.CollectRows(rows, scanHomework)
		return err
	})
	b.Queue(gradesSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		var err error
		grades, err = pgx.CollectRows(rows, scanGrade)
		return err
	})
	b.Queue(attendanceSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		var err error
		marks, err = pgx.CollectRows(rows, scanAttendance)
		return err
	})
	b.Queue(remarksSQL, pupil, from, to).Query(func(rows pgx.Rows) error {
		var err error
		remarks, err = pgx.CollectRows(rows, scanRemark)
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read diary of pupil %d: %w", pupil, err)
	}
	return assembleDays(from, to, lessons, homework, grades, marks, remarks), nil
}

// assembleDays puts each item on its day and, where it belongs to a lesson, on
// that lesson: homework and grades by class (or by subject for schools whose
// timetable names homeroom classes), attendance by period.
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
	for i := range days {
		sortLessons(days[i].Lessons)
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

// sortLessons orders a day's lessons by period; lessons moved in arrive last from
// their own query. Days hold a handful of lessons: insertion sort is plenty.
func sortLessons(ls []Lesson) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].Period < ls[j-1].Period; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

func scanLesson(row pgx.CollectableRow) (Lesson, error) {
	var (
		l                Lesson
		starts, ends     pgtype.Time
		teacher, sub     nullPerson
		kind, room, note *string
		movedTo          *time.Time
		movedPeriod      *int16
		topic            *string
		period           int16
	)
	err := row.Scan(&l.Date, &l.Class, &period, &starts, &ends, &l.Subject,
		&teacher.id, &teacher.family, &teacher.given, &teacher.middle, &l.Room,
		&kind, &sub.id, &sub.family, &sub.given, &sub.middle,
		&room, &movedTo, &movedPeriod, &note, &topic)
	if err != nil {
		return l, err
	}
	l.Period, l.Starts, l.Ends = int(period), clock(starts), clock(ends)
	l.Teacher = teacher.person()
	if topic != nil {
		l.Topic = *topic
	}
	if kind != nil {
		c := &LessonChange{Kind: ChangeKind(*kind), Substitute: sub.person(), Note: deref(note), Room: deref(room)}
		if movedTo != nil && movedPeriod != nil {
			c.MovedTo, c.MovedToPeriod = *movedTo, int(*movedPeriod)
		}
		l.Change = c
		if c.Substitute != nil {
			l.Teacher = c.Substitute
		}
		if c.Room != "" {
			l.Room = c.Room
		}
	}
	return l, nil
}

func scanMovedIn(row pgx.CollectableRow) (Lesson, error) {
	var (
		l                  Lesson
		period, fromPeriod int16
		from               time.Time
		teacher            nullPerson
		note               string
		starts, ends       pgtype.Time
	)
	err := row.Scan(&l.Date, &period, &from, &fromPeriod, &l.Class, &l.Subject,
		&teacher.id, &teacher.family, &teacher.given, &teacher.middle, &l.Room, &note, &starts, &ends)
	if err != nil {
		return l, err
	}
	l.Period, l.Starts, l.Ends = int(period), clock(starts), clock(ends)
	l.Teacher = teacher.person()
	l.Change = &LessonChange{Kind: ChangeMoved, MovedFrom: from, MovedFromPeriod: int(fromPeriod), Note: note}
	return l, nil
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
