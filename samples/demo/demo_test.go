package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// The demo school is consistent and what a parent asks about has answers: a
// day of lessons with tomorrow's changes, homework, grades, a meeting.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := diarytest.New(t)
	friday := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	school, err := demo.Seed(ctx, db, friday)
	if err != nil {
		t.Fatal(err)
	}
	store := diary.NewStore(db)
	store.SetClock(func() time.Time { return friday.Add(10 * time.Hour) })
	codes, err := store.IssueClassCodes(ctx, demo.Class7A, diary.RoleGuardian, time.Hour)
	if err != nil || len(codes) != 6 {
		t.Fatalf("codes for 7А: %d, %v", len(codes), err)
	}
	acc, _ := store.TouchAccount(ctx, 1, 1, "ru")
	var dashaCode string
	for _, c := range codes {
		if int64(c.Person.ID) == school.Pupils[demo.Dasha] {
			dashaCode = c.Code
		}
	}
	if _, err := store.Redeem(ctx, acc.ID, 1, dashaCode); err != nil {
		t.Fatal(err)
	}
	dasha, err := store.PupilAccess(ctx, acc.ID, diary.PersonID(school.Pupils[demo.Dasha]))
	if err != nil {
		t.Fatal(err)
	}

	s, err := store.Days(ctx, dasha, friday, friday.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Days[0].Lessons) != 6 || s.Days[0].Lessons[0].Topic == "" || len(s.Days[0].Lessons[0].Homework) == 0 {
		t.Errorf("Friday: %+v", s.Days[0].Lessons)
	}
	monday := s.Days[3]
	if len(monday.Lessons) != 5 || len(monday.Lessons[3].Homework) == 0 {
		t.Errorf("Monday: %+v", monday.Lessons)
	}
	grades, err := store.TermGrades(ctx, dasha, friday)
	if err != nil || len(grades.Subjects) < 5 || !grades.Subjects[0].ClassAverageShown {
		t.Errorf("term grades: %d subjects, %v", len(grades.Subjects), err)
	}
	events, err := store.UpcomingEvents(ctx, dasha, 30*24*time.Hour)
	if err != nil || len(events.Events) != 2 || events.Events[0].Kind != "meeting" {
		t.Errorf("events = %+v, %v", events.Events, err)
	}
	missed, err := store.Missed(ctx, dasha, friday.AddDate(0, 0, -7), friday)
	if err != nil || len(missed.Lessons) != 5 {
		t.Errorf("missed Tuesday's lessons: %+v, %v", missed.Lessons, err)
	}
}
