package paper_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/paper"
	"github.com/dnevnik/dnevnik/paper/papertest"
)

var monday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// week is a class's week of the given pupils, each with lessons lessons a
// day Monday to Friday, each lesson with a topic, homework and a grade.
func week(pupils []string, lessons int) diary.ClassWeek {
	w := diary.ClassWeek{School: diary.School{Name: "Школа № 1", Location: time.UTC}, Class: "7А",
		Monday: monday, Sunday: monday.AddDate(0, 0, 6)}
	for _, name := range pupils {
		family, given, _ := strings.Cut(name, " ")
		pw := diary.PupilWeek{Pupil: diary.Person{FamilyName: family, GivenName: given}}
		for i := range 7 {
			day := diary.Day{Date: monday.AddDate(0, 0, i)}
			for period := 1; i < 5 && period <= lessons; period++ {
				day.Lessons = append(day.Lessons, diary.Lesson{Date: day.Date, Period: period, Starts: diary.Clock(480 + 55*period), Subject: "Физика",
					Topic:    "Законы Ньютона и их применение к движению тел по наклонной плоскости",
					Homework: []diary.Homework{{Text: "§ 12, задачи 3–7; подготовиться к самостоятельной работе"}},
					Grades:   []diary.Grade{{Score: 4, Weight: 1, Comment: "Хороший ответ у доски"}}})
			}
			pw.Days = append(pw.Days, day)
		}
		w.Pupils = append(w.Pupils, pw)
	}
	return w
}

// A week too long for one page goes on to a second, the pupil's name on it
// again, and the signature line comes once, on the last: no row is cut and no
// other pupil's page is shared.
func TestLongWeekGoesOnToAnotherPage(t *testing.T) {
	var pdf bytes.Buffer
	if err := paper.Week(&pdf, week([]string{"Алёшина Дарья", "Ёлкин Пётр"}, 9), locales.For("ru")); err != nil {
		t.Fatal(err)
	}
	pages := papertest.Pages(t, pdf.Bytes())
	if len(pages) < 4 || len(pages)%2 != 0 {
		t.Fatalf("%d pages for two pupils with 45 lessons each, want the same number (more than one) each", len(pages))
	}
	half := len(pages) / 2
	for i, page := range pages {
		who := "Алёшина Дарья"
		if i >= half {
			who = "Ёлкин Пётр"
		}
		if i%half != 0 {
			who += " (продолжение)"
		}
		if !strings.Contains(page, who) {
			t.Errorf("page %d does not name %q:\n%s", i+1, who, page)
		}
		if signed := strings.Contains(page, "Подпись родителя"); signed != (i%half == half-1) {
			t.Errorf("page %d: signature line %v, want it on a pupil's last page only", i+1, signed)
		}
	}
	// Every lesson's row is whole: 45 lessons, 45 homework lines per pupil.
	if n := strings.Count(strings.Join(pages[:half], ""), "подготовиться к самостоятельной работе"); n != 45 {
		t.Errorf("Дарья's pages have %d whole homework lines, want 45", n)
	}
}

func TestNoPupilsNoPages(t *testing.T) {
	if err := paper.Week(&bytes.Buffer{}, week(nil, 1), locales.For("ru")); err != paper.ErrNoPupils {
		t.Fatalf("error %v, want ErrNoPupils", err)
	}
}
