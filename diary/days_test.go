package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// class7A is 7А with three subject sections, a Friday and a Thursday timetable,
// and Даша enrolled in all of it.
type class7A struct {
	*fixture
	homeroom, math, russian, english, history diary.ClassID
	dasha, petya                              diary.PersonID
	ivanova, petrova, sidorova                diary.PersonID
	mum                                       diary.AccountID
}

func newClass7A(t *testing.T) *class7A {
	f := newFixture(t)
	c := &class7A{fixture: f}
	c.homeroom = f.Homeroom("7А")
	c.math = f.Section("7А Математика", "Математика")
	c.russian = f.Section("7А Русский язык", "Русский язык")
	c.english = f.Section("7А Английский язык", "Английский язык")
	c.history = f.Section("7А История", "История")
	c.ivanova = f.Teacher("Иванова", "Мария", c.math)
	c.petrova = f.Teacher("Петрова", "Анна", c.russian)
	c.sidorova = f.Teacher("Сидорова", "Алёна")
	c.dasha = f.Pupil("Алёшина", "Дарья", c.homeroom, c.math, c.russian, c.english, c.history)
	c.petya = f.Pupil("Ёлкин", "Пётр", c.homeroom, c.math, c.russian, c.english, c.history)
	c.mum = f.Guardian(c.dasha)
	// Friday.
	f.Lesson(c.math, 5, 1, "08:30", "09:15", "Математика", c.ivanova, "214")
	f.Lesson(c.russian, 5, 2, "09:25", "10:10", "Русский язык", c.petrova, "301")
	f.Lesson(c.english, 5, 3, "10:30", "11:15", "Английский язык", 0, "105")
	// Thursday, and the bell of period 4 on Friday for lessons moved there.
	f.Lesson(c.history, 4, 4, "11:35", "12:20", "История", c.petrova, "302")
	f.Lesson(c.history, 5, 5, "12:30", "13:15", "История", c.petrova, "302")
	f.Lesson(c.english, 5, 4, "11:35", "12:20", "Английский язык", 0, "105")
	f.Exec(`UPDATE timetable_entries SET valid = daterange('2026-09-01', '2026-11-26', '[]')
	        WHERE class_id = $1 AND weekday = 5 AND period = 4`, c.english)
	return c
}

