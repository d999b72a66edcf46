package render

import (
	"testing"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

func TestRussianPlurals(t *testing.T) {
	checkPlurals(t, "render_absences", map[int]string{1: "пропущен 1 урок", 2: "пропущено 2 урока", 5: "пропущено 5 уроков",
		11: "пропущено 11 уроков", 21: "пропущен 21 урок"})
	checkPlurals(t, "render_lessons_count", map[int]string{1: "1 урок", 2: "2 урока", 5: "5 уроков", 11: "11 уроков", 21: "21 урок"})
}

// checkPlurals fails unless the Russian message id reads as wanted for each count.
func checkPlurals(t *testing.T, id string, want map[int]string) {
	t.Helper()
	ru := locales.For("ru")
	for n, w := range want {
		if got := ru.N(id, n); got != w {
			t.Errorf("%s %d: %q, want %q", id, n, got, w)
		}
	}
}

func TestAttendanceSummary(t *testing.T) {
	for _, c := range []struct {
		lang                  string
		absent, excused, late int
		want                  string
	}{
		{"ru", 3, 1, 1, "Пропущено 3 урока, из них 1 по уважительной причине, опозданий: 1"},
		{"ru", 21, 0, 0, "Пропущен 21 урок"},
		{"ru", 0, 0, 2, "Опозданий: 2"},
		{"ru", 0, 0, 0, "Пропусков и опозданий нет"},
		{"en", 1, 1, 0, "1 lesson missed, 1 of them excused"},
		{"en", 2, 0, 3, "2 lessons missed, late: 3"},
	} {
		r := diary.AttendanceReport{AbsentLessons: c.absent, Excused: c.excused, Late: c.late}
		if got := attendanceSummary(locales.For(c.lang), r); got != c.want {
			t.Errorf("%s %d/%d/%d: %q, want %q", c.lang, c.absent, c.excused, c.late, got, c.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	ru, en := locales.For("ru"), locales.For("en")
	for _, c := range []struct {
		got, want string
	}{
		{average(ru, 4.25), "4,25"},
		{average(en, 4.25), "4.25"},
		{average(ru, 4), "4,00"},
		{average(en, 3.999), "4.00"},
		{score(ru, diary.Grade{Score: 5, Weight: 1}), "5"},
		{score(ru, diary.Grade{Score: 3, Weight: 2}), "3 (×2)"},
		{score(ru, diary.Grade{Score: 4.5, Weight: 1.5}), "4,5 (×1,5)"},
		{score(en, diary.Grade{Score: 4.5, Weight: 0.5}), "4.5 (×0.5)"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

func TestTeacherName(t *testing.T) {
	for _, c := range []struct {
		person diary.Person
		want   string
	}{
		{diary.Person{FamilyName: "Иванова", GivenName: "Марина", MiddleName: "Петровна"}, "Иванова М. П."},
		{diary.Person{FamilyName: "Smith", GivenName: "john"}, "Smith J."},
		{diary.Person{FamilyName: " Петров ", GivenName: " ", MiddleName: "сергеевич"}, "Петров С."},
		{diary.Person{GivenName: "Марина", MiddleName: "Петровна"}, "Марина Петровна"},
		{diary.Person{}, ""},
	} {
		if got := TeacherName(c.person); got != c.want {
			t.Errorf("%+v: %q, want %q", c.person, got, c.want)
		}
	}
}

func TestChildNames(t *testing.T) {
	nameless := diary.Person{FamilyName: " Алёшина "}
	for _, c := range []struct {
		got, want string
	}{
		{ChildName(darya), "Дарья Алёшина"},
		{ChildName(nameless), "Алёшина"},
		{ChildLabel(darya, "7А"), "Дарья, 7А"},
		{ChildLabel(darya, " 7 А "), "Дарья, 7 А"},
		{ChildLabel(darya, ""), "Дарья"},
		{ChildLabel(nameless, "7А"), "Алёшина, 7А"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
