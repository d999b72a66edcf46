package diary_test

import (
	"context"
	"testing"
	"time"
)

func TestAttendanceAndRemarks(t *testing.T) {
	c := newClass7A(t)
	f := c.fixture
	ctx := context.Background()
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, excused, reason) VALUES
	        ($1, $2, '2026-11-20', NULL, 'absent', true, 'болезнь'),
	        ($1, $2, '2026-11-27', 2, 'absent', false, ''),
	        ($1, $2, '2026-11-27', 1, 'late', false, ''),
	        ($1, $3, '2026-11-27', 3, 'absent', false, '')`, c.homeroom, c.dasha, c.petya)
	f.Exec(`INSERT INTO remarks (pupil_id, kind, body, given_on) VALUES ($1, 'warning', 'Нет сменной обуви', '2026-11-24'),
	        ($2, 'warning', 'Чужое замечание', '2026-11-24')`, c.dasha, c.petya)

	r, err := f.store.Attendance(ctx, f.access(c.mum, c.dasha), day("2026-11-01"), day("2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if r.AbsentDays != 1 || r.AbsentLessons != 1 || r.Excused != 1 || r.Late != 1 || len(r.Marks) != 3 {
		t.Errorf("absent %d days and %d lessons, excused %d, late %d, marks %+v", r.AbsentDays, r.AbsentLessons, r.Excused, r.Late, r.Marks)
	}
	if m := r.Marks[0]; m.Period != 0 || m.Reason != "болезнь" || !m.Excused {
		t.Errorf("whole-day mark = %+v", m)
	}
	if m := r.Marks[2]; m.Period != 2 || m.Subject != "Русский язык" {
		t.Errorf("period mark = %+v (the subject of period 2 on a Friday)", m)
	}

	rl, err := f.store.Remarks(ctx, f.access(c.mum, c.dasha), day("2026-11-01"), day("2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rl.Remarks) != 1 || rl.Remarks[0].Text != "Нет сменной обуви" {
		t.Errorf("remarks = %+v", rl.Remarks)
	}
}

func TestUpcomingEvents(t *testing.T) {
	c := newClass7A(t)
	f := c.fixture
	ctx := context.Background()
	c7b := f.Homeroom("7Б")
	add := func(class any, title, starts string, cancelled bool) int64 {
		return f.Insert(`INSERT INTO events (school_id, class_id, kind, title, starts_at, cancelled_at)
		              VALUES ($1, $2, 'meeting', $3, $4, CASE WHEN $5 THEN now() END) RETURNING id`,
			f.ID, class, title, starts, cancelled)
	}
	meeting := add(c.homeroom, "Родительское собрание 7А", "2026-12-03 18:00+03", false)
	add(nil, "Новогодний концерт", "2026-12-25 12:00+03", false)
	add(c7b, "Собрание 7Б", "2026-12-03 18:00+03", false)
	add(c.homeroom, "Экскурсия", "2026-12-05 09:00+03", true)
	add(c.homeroom, "Прошедшее собрание", "2026-11-20 18:00+03", false)
	add(c.homeroom, "Весной", "2027-04-01 18:00+03", false)
	f.Exec(`INSERT INTO event_rsvps (event_id, account_id, answer) VALUES ($1, $2, 'yes')`, meeting, c.mum)

	l, err := f.store.UpcomingEvents(ctx, f.access(c.mum, c.dasha), 31*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range l.Events {
		titles = append(titles, e.Title)
	}
	if len(l.Events) != 3 || titles[0] != "Родительское собрание 7А" || titles[1] != "Экскурсия" || titles[2] != "Новогодний концерт" {
		t.Fatalf("events = %q", titles)
	}
	if l.Events[0].Answer != "yes" || l.Events[0].Class != "7А" || !l.Events[1].Cancelled || l.Events[2].Class != "" {
		t.Errorf("events = %+v", l.Events)
	}
}

func TestMissedTopics(t *testing.T) {
	c := newClass7A(t)
	f := c.fixture
	ctx := context.Background()
	// Ill all Friday the 20th: every lesson is missed, with its topic and the
	// homework set there.
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, excused) VALUES ($1, $2, '2026-11-20', NULL, 'absent', true)`,
		c.homeroom, c.dasha)
	f.Exec(`INSERT INTO lesson_topics (class_id, lesson_date, period, topic) VALUES ($1, '2026-11-20', 1, 'Дроби'), ($2, '2026-11-20', 2, 'Причастия')`,
		c.math, c.russian)
	f.Homework(c.math, "2026-11-20", "2026-11-24", "§11, № 3")
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind) VALUES ($1, '2026-11-20', 3, 'cancelled')`, c.english)
	// Away from one lesson on Thursday the 26th.
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-26', 4, 'absent')`,
		c.history, c.dasha)
	// Late is not missed.
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-27', 1, 'late')`,
		c.math, c.dasha)

	r, err := f.store.Missed(ctx, f.access(c.mum, c.dasha), day("2026-11-16"), day("2026-11-29"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range r.Lessons {
		got = append(got, l.Date.Format("02.01")+" "+l.Subject+" "+l.Topic)
	}
	want := []string{"20.11 Математика Дроби", "20.11 Русский язык Причастия", "20.11 Английский язык ", "20.11 История ", "26.11 История "}
	if len(got) != len(want) {
		t.Fatalf("missed = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("missed[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	if hw := r.Lessons[0].Homework; len(hw) != 1 || hw[0].Text != "§11, № 3" || !r.Lessons[0].Excused {
		t.Errorf("missed math = %+v", r.Lessons[0])
	}
}