func TestDayView(t *testing.T) {
	c := newClass7A(t)
	ctx := context.Background()
	f := c.fixture
	fri := day("2026-11-27")
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id, room)
	        VALUES ($1, '2026-11-27', 2, 'substitute', $2, '305')`, c.russian, c.sidorova)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind) VALUES ($1, '2026-11-27', 3, 'cancelled')`, c.english)
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period)
	        VALUES ($1, '2026-11-26', 4, 'moved', '2026-11-27', 4)`, c.history)
	f.Exec(`INSERT INTO lesson_topics (class_id, lesson_date, period, topic) VALUES ($1, '2026-11-27', 1, 'Линейные уравнения')`, c.math)
	f.Homework(c.math, "2026-11-25", "2026-11-27", "§12, упр. 5, 6 и 7")
	f.Homework(c.english, "2026-11-24", "2026-11-27", "Workbook p. 30")
	f.Homework(c.math, "2026-11-27", "2026-11-30", "§13")
	f.Grade(c.math, c.dasha, "2026-11-27", 5, 1)
	f.Grade(c.math, c.petya, "2026-11-27", 2, 1) // someone else's: never shown
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-27', 1, 'late')`, c.math, c.dasha)
	f.Exec(`INSERT INTO remarks (pupil_id, class_id, author_id, kind, body, given_on) VALUES ($1, $2, $3, 'praise', 'Отлично у доски', '2026-11-27')`,
		c.dasha, c.math, c.ivanova)

	s, err := f.store.Days(ctx, f.access(c.mum, c.dasha), fri, fri)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Days) != 1 || s.Access.Pupil.GivenName != "Дарья" {
		t.Fatalf("days %d, access %+v", len(s.Days), s.Access)
	}
	d := s.Days[0]
	var periods []int
	for _, l := range d.Lessons {
		periods = append(periods, l.Period)
	}
	if len(d.Lessons) != 5 {
		t.Fatalf("lessons at periods %v, want 1-5", periods)
	}
	math, russian, english, moved, history := d.Lessons[0], d.Lessons[1], d.Lessons[2], d.Lessons[3], d.Lessons[4]

	if math.Subject != "Математика" || math.Starts.String() != "08:30" || math.Ends.String() != "09:15" ||
		math.Room != "214" || math.Teacher == nil || math.Teacher.FamilyName != "Иванова" || math.Topic != "Линейные уравнения" {
		t.Errorf("math lesson = %+v", math)
	}
	if len(math.Homework) != 1 || math.Homework[0].Text != "§12, упр. 5, 6 и 7" {
		t.Errorf("math homework = %+v", math.Homework)
	}
	if len(math.Grades) != 1 || math.Grades[0].Score != 5 {
		t.Errorf("math grades = %+v (only Даша's 5)", math.Grades)
	}
	if math.Attendance == nil || math.Attendance.Status != "late" {
		t.Errorf("math attendance = %+v", math.Attendance)
	}
	if russian.Change == nil || russian.Change.Kind != diary.ChangeSubstitute ||
		russian.Teacher.FamilyName != "Сидорова" || russian.Room != "305" {
		t.Errorf("substituted lesson = %+v", russian)
	}
	if english.Change == nil || english.Change.Kind != diary.ChangeCancelled || english.Held() {
		t.Errorf("cancelled lesson = %+v", english)
	}
	// Homework due at a cancelled lesson still shows, on the day.
	if len(english.Homework) != 0 || len(d.Homework) != 1 || d.Homework[0].Text != "Workbook p. 30" {
		t.Errorf("homework of the cancelled lesson: lesson %+v, day %+v", english.Homework, d.Homework)
	}
	if moved.Subject != "История" || moved.Change == nil || !moved.Change.MovedFrom.Equal(day("2026-11-26")) ||
		moved.Change.MovedFromPeriod != 4 || moved.Starts.String() != "11:35" || !moved.Held() {
		t.Errorf("lesson moved in = %+v %+v", moved, moved.Change)
	}
	if history.Period != 5 || history.Change != nil {
		t.Errorf("period 5 = %+v", history)
	}
	if len(d.Remarks) != 1 || d.Remarks[0].Kind != "praise" || d.Remarks[0].Subject != "Математика" || d.Remarks[0].Author.FamilyName != "Иванова" {
		t.Errorf("remarks = %+v", d.Remarks)
	}
}

