package oneroster_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/oneroster"
	"github.com/dnevnik/dnevnik/imports/timetable"
)

// The Russian sample, imported with its timetable, reads right through the
// diary's views: a mother of two links both children with codes and sees their
// day and grades, and the class average shows for 7А (six pupils) and not for 7Б
// (three).
func TestRussianSampleThroughTheViews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := diarytest.New(t)
	importDir(t, pool, ruSample, oneroster.Options{})
	if _, err := timetable.Import(ctx, pool, "../timetable/testdata/ru.csv"); err != nil {
		t.Fatal(err)
	}
	store := diary.NewStore(pool)
	friday := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	store.SetClock(func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600)) })

	olga, err := store.TouchAccount(ctx, 501, 501, "ru")
	if err != nil {
		t.Fatal(err)
	}
	link := func(class, pupil string) diary.PupilAccess {
		codes, err := store.IssueClassCodes(ctx, class, diary.RoleGuardian, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if c.PersonSourceID == pupil {
				r, err := store.Redeem(ctx, olga.ID, 501, c.Code)
				if err != nil {
					t.Fatal(err)
				}
				return r.Access
			}
		}
		t.Fatalf("no code for %s", pupil)
		return diary.PupilAccess{}
	}
	alyona, fyodor := link("class-7a", "s-7a-01"), link("class-7b", "s-7b-01")
	children, err := store.Children(ctx, olga.ID)
	if err != nil || len(children) != 2 || children[0].Class == children[1].Class {
		t.Fatalf("children = %+v, %v", children, err)
	}

	day, err := store.Days(ctx, alyona, friday, friday)
	if err != nil {
		t.Fatal(err)
	}
	lessons := day.Days[0].Lessons
	if len(lessons) != 3 || lessons[0].Subject != "Математика" || lessons[0].Starts.String() != "08:30" ||
		lessons[0].Room != "каб. 21" || lessons[0].Teacher.FamilyName != "Иванова" {
		t.Fatalf("Friday = %+v", lessons)
	}
	if hw := lessons[0].Homework; len(hw) != 1 || hw[0].Text != "Упр. 5, 6 и 7" {
		t.Errorf("maths homework due Friday = %+v", hw)
	}
	if hw := lessons[1].Homework; len(hw) != 1 || lessons[1].Subject != "Русский язык" {
		t.Errorf("Russian homework due Friday = %+v", hw)
	}

	grades, err := store.Grades(ctx, alyona, friday.AddDate(0, 0, -26), friday)
	if err != nil {
		t.Fatal(err)
	}
	var maths, russian diary.SubjectGrades
	for _, s := range grades.Subjects {
		switch s.Subject {
		case "Математика":
			maths = s
		case "Русский язык":
			russian = s
		}
	}
	if len(maths.Grades) != 3 || math.Abs(maths.Average-4.5) > 1e-9 {
		t.Errorf("Алёна's maths: %+v (weighted average 4.50)", maths)
	}
	// Class: (23·1 + 23·3 + 25·2) / (6·1 + 6·3 + 6·2).
	if !maths.ClassAverageShown || math.Abs(maths.ClassAverage-142.0/36) > 1e-9 {
		t.Errorf("7А maths class average = %v shown %v", maths.ClassAverage, maths.ClassAverageShown)
	}
	if len(russian.Grades) != 1 || russian.Grades[0].Comment != "Хорошо, но небрежно" {
		t.Errorf("Алёна's Russian: %+v", russian.Grades)
	}

	his, err := store.Grades(ctx, fyodor, friday.AddDate(0, 0, -26), friday)
	if err != nil {
		t.Fatal(err)
	}
	if len(his.Subjects) != 1 || his.Subjects[0].ClassAverageShown || his.Subjects[0].Average != 4 {
		t.Errorf("Фёдор's grades: %+v (no class average with three pupils)", his.Subjects)
	}

	// Another family's pupil stays closed.
	var artyom diary.PersonID
	if err := pool.QueryRow(ctx, `SELECT id FROM people WHERE sourced_id = 's-7a-02'`).Scan(&artyom); err != nil {
		t.Fatal(err)
	}
	if _, err := store.PupilAccess(ctx, olga.ID, artyom); diary.ErrorCode(err) != diary.EFORBIDDEN {
		t.Errorf("another family's pupil: %v", err)
	}
}
