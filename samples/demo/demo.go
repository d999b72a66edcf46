// Package demo seeds a small school around a given day: two classes of 7th
// grade, their teachers, pupils and parents, a week of timetable with a lesson
// change, homework, topics, grades, marks, remarks and an upcoming parent meeting.
// `dnevnik demo` shows it to a person; the bot's tests read it with the day pinned.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// School is what Seed made, by sourced id, for the caller to issue codes and
// find people.
type School struct {
	SchoolID string
	Classes  []string // homeroom sourced ids: 7А, 7Б
	// Pupils by sourced id, e.g. "p-alyoshina-d".
	Pupils map[string]int64
}

// Sourced ids the tests and the demo refer to.
const (
	Class7A         = "demo-7a"
	Class7B         = "demo-7b"
	Dasha           = "p-alyoshina-d" // 7А; her mother also has Максим in 7Б
	Maxim           = "p-alyoshin-m"  // 7Б
	Petya           = "p-yolkin-p"    // 7А
	SchoolSourcedID = "demo-school"
	TeacherMat      = "t-ivanova" // maths, the homeroom teacher of 7А
)

type person struct {
	id, role, family, given, middle string
}

var teachers = []person{
	{TeacherMat, "teacher", "Иванова", "Мария", "Петровна"},
	{"t-petrova", "teacher", "Петрова", "Анна", "Сергеевна"},
	{"t-morozova", "teacher", "Морозова", "Анна", "Дмитриевна"},
	{"t-volkova", "teacher", "Волкова", "Елена", "Игоревна"},
	{"t-sidorov", "teacher", "Сидоров", "Виктор", "Васильевич"},
	{"t-fyodorova", "teacher", "Фёдорова", "Алёна", "Олеговна"},
}

var pupils7A = []person{
	{Dasha, "student", "Алёшина", "Дарья", "Сергеевна"},
	{Petya, "student", "Ёлкин", "Пётр", "Андреевич"},
	{"p-borisov-i", "student", "Борисов", "Иван", "Алексеевич"},
	{"p-grigorieva-s", "student", "Григорьева", "Софья", "Павловна"},
	{"p-denisov-a", "student", "Денисов", "Артём", "Игоревич"},
	{"p-egorova-m", "student", "Егорова", "Мария", "Олеговна"},
}

var pupils7B = []person{
	{Maxim, "student", "Алёшин", "Максим", "Сергеевич"},
	{"p-zhukova-k", "student", "Жукова", "Ксения", "Романовна"},
	{"p-zaitsev-l", "student", "Зайцев", "Лев", "Михайлович"},
}

var guardians = []struct {
	person
	children []string
}{
	{person{"g-alyoshina-o", "guardian", "Алёшина", "Ольга", "Викторовна"}, []string{Dasha, Maxim}},
	{person{"g-alyoshin-s", "guardian", "Алёшин", "Сергей", "Николаевич"}, []string{Dasha, Maxim}},
	{person{"g-yolkina-t", "guardian", "Ёлкина", "Татьяна", "Юрьевна"}, []string{Petya}},
}

// subject is a section of a homeroom: its subject, teacher and room.
type subject struct{ name, teacher, room string }

var subjects7A = []subject{
	{"Математика", TeacherMat, "214"}, {"Русский язык", "t-petrova", "301"}, {"Литература", "t-petrova", "301"},
	{"Английский язык", "t-morozova", "105"}, {"Физика", "t-volkova", "312"}, {"Биология", "t-volkova", "310"},
	{"История", "t-fyodorova", "207"}, {"Физкультура", "t-sidorov", "Спортзал"},
}

var subjects7B = []subject{
	{"Математика", TeacherMat, "215"}, {"Русский язык", "t-petrova", "302"},
	{"Английский язык", "t-morozova", "106"}, {"История", "t-fyodorova", "207"}, {"Физкультура", "t-sidorov", "Спортзал"},
}

// week7A lists 7А's lessons, Monday to Friday, by index into subjects7A.
var week7A = [5][]int{{0, 1, 3, 6, 7}, {0, 2, 4, 1, 5}, {1, 0, 3, 6, 2}, {4, 0, 1, 7, 5}, {0, 1, 3, 6, 2, 7}}

var week7B = [5][]int{{1, 0, 2, 3}, {0, 1, 4, 2}, {0, 3, 1, 2}, {1, 0, 4, 2}, {2, 0, 1, 3}}