func TestWeekView(t *testing.T) {
	c := newClass7A(t)
	f := c.fixture
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period)
	        VALUES ($1, '2026-11-26', 4, 'moved', '2026-11-27', 4)`, c.history)

	s, err := f.store.Week(context.Background(), f.access(c.mum, c.dasha), day("2026-11-25"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Days) != 7 || !s.Days[0].Date.Equal(day("2026-11-23")) || !s.Days[6].Date.Equal(day("2026-11-29")) {
		t.Fatalf("week = %d days from %v", len(s.Days), s.Days[0].Date)
	}
	if s.Days[0].Date.Weekday() != time.Monday {
		t.Errorf("week starts on %v", s.Days[0].Date.Weekday())
	}
	thu := s.Days[3]
	if len(thu.Lessons) != 1 || thu.Lessons[0].Held() || !thu.Lessons[0].Change.MovedTo.Equal(day("2026-11-27")) {
		t.Errorf("Thursday = %+v", thu.Lessons)
	}
	if len(s.Days[4].Lessons) != 5 || len(s.Days[5].Lessons) != 0 {
		t.Errorf("Friday %d lessons, Saturday %d", len(s.Days[4].Lessons), len(s.Days[5].Lessons))
	}
}

// "Today" is the school's day, not the server's.
func TestTodayIsTheSchoolsDay(t *testing.T) {
	f := newFixture(t)
	f.now = time.Date(2026, 11, 27, 21, 30, 0, 0, time.UTC) // 00:30 on the 28th in Moscow
	p := f.Pupil("Алёшина", "Дарья", f.Homeroom("7А"))
	a, err := f.store.PupilAccess(context.Background(), f.Guardian(p), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.store.Today(a.School); !got.Equal(day("2026-11-28")) {
		t.Errorf("today in Moscow = %v", got)
	}
	f.Exec(`UPDATE schools SET time_zone = 'America/New_York'`)
	a, _ = f.store.PupilAccess(context.Background(), f.Guardian(p), p)
	if got := f.store.Today(a.School); !got.Equal(day("2026-11-27")) {
		t.Errorf("today in New York = %v", got)
	}
}

func TestRangeLimits(t *testing.T) {
	c := newClass7A(t)
	ctx := context.Background()
	_, err := c.store.Days(ctx, c.access(c.mum, c.dasha), day("2026-11-27"), day("2026-11-20"))
	wantCode(t, err, diary.EINVALID)
	_, err = c.store.Days(ctx, c.access(c.mum, c.dasha), day("2020-01-01"), day("2026-11-20"))
	wantCode(t, err, diary.EINVALID)
}

// Pupils and the class's teacher read a day's lessons from one query. A lesson
// moved in with a substitute and a new room: its pupils see both as the
// lesson's own, the change they are told of being the move; the teacher sees
// the change whole.
func TestMovedInLessonForPupilsAndTeacher(t *testing.T) {
	c := newClass7A(t)
	f := c.fixture
	ctx := context.Background()
	fri := day("2026-11-27")
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, substitute_teacher_id, room, moved_to_date, moved_to_period)
	        VALUES ($1, '2026-11-20', 1, 'moved', $2, '401', '2026-11-27', 6)`, c.math, c.sidorova)
	ivanova := f.Account()
	f.Link(ivanova, c.ivanova, diary.RoleTeacher)

	s, err := f.store.Days(ctx, f.access(c.mum, c.dasha), fri, fri)
	if err != nil {
		t.Fatal(err)
	}
	var pupils []diary.Lesson
	for _, l := range s.Days[0].Lessons {
		if l.Class == c.math {
			pupils = append(pupils, l)
		}
	}
	teacher, err := f.store.ClassLessons(ctx, f.teaching(ivanova, c.math), fri)
	if err != nil {
		t.Fatal(err)
	}
	if len(pupils) != 2 || len(teacher) != 2 {
		t.Fatalf("pupils' math lessons %+v, teacher's %+v", pupils, teacher)
	}
	for i, p := range pupils {
		if l := teacher[i]; l.Period != p.Period || l.Held() != p.Held() || l.Starts != p.Starts || l.Subject != p.Subject {
			t.Errorf("lesson %d: pupils see %+v, the teacher %+v", i, p, l.Lesson)
		}
	}
	p, l := pupils[1], teacher[1]
	if p.Period != 6 || p.Starts.String() != "08:30" || !p.Change.MovedFrom.Equal(day("2026-11-20")) ||
		p.Teacher.FamilyName != "Сидорова" || p.Room != "401" || p.Change.Substitute != nil || p.Change.Room != "" {
		t.Errorf("pupils' lesson moved in = %+v %+v", p, p.Change)
	}
	if l.Teacher.FamilyName != "Иванова" || l.Room != "401" || l.Change.Substitute == nil ||
		l.Change.Substitute.FamilyName != "Сидорова" || l.Change.Room != "401" || l.ClassTitle != "7А Математика" {
		t.Errorf("teacher's lesson moved in = %+v %+v", l, l.Change)
	}
}
