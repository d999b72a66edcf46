package diary_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestParseOfficeHours(t *testing.T) {
	for _, c := range []struct {
		typed string
		want  diary.OfficeHours
		bad   bool
	}{
		{typed: "15:00-18:00", want: diary.OfficeHours{Days: 127, Opens: 900, Closes: 1080}},
		{typed: "пн-пт 15:00-18:00", want: diary.OfficeHours{Days: 0b11111, Opens: 900, Closes: 1080}},
		{typed: "Пн–Пт 9.30–11", want: diary.OfficeHours{Days: 0b11111, Opens: 570, Closes: 660}},
		{typed: "mon,wed,fri 8:00-9:00", want: diary.OfficeHours{Days: 0b10101, Opens: 480, Closes: 540}},
		{typed: "сб 10:00-12:00", want: diary.OfficeHours{Days: 0b100000, Opens: 600, Closes: 720}},
		{typed: "off"},
		{typed: "нет"},
		{typed: "18:00-15:00", bad: true},
		{typed: "пт-пн 15:00-18:00", bad: true},
		{typed: "пн 25:00-26:00", bad: true},
		{typed: "когда-нибудь", bad: true},
		{typed: "", bad: true},
		{typed: "пн 15:00-18:00 и ещё", bad: true},
	} {
		got, err := diary.ParseOfficeHours(c.typed)
		if c.bad {
			if r, _ := diary.ReasonOf(err); r != diary.ReasonOfficeHours {
				t.Errorf("%q: %+v, %v; want refused", c.typed, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.typed, got, err, c.want)
		}
	}
}

// A message written outside office hours waits for the next time they begin,
// in the school's zone; one written within them goes at once.
func TestOfficeHoursNext(t *testing.T) {
	weekdays := diary.OfficeHours{Days: 0b11111, Opens: 15 * 60, Closes: 18 * 60}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, moscow)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ written, read string }{
		{"2026-11-26 10:00", "2026-11-26 15:00"}, // Thursday morning: that afternoon
		{"2026-11-26 16:30", "2026-11-26 16:30"}, // within: at once
		{"2026-11-26 18:00", "2026-11-27 15:00"}, // as they close: the next day
		{"2026-11-27 19:00", "2026-11-30 15:00"}, // Friday evening: Monday
		{"2026-11-28 12:00", "2026-11-30 15:00"}, // Saturday: Monday
	} {
		if got := weekdays.Next(at(c.written), moscow); !got.Equal(at(c.read)) {
			t.Errorf("written %s: read %s, want %s", c.written, got.In(moscow).Format("Mon 2006-01-02 15:04"), c.read)
		}
	}
	if got := (diary.OfficeHours{}).Next(at("2026-11-28 23:00"), moscow); !got.Equal(at("2026-11-28 23:00")) {
		t.Errorf("without office hours: %v", got)
	}
}

// The hourly limit holds when one account writes from many bot processes at
// once: the count is taken in the transaction that writes.
func TestHourlyLimitHoldsAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a := f.Homeroom("7А")
	dasha := f.Pupil("Алёшина", "Дарья", c7a)
	teacher := f.Teacher("Иванова", "Мария", c7a)
	f.Link(f.Account(), teacher, diary.RoleTeacher)
	mum := f.Guardian(dasha)
	a := f.access(mum, dasha)

	const tries = 3 * diary.MessagesPerHour
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		written int
		refused int
	)
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.store.WriteToTeacher(ctx, a, teacher, fmt.Sprintf("Вопрос %d", i), i+1)
			mu.Lock()
			defer mu.Unlock()
			switch r, _ := diary.ReasonOf(err); {
			case err == nil:
				written++
			case r == diary.ReasonMessagesTooMany:
				refused++
			default:
				t.Errorf("write %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if written != diary.MessagesPerHour || refused != tries-diary.MessagesPerHour {
		t.Errorf("%d written, %d refused; want %d written", written, refused, diary.MessagesPerHour)
	}
	var queued int
	if err := f.db.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE kind = 'question'`).Scan(&queued); err != nil || queued != written {
		t.Errorf("%d questions in the outbox (%v), want %d", queued, err, written)
	}
}

// A thread ends with the school year of the class the family and the teacher
// share: after it, the teacher cannot answer, and a new message begins a new
// thread.
func TestThreadEndsWithTheSchoolYear(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a := f.Homeroom("7А")
	f.Terms() // the school year ends on 31 May 2027
	dasha := f.Pupil("Алёшина", "Дарья", c7a)
	teacher := f.Teacher("Иванова", "Мария", c7a)
	teacherAccount := f.Account()
	f.Link(teacherAccount, teacher, diary.RoleTeacher)
	mum := f.Guardian(dasha)
	if _, err := f.store.WriteToTeacher(ctx, f.access(mum, dasha), teacher, "Вопрос", 7); err != nil {
		t.Fatal(err)
	}
	var question int64
	if err := f.db.QueryRow(ctx, `SELECT id FROM thread_messages`).Scan(&question); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.TeacherThread(ctx, teacherAccount, question); err != nil {
		t.Errorf("on 27 November: %v", err)
	}
	f.now = time.Date(2027, 6, 1, 0, 0, 0, 0, moscow)
	// The links of the test school run on: only the thread has ended.
	_, err := f.store.TeacherThread(ctx, teacherAccount, question)
	if r, _ := diary.ReasonOf(err); r != diary.ReasonThreadClosed {
		t.Errorf("on 1 June 2027: %v, want the thread closed", err)
	}
	if _, err := f.store.AnswerFamily(ctx, teacherAccount, question, "Ответ"); err == nil {
		t.Error("answered after the school year")
	}
}
