package diary

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The lessons of a set of classes over days, defined once for the pupils' diary
// (lessonsSQL, days.go) and the teachers' lessons (lessonsOnSQL,
// teacher_lessons.go): each defines my and reads lessonColumns from lessonsFrom.

// classLessons is the lessons of the classes in my (n, class_id, from_day,
// to_day), each class over its own days, with n carried through: those of the
// timetable at their slot, with their change and topic, and those moved into
// the days from another date, with moved_from set and the bell times of their
// new period in the class's timetable (their own where it has none).
//
// The timetable is read a class at a time (OFFSET 0 keeps the planner from
// turning that into a scan of the whole timetable) and matched with the days
// in memory; the days are an array, which the planner takes for a handful
// where generate_series would look like a thousand. my is read twice: one
// cheap to make is best NOT MATERIALIZED, so that the days are made once for
// each request rather than once for each of its classes.
const classLessons = `
SELECT my.n, d.day, t.class_id, t.period, t.starts_at, t.ends_at, t.subject_id, t.teacher_id, t.room,
       ch.kind, ch.substitute_teacher_id, ch.room AS new_room, ch.moved_to_date, ch.moved_to_period, ch.note, lt.topic,
       NULL::date AS moved_from, NULL::smallint AS moved_from_period
FROM my
CROSS JOIN LATERAL (SELECT * FROM timetable_entries t WHERE t.class_id = my.class_id OFFSET 0) t
JOIN LATERAL unnest(ARRAY(SELECT g::date FROM generate_series(my.from_day, my.to_day, interval '1 day') g)) AS d(day)
     ON t.weekday = extract(isodow FROM d.day)::smallint AND t.valid @> d.day
LEFT JOIN lesson_changes ch ON ch.class_id = t.class_id AND ch.lesson_date = d.day AND ch.period = t.period
LEFT JOIN lesson_topics lt ON lt.class_id = t.class_id AND lt.lesson_date = d.day AND lt.period = t.period
UNION ALL
SELECT my.n, ch.moved_to_date, ch.class_id, ch.moved_to_period,
       coalesce(bell.starts_at, t.starts_at), coalesce(bell.ends_at, t.ends_at), t.subject_id, t.teacher_id, t.room,
       ch.kind, ch.substitute_teacher_id, ch.room, NULL, NULL, ch.note, NULL,
       ch.lesson_date, ch.period
FROM my
JOIN lesson_changes ch ON ch.class_id = my.class_id AND ch.kind = 'moved'
     AND ch.moved_to_date BETWEEN my.from_day AND my.to_day
JOIN timetable_entries t ON t.class_id = ch.class_id AND t.period = ch.period
     AND t.weekday = extract(isodow FROM ch.lesson_date)::smallint AND t.valid @> ch.lesson_date
LEFT JOIN LATERAL (SELECT b.starts_at, b.ends_at FROM timetable_entries b
                   WHERE b.class_id = ch.class_id AND b.period = ch.moved_to_period AND b.valid @> ch.moved_to_date
                   LIMIT 1) bell ON true`

// lessonsFrom is classLessons as l, with its timetable's teacher (tp) and its
// substitute (sp).
const lessonsFrom = `(` + classLessons + `) l
LEFT JOIN people tp ON tp.id = l.teacher_id
LEFT JOIN people sp ON sp.id = l.substitute_teacher_id`

// lessonColumns are the columns of a lesson of lessonsFrom that lessonRow
// reads. The subject is a subquery: a join with the small subjects table would
// make a scan per lesson.
const lessonColumns = `l.day, l.class_id, l.period, l.starts_at, l.ends_at,
       (SELECT sub.name FROM subjects sub WHERE sub.id = l.subject_id),
       tp.id, tp.family_name, tp.given_name, tp.middle_name, l.room,
       l.kind, sp.id, sp.family_name, sp.given_name, sp.middle_name,
       l.new_room, l.moved_to_date, l.moved_to_period, l.note, l.topic, l.moved_from, l.moved_from_period`

// lessonRow receives lessonColumns.
type lessonRow struct {
	l                       Lesson
	period                  int16
	starts, ends            pgtype.Time
	teacher, sub            nullPerson
	kind, room, note, topic *string
	movedTo, movedFrom      *time.Time
	movedPeriod, fromPeriod *int16
}

// dest is where lessonColumns go.
func (r *lessonRow) dest() []any {
	return []any{&r.l.Date, &r.l.Class, &r.period, &r.starts, &r.ends, &r.l.Subject,
		&r.teacher.id, &r.teacher.family, &r.teacher.given, &r.teacher.middle, &r.l.Room,
		&r.kind, &r.sub.id, &r.sub.family, &r.sub.given, &r.sub.middle,
		&r.room, &r.movedTo, &r.movedPeriod, &r.note, &r.topic, &r.movedFrom, &r.fromPeriod}
}

// planned is where the columns of a lesson at its own slot go: lessonColumns
// but the last two, where it was moved in from.
func (r *lessonRow) planned() []any {
	d := r.dest()
	return d[:len(d)-2]
}

// lesson is the lesson as its teacher sees it: the timetable's teacher, and
// the change with its substitute and new room, which is the room the lesson
// is in.
func (r *lessonRow) lesson() Lesson {
	l := r.l
	l.Period, l.Starts, l.Ends = int(r.period), clock(r.starts), clock(r.ends)
	l.Teacher = r.teacher.person()
	l.Topic = deref(r.topic)
	if r.kind == nil {
		return l
	}
	c := &LessonChange{Kind: ChangeKind(*r.kind), Substitute: r.sub.person(), Room: deref(r.room), Note: deref(r.note)}
	if r.movedTo != nil && r.movedPeriod != nil {
		c.MovedTo, c.MovedToPeriod = *r.movedTo, int(*r.movedPeriod)
	}
	if r.movedFrom != nil && r.fromPeriod != nil {
		c.MovedFrom, c.MovedFromPeriod = *r.movedFrom, int(*r.fromPeriod)
	}
	l.Change = c
	if c.Room != "" {
		l.Room = c.Room
	}
	return l
}

// pupilLesson is the lesson as its pupils see it: given by the substitute, if
// any. A lesson moved in has its teacher and room as its own: the change it
// tells of is the move.
func (r *lessonRow) pupilLesson() Lesson {
	l := r.lesson()
	if l.Change == nil {
		return l
	}
	if l.Change.Substitute != nil {
		l.Teacher = l.Change.Substitute
	}
	if !l.Change.MovedFrom.IsZero() {
		l.Change.Substitute, l.Change.Room = nil, ""
	}
	return l
}

// scanLesson reads a lesson at its own slot as its pupils see it, from the
// columns of lessonColumns but the last two (noticeLessonSQL).
func scanLesson(row pgx.CollectableRow) (Lesson, error) {
	var r lessonRow
	if err := row.Scan(r.planned()...); err != nil {
		return Lesson{}, err
	}
	return r.pupilLesson(), nil
}

// scanDayLesson reads a lesson of lessonsSQL as its pupils see it.
func scanDayLesson(row pgx.CollectableRow) (Lesson, error) {
	var r lessonRow
	if err := row.Scan(r.dest()...); err != nil {
		return Lesson{}, err
	}
	return r.pupilLesson(), nil
}
