package render

import (
	"slices"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Дарья's brother Максим is in 5Б at a school in Yekaterinburg.
var (
	maxim        = diary.Person{ID: 2, FamilyName: "Алёшин", GivenName: "Максим", MiddleName: "Сергеевич"}
	ekaterinburg = func() *time.Location {
		loc, err := time.LoadLocation("Asia/Yekaterinburg")
		if err != nil {
			panic(err)
		}
		return loc
	}()
)

// daryaFriday is Дарья's digest on Friday 27 November: grades, a mark and a
// remark today; on Saturday a cancelled lesson, a substitute and homework; a
// meeting and a cancelled event ahead.
func daryaFriday() diary.ChildDigest {
	f := friday()
	tomorrow := saturday()
	tomorrow.Lessons[0].Homework = []diary.Homework{{ID: 510, Class: pe, Subject: "Физкультура", Text: "Принести форму", Due: date("2026-11-28")}}
	tomorrow.Lessons[1].Change = &diary.LessonChange{Kind: diary.ChangeCancelled, Note: "Учитель заболел"}
	tomorrow.Lessons[2].Change = &diary.LessonChange{Kind: diary.ChangeSubstitute, Substitute: volkova}
	tomorrow.Homework = []diary.Homework{{ID: 511, Class: biology, Subject: "Биология", Title: "Гербарий", Due: date("2026-11-28")}}
	return diary.ChildDigest{
		Pupil: darya, Class: "7А", School: diary.School{Location: moscow}, Today: f.Date, Ahead: tomorrow,
		Grades:   append(f.Lessons[0].Grades, f.Grades...),
		Absences: []diary.AttendanceMark{*f.Lessons[5].Attendance},
		Remarks:  f.Remarks[:1],
		Events:   events().Events[:2],
	}
}

// daryaMorning is Дарья's morning digest on Friday 27 November: today's
// lessons with their changes (one cancelled, one moved, a substitute, another
// room), the homework due today, and a meeting ahead.
func daryaMorning() diary.ChildDigest {
	f := friday()
	return diary.ChildDigest{
		Pupil: darya, Class: "7А", School: diary.School{Location: moscow}, Today: f.Date, Morning: true, Ahead: f,
		Events: events().Events[:1],
	}
}

// maximSaturday is Максим's digest on his Saturday: a grade, and Sunday off.
func maximSaturday() diary.ChildDigest {
	return diary.ChildDigest{
		Pupil: maxim, Class: "5Б", School: diary.School{Location: ekaterinburg}, Today: date("2026-11-28"),
		Ahead:  diary.Day{Date: date("2026-11-29")},
		Grades: []diary.Grade{grade(history, "История", "2026-11-28", 4, 1)},
	}
}

// quiet is a child with nothing to tell.
func quiet(c diary.ChildDigest) diary.ChildDigest {
	return diary.ChildDigest{Pupil: c.Pupil, Class: c.Class, School: c.School, Today: c.Today, Ahead: c.Ahead, Empty: true}
}

func digestOf(children ...diary.ChildDigest) diary.Digest {
	return diary.Digest{Account: 7, ChatID: 7, Language: "ru", Children: children}
}

// digestText is the text of a digest, to compare with a golden file.
func digestText(p *locales.Printer, d diary.Digest) string {
	text, _ := Digest(p, d)
	return text
}

// week23 is Дарья's week of 23 November, not signed yet: grades up, down, the
// same and new against the week before; and Максим's, signed, without grades.
func week23() diary.WeeklySummary {
	subject := func(class diary.ClassID, name string, previous float64, grades ...diary.Grade) diary.WeekSubject {
		return diary.WeekSubject{PreviousAverage: previous, SubjectGrades: diary.SubjectGrades{
			Class: class, Subject: name, Grades: grades, Average: diary.WeightedAverage(grades)}}
	}
	darya := diary.ChildWeek{
		Pupil: darya, Class: "7А", School: diary.School{Location: moscow}, Monday: date("2026-11-23"), Sunday: date("2026-11-29"),
		Subjects: []diary.WeekSubject{
			subject(english, "Английский язык", 4.5, grade(english, "Английский язык", "2026-11-25", 3, 1)),
			subject(math, "Математика", 3.5, grade(math, "Математика", "2026-11-24", 5, 1), grade(math, "Математика", "2026-11-27", 4, 2)),
			subject(russian, "Русский язык", 4, grade(russian, "Русский язык", "2026-11-23", 4, 1)),
			subject(technology, "Технология", 0, grade(technology, "Технология", "2026-11-28", 5, 1)),
		},
		Attendance: attendance(),
		Remarks:    2,
		CanSign:    true,
	}
	maxim := diary.ChildWeek{
		Pupil: maxim, Class: "5Б", School: diary.School{Location: ekaterinburg}, Monday: date("2026-11-23"), Sunday: date("2026-11-29"),
		Remarks: 1, CanSign: true, Signed: true,
	}
	return diary.WeeklySummary{Account: 7, ChatID: 7, Language: "ru", Children: []diary.ChildWeek{darya, maxim}}
}

// trustedWeek is a grandmother's summary of Дарья's week: she may not sign.
func trustedWeek() diary.WeeklySummary {
	w := week23()
	w.Children = w.Children[:1]
	w.Children[0].CanSign = false
	w.Children[0].Remarks = 5
	return w
}

func weeklyText(p *locales.Printer, w diary.WeeklySummary) string {
	text, _ := Weekly(p, w)
	return text
}

// An empty digest is sent only to an account that asked for empty digests.
func TestEmptyDigest(t *testing.T) {
	p := locales.For("ru")
	d := digestOf(quiet(daryaFriday()), quiet(maximSaturday()))
	if text, empty := Digest(p, d); text != "" || !empty {
		t.Errorf("empty digest without the setting: %q, empty %v", text, empty)
	}
	d.Settings.DigestWhenEmpty = true
	if text, empty := Digest(p, d); text == "" || !empty {
		t.Errorf("empty digest with the setting: %q, empty %v", text, empty)
	}
	if text, empty := Digest(p, digestOf(quiet(daryaFriday()), maximSaturday())); text == "" || empty {
		t.Errorf("a digest with one child to tell of: %q, empty %v", text, empty)
	}
	if text, empty := Digest(p, digestOf()); text != "" || !empty {
		t.Errorf("a digest without children: %q, empty %v", text, empty)
	}
}

// The caller adds a sign button for each child whose week is unsigned.
func TestWeeklyUnsigned(t *testing.T) {
	p := locales.For("ru")
	if _, unsigned := Weekly(p, week23()); !slices.Equal(unsigned, []diary.PersonID{darya.ID}) {
		t.Errorf("unsigned = %v, want Дарья's week only", unsigned)
	}
	if _, unsigned := Weekly(p, trustedWeek()); len(unsigned) != 0 {
		t.Errorf("a trusted person may not sign, yet unsigned = %v", unsigned)
	}
}

func TestWeeklyWords(t *testing.T) {
	checkPlurals(t, "weekly_remarks", map[int]string{1: "1 отзыв учителя", 2: "2 отзыва учителей", 5: "5 отзывов учителей",
		11: "11 отзывов учителей", 21: "21 отзыв учителя"})
	for _, c := range []struct {
		now, before float64
		want        string
	}{
		{4.33, 3.5, iconUp}, {3, 4.5, iconDown}, {4, 4, iconSame}, {4.333, 4.3329, iconSame}, {4.336, 4.334, iconUp},
	} {
		if got := trend(c.now, c.before); got != c.want {
			t.Errorf("trend(%v, %v) = %s, want %s", c.now, c.before, got, c.want)
		}
	}
}
