package diary

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
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

// teacherLessonsSQL is the lessons of one day ($2): those of the timetable at
// their slot, with their change, and those moved in from another day. Each
// filter is off at 0: the lessons of a teacher ($1, as the timetable's teacher
// or as the substitute), of a class ($3), at a period ($4).
const teacherLessonsSQL = `
WITH slots AS (
    SELECT t.class_id, t.period, t.starts_at, t.ends_at, t.subject_id, t.room, t.teacher_id,
           ch.kind, ch.substitute_teacher_id, ch.room AS new_room, ch.moved_to_date, ch.moved_to_period, ch.note,
           NULL::date AS moved_from, NULL::smallint AS moved_from_period
    FROM timetable_entries t
    LEFT JOIN lesson_changes ch ON ch.class_id = t.class_id AND ch.lesson_date = $2::date AND ch.period = t.period
    WHERE t.weekday = extract(isodow FROM $2::date)::smallint AND t.valid @> $2::date
      AND ($3::bigint = 0 OR t.class_id = $3) AND ($4::int = 0 OR t.period = $4)
    UNION ALL
    SELECT ch.class_id, ch.moved_to_period, coalesce(bell.starts_at, t.starts_at), coalesce(bell.ends_at, t.ends_at),
           t.subject_id, t.room, t.teacher_id,
           'moved', ch.substitute_teacher_id, ch.room, NULL, NULL, ch.note, ch.lesson_date, ch.period
    FROM lesson_changes ch
    JOIN timetable_entries t ON t.class_id = ch.class_id AND t.period = ch.period
         AND t.weekday = extract(isodow FROM ch.lesson_date)::smallint AND t.valid @> ch.lesson_date
    LEFT JOIN LATERAL (SELECT b.starts_at, b.ends_at FROM timetable_entries b
                       WHERE b.class_id = ch.class_id AND b.period = ch.moved_to_period AND b.valid @> ch.moved_to_date
                       LIMIT 1) bell ON true
    WHERE ch.kind = 'moved' AND ch.moved_to_date = $2::date
      AND ($3::bigint = 0 OR ch.class_id = $3) AND ($4::int = 0 OR ch.moved_to_period = $4)
)
SELECT l.class_id, c.title, sub.name, l.period, l.starts_at, l.ends_at, l.room,
       tp.id, tp.family_name, tp.given_name, tp.middle_name,
       l.kind, sp.id, sp.family_name, sp.given_name, sp.middle_name,
       l.new_room, l.moved_to_date, l.moved_to_period, l.note, l.moved_from, l.moved_from_period,
       s.id, s.name, s.time_zone, s.grade_min, s.grade_max
FROM slots l
JOIN classes c ON c.id = l.class_id
JOIN schools s ON s.id = c.school_id
JOIN subjects sub ON sub.id = l.subject_id
LEFT JOIN people tp ON tp.id = l.teacher_id
LEFT JOIN people sp ON sp.id = l.substitute_teacher_id
WHERE $1::bigint = 0 OR l.teacher_id = $1 OR l.substitute_teacher_id = $1
ORDER BY l.period, l.starts_at, c.title, l.moved_from NULLS FIRST`

// lessonsOn runs teacherLessonsSQL.
func (s *Store) lessonsOn(ctx context.Context, teacher PersonID, day time.Time, class ClassID, period int) ([]TeacherLesson, error) {
	rows, _ := s.db.Query(ctx, teacherLessonsSQL, teacher, day, class, period)
	lessons, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TeacherLesson, error) {
		return scanTeacherLesson(row, day)
	})
	if err != nil {
		return nil, fmt.Errorf("lessons of %s: %w", day.Format(time.DateOnly), err)
	}
	return lessons, nil
}

