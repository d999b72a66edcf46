package diary

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// A teacher's work at a lesson: the lessons of their day, the class list of
// one lesson with what each pupil got there, and (marks.go) the grades,
// attendance marks and remarks given from the phone.

// LessonRef names one lesson: a section class's period on a date.
type LessonRef struct {
	Class  ClassID
	Date   time.Time
	Period int
}

// check refuses a lesson no timetable can hold (a forged or mistyped button):
// a period out of the day's range, a date out of the diary's years.
func (r LessonRef) check() error {
	if r.Period < 0 || r.Period > MaxPeriod || r.Date.Year() < 2000 || r.Date.Year() > 9999 {
		return Errorf(EINVALID, "no lesson at period %d on %s", r.Period, r.Date.Format(time.DateOnly))
	}
	return nil
}

// TeacherLesson is a lesson as a teacher sees it: the class it is for and
// what changed about it. Lesson.Change has MovedFrom set for a lesson moved
// into its slot from another day.
type TeacherLesson struct {
	Lesson
	ClassTitle string // "7А Математика"
	School     School
}

// Ref is the lesson's name for buttons and writes.
func (l TeacherLesson) Ref() LessonRef {
	return LessonRef{Class: l.Class, Date: l.Date, Period: l.Period}
}

// lessonsOnSQL is the lessons of one day ($2) of the classes of my, which the
// query that ends with it defines: those of the timetable at their slot, with
// their change, and those moved in from another day. Each filter is off at 0:
// the lessons of a teacher ($1, as the timetable's teacher or as the
// substitute), at a period ($3).
const lessonsOnSQL = `
SELECT ` + lessonColumns + `,
       c.title, s.id, s.name, s.time_zone, s.grade_min, s.grade_max
FROM ` + lessonsFrom + `
JOIN classes c ON c.id = l.class_id
JOIN schools s ON s.id = c.school_id
WHERE ($1::bigint = 0 OR l.teacher_id = $1 OR l.substitute_teacher_id = $1) AND ($3::int = 0 OR l.period = $3)
ORDER BY l.period, l.starts_at, c.title, l.moved_from NULLS FIRST`

// teacherLessonsSQL is lessonsOnSQL of the classes the teacher ($1) has in the
// timetable or substitutes at that day, lessonsOfClassSQL of one class ($4).
// Two statements, so that PostgreSQL keeps a plan of each: a plan for both
// would cost more than one made for the call, and it would plan every call.
const (
	teacherLessonsSQL = `
WITH my AS (
    SELECT 1 AS n, k.class_id, $2::date AS from_day, $2::date AS to_day FROM (
        SELECT t.class_id FROM timetable_entries t WHERE t.teacher_id = $1::bigint
        UNION
        SELECT ch.class_id FROM lesson_changes ch
        WHERE ch.substitute_teacher_id = $1 AND $2::date IN (ch.lesson_date, ch.moved_to_date)) k)` + lessonsOnSQL
	lessonsOfClassSQL = `
WITH my AS NOT MATERIALIZED (SELECT 1 AS n, $4::bigint AS class_id, $2::date AS from_day, $2::date AS to_day)` + lessonsOnSQL
)

// lessonsOn reads the lessons of a day of a class, or with class 0 of a
// teacher; with a teacher and a class, the teacher's of the class; with a
// period, those at the period.
func (s *Store) lessonsOn(ctx context.Context, teacher PersonID, day time.Time, class ClassID, period int) ([]TeacherLesson, error) {
	query, args := teacherLessonsSQL, []any{teacher, day, period}
	if class != 0 {
		query, args = lessonsOfClassSQL, append(args, class)
	}
	rows, _ := s.db.Query(ctx, query, args...)
	lessons, err := pgx.CollectRows(rows, scanTeacherLesson)
	if err != nil {
		return nil, fmt.Errorf("lessons of %s: %w", day.Format(time.DateOnly), err)
	}
	return lessons, nil
}

// scanTeacherLesson reads a row of lessonsOnSQL: the lesson as its
// teacher sees it, its class's title and its school.
func scanTeacherLesson(row pgx.CollectableRow) (TeacherLesson, error) {
	var (
		r                  lessonRow
		l                  TeacherLesson
		zone               string
		gradeMin, gradeMax int16
	)
	err := row.Scan(append(r.dest(), &l.ClassTitle, &l.School.ID, &l.School.Name, &zone, &gradeMin, &gradeMax)...)
	if err != nil {
		return l, err
	}
	l.Lesson = r.lesson()
	l.School.GradeMin, l.School.GradeMax = int(gradeMin), int(gradeMax)
	l.School.Location, err = location(zone)
	return l, err
}