// bells are the start and end of each period.
var bells = [][2]string{{"08:30", "09:15"}, {"09:25", "10:10"}, {"10:30", "11:15"}, {"11:35", "12:20"}, {"12:30", "13:15"}, {"13:25", "14:10"}}

var homeworkTexts = []string{"§12, упр. 5, 6 и 7", "Выучить правило на с. 54", "Прочитать главы 3–4", "Workbook p. 30, ex. 2",
	"Задачи № 214, 216", "Подготовить сообщение", "Повторить даты", "Конспект параграфа 9"}

var topics = []string{"Линейные уравнения", "Причастный оборот", "«Капитанская дочка»: глава 3", "Present Perfect",
	"Сила трения", "Строение клетки", "Смутное время", "Баскетбол: ведение мяча"}

// Seed writes the demo school into an empty diary, around today (a date value).
func Seed(ctx context.Context, db *pgxpool.Pool, today time.Time) (School, error) {
	s := School{SchoolID: SchoolSourcedID, Classes: []string{Class7A, Class7B}, Pupils: map[string]int64{}}
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		w := &writer{ctx: ctx, tx: tx, today: today}
		w.school()
		w.people()
		w.class(Class7A, "7А", pupils7A, subjects7A, week7A)
		w.class(Class7B, "7Б", pupils7B, subjects7B, week7B)
		w.events()
		if w.err != nil {
			return w.err
		}
		var sid string
		var id int64
		rows, _ := tx.Query(ctx, `SELECT sourced_id, id FROM people WHERE role = 'student'`)
		_, err := pgx.ForEachRow(rows, []any{&sid, &id}, func() error {
			s.Pupils[sid] = id
			return nil
		})
		return err
	})
	if err != nil {
		return School{}, fmt.Errorf("seed the demo school: %w", err)
	}
	return s, nil
}

// writer runs the seeding statements, keeping the first error.
type writer struct {
	ctx   context.Context
	tx    pgx.Tx
	today time.Time
	err   error
}

func (w *writer) exec(sql string, args ...any) {
	if w.err != nil {
		return
	}
	if _, err := w.tx.Exec(w.ctx, sql, args...); err != nil {
		w.err = fmt.Errorf("%.60s…: %w", sql, err)
	}
}

// schoolYear is the September that starts the school year holding today.
func (w *writer) schoolYear() int {
	if w.today.Month() >= time.September {
		return w.today.Year()
	}
	return w.today.Year() - 1
}