func scanTeacherLesson(row pgx.CollectableRow, day time.Time) (TeacherLesson, error) {
	var (
		l                     = TeacherLesson{Lesson: Lesson{Date: day}}
		period                int16
		starts, ends          pgtype.Time
		teacher, sub          nullPerson
		kind, room, note      *string
		movedTo, movedFrom    *time.Time
		movedPeriod, fromSlot *int16
		zone                  string
		gradeMin, gradeMax    int16
	)
	err := row.Scan(&l.Class, &l.ClassTitle, &l.Subject, &period, &starts, &ends, &l.Room,
		&teacher.id, &teacher.family, &teacher.given, &teacher.middle,
		&kind, &sub.id, &sub.family, &sub.given, &sub.middle,
		&room, &movedTo, &movedPeriod, &note, &movedFrom, &fromSlot,
		&l.School.ID, &l.School.Name, &zone, &gradeMin, &gradeMax)
	if err != nil {
		return l, err
	}
	l.Period, l.Starts, l.Ends = int(period), clock(starts), clock(ends)
	l.Teacher = teacher.person()
	l.School.GradeMin, l.School.GradeMax = int(gradeMin), int(gradeMax)
	if kind != nil {
		c := &LessonChange{Kind: ChangeKind(*kind), Substitute: sub.person(), Room: deref(room), Note: deref(note)}
		if movedTo != nil && movedPeriod != nil {
			c.MovedTo, c.MovedToPeriod = *movedTo, int(*movedPeriod)
		}
		if movedFrom != nil && fromSlot != nil {
			c.MovedFrom, c.MovedFromPeriod = *movedFrom, int(*fromSlot)
		}
		l.Change = c
		if c.Room != "" {
			l.Room = c.Room
		}
	}
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

// lessonAccess answers "may this teacher act at this lesson?": the lesson must
// be held at that slot, and the teacher must teach its class or substitute at
// it. A class the teacher has nothing to do with is EFORBIDDEN whether or not
// the lesson exists.
func (s *Store) lessonAccess(ctx context.Context, account AccountID, ref LessonRef) (TeacherAccess, TeacherLesson, error) {
	if err := ref.check(); err != nil {
		return TeacherAccess{}, TeacherLesson{}, err
	}
	a, classes, err := s.TeacherClasses(ctx, account)
	if err != nil {
		return TeacherAccess{}, TeacherLesson{}, err
	}
	lessons, err := s.lessonsOn(ctx, 0, ref.Date, ref.Class, ref.Period)
	if err != nil {
		return TeacherAccess{}, TeacherLesson{}, err
	}
	teaches := slices.ContainsFunc(classes, func(c TeacherClass) bool { return c.ID == ref.Class })
	i := slices.IndexFunc(lessons, func(l TeacherLesson) bool { return l.Held() })
	switch {
	case i >= 0 && (teaches || substitutes(lessons[i], a.Teacher.ID)):
	case !teaches:
		return TeacherAccess{}, TeacherLesson{}, refuse(EFORBIDDEN, ReasonNotYourClass, nil, "teacher %d does not teach class %d",
			a.Teacher.ID, ref.Class)
	default:
		return TeacherAccess{}, TeacherLesson{}, Errorf(ENOTFOUND, "class %d has no lesson held at period %d on %s",
			ref.Class, ref.Period, ref.Date.Format(time.DateOnly))
	}
	a.Class, a.School = ref.Class, lessons[i].School
	return a, lessons[i], nil
}

func substitutes(l TeacherLesson, teacher PersonID) bool {
	return l.Change != nil && l.Change.Substitute != nil && l.Change.Substitute.ID == teacher
}

// Roster is the class list of one lesson with what each pupil got there.
type Roster struct {
	Access TeacherAccess // Access.School has the grading scale
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
func (s *Store) ClassRoster(ctx context.Context, account AccountID, ref LessonRef) (Roster, error) {
	a, l, err := s.lessonAccess(ctx, account, ref)
	if err != nil {
		return Roster{}, err
	}
	rows, _ := s.db.Query(ctx, rosterSQL, ref.Class, ref.Date, ref.Period)
	pupils, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RosterPupil, error) {
		var p RosterPupil
		err := row.Scan(&p.ID, &p.FamilyName, &p.GivenName, &p.MiddleName, &p.Grade, &p.Attendance, &p.Remarks)
		return p, err
	})
	if err != nil {
		return Roster{}, fmt.Errorf("roster of class %d: %w", ref.Class, err)
	}
	return Roster{Access: a, Lesson: l, Pupils: pupils}, nil
}