// TeacherLessons returns the lessons the account's teacher gives on a day, by
// period: their own from the timetable, those they substitute at, and those
// moved into the day; a cancelled or moved-away lesson is there, not held.
func (s *Store) TeacherLessons(ctx context.Context, account AccountID, day time.Time) ([]TeacherLesson, error) {
	a, _, err := s.TeacherClasses(ctx, account)
	if err != nil {
		return nil, err
	}
	return s.lessonsOn(ctx, a.Teacher.ID, day, 0, 0)
}

// ClassLessons returns the lessons of a class the teacher teaches on a day.
func (s *Store) ClassLessons(ctx context.Context, a TeacherAccess, day time.Time) ([]TeacherLesson, error) {
	if err := a.validClass(); err != nil {
		return nil, err
	}
	return s.lessonsOn(ctx, 0, day, a.Class, 0)
}

// LessonAccess answers "may this teacher act at this lesson now?": the lesson
// must be held at that slot, and the teacher must teach its class or
// substitute at it. A class the teacher has nothing to do with is EFORBIDDEN
// whether or not the lesson exists. The value it makes is what the class list
// and the marks of the lesson take.
func (s *Store) LessonAccess(ctx context.Context, account AccountID, ref LessonRef) (LessonAccess, error) {
	if err := ref.check(); err != nil {
		return LessonAccess{}, err
	}
	a, classes, err := s.TeacherClasses(ctx, account)
	if err != nil {
		return LessonAccess{}, err
	}
	lessons, err := s.lessonsOn(ctx, 0, ref.Date, ref.Class, ref.Period)
	if err != nil {
		return LessonAccess{}, err
	}
	teaches := slices.ContainsFunc(classes, func(c TeacherClass) bool { return c.ID == ref.Class })
	i := slices.IndexFunc(lessons, func(l TeacherLesson) bool { return l.Held() })
	switch {
	case i >= 0 && (teaches || substitutes(lessons[i], a.Teacher.ID)):
	case !teaches:
		return LessonAccess{}, refuse(EFORBIDDEN, ReasonNotYourClass, nil, "teacher %d does not teach class %d",
			a.Teacher.ID, ref.Class)
	default:
		return LessonAccess{}, Errorf(ENOTFOUND, "class %d has no lesson held at period %d on %s",
			ref.Class, ref.Period, ref.Date.Format(time.DateOnly))
	}
	return LessonAccess{Account: account, LinkID: a.LinkID, Teacher: a.Teacher, Lesson: lessons[i], checked: true}, nil
}

func substitutes(l TeacherLesson, teacher PersonID) bool {
	return l.Change != nil && l.Change.Substitute != nil && l.Change.Substitute.ID == teacher
}

// Roster is the class list of one lesson with what each pupil got there.
type Roster struct {
	Lesson TeacherLesson
	Pupils []RosterPupil // in Russian alphabetical order
}

// RosterPupil is a pupil of the class and their marks at the lesson.
type RosterPupil struct {
	Person
	Grade      int    // the grade given at the lesson; 0: none
	Attendance string // absent or late; "" when present
	Remarks    int    // remarks given at the class that day
}

// rosterSQL is the active pupils of a class ($1) with their lesson grade,
// attendance mark and remarks on a date ($2) at a period ($3).
const rosterSQL = `
SELECT p.id, p.family_name, p.given_name, p.middle_name,
       coalesce(g.score, 0)::int, coalesce(m.status, ''),
       (SELECT count(*) FROM remarks r WHERE r.pupil_id = p.id AND r.class_id = $1 AND r.given_on = $2)::int
FROM enrollments e
JOIN people p ON p.id = e.person_id AND p.active
LEFT JOIN grades g ON g.class_id = $1 AND g.graded_on = $2 AND g.period = $3 AND g.pupil_id = p.id
LEFT JOIN attendance m ON m.pupil_id = p.id AND m.lesson_date = $2 AND m.period = $3
WHERE e.class_id = $1 AND e.role = 'student' AND e.active
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`

// ClassRoster returns the class list of a lesson the teacher may act at.
func (s *Store) ClassRoster(ctx context.Context, a LessonAccess) (Roster, error) {
	if err := a.valid(); err != nil {
		return Roster{}, err
	}
	ref := a.Lesson.Ref()
	rows, _ := s.db.Query(ctx, rosterSQL, ref.Class, ref.Date, ref.Period)
	pupils, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RosterPupil, error) {
		var p RosterPupil
		err := row.Scan(&p.ID, &p.FamilyName, &p.GivenName, &p.MiddleName, &p.Grade, &p.Attendance, &p.Remarks)
		return p, err
	})
	if err != nil {
		return Roster{}, fmt.Errorf("roster of class %d: %w", ref.Class, err)
	}
	return Roster{Lesson: a.Lesson, Pupils: pupils}, nil
}