func (w *writer) school() {
	y := w.schoolYear()
	date := func(year int, m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	w.exec(`INSERT INTO schools (sourced_id, name) VALUES ('demo-school', 'Школа №1')`)
	w.exec(`INSERT INTO academic_sessions (sourced_id, title, kind, school_year, start_date, end_date)
	        VALUES ('demo-year', $1, 'school_year', $2, $3, $4)`,
		fmt.Sprintf("%d/%d", y, y+1), y+1, date(y, time.September, 1), date(y+1, time.May, 31))
	terms := [][2]time.Time{
		{date(y, time.September, 1), date(y, time.October, 25)}, {date(y, time.November, 5), date(y, time.December, 28)},
		{date(y+1, time.January, 12), date(y+1, time.March, 21)}, {date(y+1, time.April, 1), date(y+1, time.May, 31)},
	}
	for i, t := range terms {
		w.exec(`INSERT INTO academic_sessions (sourced_id, parent_id, title, kind, school_year, start_date, end_date)
		        SELECT $1, id, $2, 'term', $3, $4, $5 FROM academic_sessions WHERE sourced_id = 'demo-year'`,
			fmt.Sprintf("demo-term-%d", i+1), fmt.Sprintf("%d четверть", i+1), y+1, t[0], t[1])
	}
}

func (w *writer) people() {
	add := func(p person) {
		w.exec(`INSERT INTO people (sourced_id, school_id, role, family_name, given_name, middle_name)
		        SELECT $1, id, $2, $3, $4, $5 FROM schools WHERE sourced_id = 'demo-school'`, p.id, p.role, p.family, p.given, p.middle)
	}
	for _, group := range [][]person{teachers, pupils7A, pupils7B} {
		for _, p := range group {
			add(p)
		}
	}
	for _, g := range guardians {
		add(g.person)
		for _, c := range g.children {
			w.exec(`INSERT INTO guardianships (guardian_id, pupil_id)
			        SELECT g.id, c.id FROM people g, people c WHERE g.sourced_id = $1 AND c.sourced_id = $2`, g.id, c)
		}
	}
}

// class seeds a homeroom, its sections, enrollments, timetable, and a fortnight
// of homework, topics and grades on each side of today.
func (w *writer) class(id, title string, pupils []person, subjects []subject, week [5][]int) {
	w.exec(`INSERT INTO classes (sourced_id, school_id, title, kind, grade_level, school_year_id)
	        SELECT $1, s.id, $2, 'homeroom', '7', y.id FROM schools s, academic_sessions y
	        WHERE s.sourced_id = 'demo-school' AND y.sourced_id = 'demo-year'`, id, title)
	w.exec(`INSERT INTO enrollments (class_id, person_id, role)
	        SELECT c.id, p.id, 'teacher' FROM classes c, people p WHERE c.sourced_id = $1 AND p.sourced_id = $2`, id, TeacherMat)
	for _, p := range pupils {
		w.enroll(id, p.id, "student")
	}
	for i, sub := range subjects {
		sec := fmt.Sprintf("%s-%d", id, i)
		w.exec(`INSERT INTO subjects (school_id, name) SELECT id, $1 FROM schools WHERE sourced_id = 'demo-school'
		        ON CONFLICT (school_id, name) DO NOTHING`, sub.name)
		w.exec(`INSERT INTO classes (sourced_id, school_id, title, kind, grade_level, subject_id, school_year_id)
		        SELECT $1, s.id, $2, 'section', '7', sub.id, y.id FROM schools s
		        JOIN subjects sub ON sub.school_id = s.id AND sub.name = $3
		        JOIN academic_sessions y ON y.sourced_id = 'demo-year'
		        WHERE s.sourced_id = 'demo-school'`, sec, title+" "+sub.name, sub.name)
		w.enroll(sec, sub.teacher, "teacher")
		for _, p := range pupils {
			w.enroll(sec, p.id, "student")
		}
	}
	monday := w.today.AddDate(0, 0, -((int(w.today.Weekday()) + 6) % 7))
	for wd, lessons := range week {
		for period, i := range lessons {
			sub := subjects[i]
			sec := fmt.Sprintf("%s-%d", id, i)
			w.exec(`INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid)
			        SELECT c.id, $2, $3, $4, $5, c.subject_id, t.id, $6, daterange(y.start_date, y.end_date, '[]')
			        FROM classes c JOIN people t ON t.sourced_id = $7 JOIN academic_sessions y ON y.id = c.school_year_id
			        WHERE c.sourced_id = $1`, sec, wd+1, period+1, bells[period][0], bells[period][1], sub.room, sub.teacher)
			// Two weeks back and one ahead: topics, homework set for the next
			// lesson, and grades of the past lessons.
			for k := -2; k <= 1; k++ {
				day := monday.AddDate(0, 0, 7*k+wd)
				w.lessonWork(sec, day, period+1, i, k, pupils)
			}
		}
	}
	if id == Class7A {
		w.changes7A()
	}
}

func (w *writer) enroll(class, person, role string) {
	w.exec(`INSERT INTO enrollments (class_id, person_id, role)
	        SELECT c.id, p.id, $3 FROM classes c, people p WHERE c.sourced_id = $1 AND p.sourced_id = $2`, class, person, role)
}

// lessonWork adds a lesson's topic and homework and, for lessons already given,
// grades for some of the pupils.
func (w *writer) lessonWork(sec string, day time.Time, period, subject, week int, pupils []person) {
	n := day.YearDay() + period
	if !day.After(w.today.AddDate(0, 0, 3)) {
		w.exec(`INSERT INTO lesson_topics (class_id, lesson_date, period, topic) SELECT id, $2, $3, $4 FROM classes WHERE sourced_id = $1`,
			sec, day, period, fmt.Sprintf("%s (%d)", topics[subject], 3+week))
	}
	w.exec(`INSERT INTO assignments (sourced_id, class_id, kind, title, description, assigned_on, due_on)
	        SELECT $1, id, 'homework', '', $2, $3, $4 FROM classes WHERE sourced_id = $5`,
		fmt.Sprintf("%s-hw-%s-%d", sec, day.Format("0102"), period), homeworkTexts[n%len(homeworkTexts)], day.AddDate(0, 0, -7), day, sec)
	if !day.Before(w.today) {
		return
	}
	weight, kind, work := 1.0, "classwork", "Работа на уроке"
	if n%5 == 0 {
		weight, kind, work = 2, "test", "Контрольная работа"
	}
	item := fmt.Sprintf("%s-w-%s-%d", sec, day.Format("0102"), period)
	w.exec(`INSERT INTO assignments (sourced_id, class_id, kind, title, assigned_on, due_on, weight)
	        SELECT $1, id, $2, $3, $4, $4, $5 FROM classes WHERE sourced_id = $6`, item, kind, work, day, weight, sec)
	for j, p := range pupils {
		if (n+j)%3 != 0 { // a third of the class is graded at a lesson
			continue
		}
		score := []int{5, 4, 5, 3, 4, 5, 2, 4}[(n+2*j)%8]
		w.exec(`INSERT INTO grades (class_id, pupil_id, assignment_id, score, weight, graded_on)
		        SELECT a.class_id, p.id, a.id, $3, a.weight, $4 FROM assignments a, people p
		        WHERE a.sourced_id = $1 AND p.sourced_id = $2`, item, p.id, score, day)
	}
}

// changes7A: tomorrow a substitute and a cancelled lesson; Даша was ill three
// days ago, Петя late today; a praise and a warning.
func (w *writer) changes7A() {
	tomorrow := w.today.AddDate(0, 0, 1)
	w.exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id, room)
	        SELECT t.class_id, $1, t.period, 'substitute', s.id, '305'
	        FROM timetable_entries t JOIN classes c ON c.id = t.class_id, people s
	        WHERE c.sourced_id LIKE 'demo-7a-%' AND t.weekday = extract(isodow FROM $1::date) AND t.period = 2 AND s.sourced_id = 't-fyodorova'`, tomorrow)
	w.exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, note)
	        SELECT t.class_id, $1, t.period, 'cancelled', 'Учитель на курсах'
	        FROM timetable_entries t JOIN classes c ON c.id = t.class_id
	        WHERE c.sourced_id LIKE 'demo-7a-%' AND t.weekday = extract(isodow FROM $1::date) AND t.period = 4`, tomorrow)
	w.exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, excused, reason)
	        SELECT c.id, p.id, $1, NULL, 'absent', true, 'болезнь' FROM classes c, people p
	        WHERE c.sourced_id = $2 AND p.sourced_id = $3`, w.today.AddDate(0, 0, -3), Class7A, Dasha)
	w.exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status)
	        SELECT c.id, p.id, $1, 1, 'late' FROM classes c, people p WHERE c.sourced_id = $2 AND p.sourced_id = $3`,
		w.today, Class7A, Petya)
	w.exec(`INSERT INTO remarks (pupil_id, class_id, author_id, kind, body, given_on)
	        SELECT p.id, c.id, t.id, 'praise', 'Отличный ответ у доски', $1 FROM people p, classes c, people t
	        WHERE p.sourced_id = $2 AND c.sourced_id = 'demo-7a-0' AND t.sourced_id = $3`, w.today.AddDate(0, 0, -1), Dasha, TeacherMat)
	w.exec(`INSERT INTO remarks (pupil_id, class_id, author_id, kind, body, given_on)
	        SELECT p.id, c.id, t.id, 'warning', 'Нет спортивной формы', $1 FROM people p, classes c, people t
	        WHERE p.sourced_id = $2 AND c.sourced_id = 'demo-7a-7' AND t.sourced_id = 't-sidorov'`, w.today.AddDate(0, 0, -2), Petya)
}

// events: a parent meeting of 7А in five days at 18:30, and a school concert.
func (w *writer) events() {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		w.err = err
		return
	}
	at := func(days, hour, minute int) time.Time {
		d := w.today.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, moscow)
	}
	w.exec(`INSERT INTO events (school_id, class_id, kind, title, agenda, place, starts_at, ends_at)
	        SELECT s.id, c.id, 'meeting', 'Родительское собрание 7А', 'Итоги четверти, поездка в музей', 'Кабинет 214', $1, $2
	        FROM schools s, classes c WHERE s.sourced_id = 'demo-school' AND c.sourced_id = $3`, at(5, 18, 30), at(5, 19, 30), Class7A)
	w.exec(`INSERT INTO events (school_id, kind, title, place, starts_at)
	        SELECT id, 'event', 'Концерт к Новому году', 'Актовый зал', $1 FROM schools WHERE sourced_id = 'demo-school'`, at(20, 12, 0))
}
