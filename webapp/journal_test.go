package webapp_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/webapp"
)

// teacher links a new account to the demo's maths teacher, Иванова (7А and
// 7Б maths, the class teacher of 7А), speaking lang (as chosen in the bot),
// and returns its signed initData.
func (a *app) teacher(lang string) string {
	a.t.Helper()
	var person int64
	a.scan(&person, `SELECT id FROM people WHERE sourced_id = $1`, demo.TeacherMat)
	account := a.school.Account()
	a.school.Link(account, diary.PersonID(person), "teacher")
	a.school.Exec(`UPDATE accounts SET language = $2 WHERE id = $1`, account, lang)
	u := webapp.User{LanguageCode: lang}
	a.scan(&u.ID, `SELECT telegram_user_id FROM accounts WHERE id = $1`, account)
	return webapp.Sign(u, token, now)
}

func (a *app) scan(dest any, sql string, args ...any) {
	a.t.Helper()
	if err := a.school.DB.QueryRow(a.t.Context(), sql, args...).Scan(dest); err != nil {
		a.t.Fatalf("%s: %v", sql, err)
	}
}

func (a *app) count(sql string, args ...any) int {
	a.t.Helper()
	var n int
	a.scan(&n, sql, args...)
	return n
}

// class is the id of a demo class by its sourced id: demo-7a-0 is 7А maths
// (Иванова's), demo-7a-1 7А Russian (Петрова's).
func (a *app) class(sourcedID string) int64 {
	var id int64
	a.scan(&id, `SELECT id FROM classes WHERE sourced_id = $1`, sourcedID)
	return id
}

// lastLesson is the lesson of 7А maths given last, by today: YYYY-MM-DD/PERIOD.
func (a *app) lastLesson(class int64) string {
	var ref string
	a.scan(&ref, `
SELECT to_char(d, 'YYYY-MM-DD') || '/' || t.period FROM generate_series($2::date - 6, $2::date, interval '1 day') d
JOIN timetable_entries t ON t.class_id = $1 AND t.weekday = extract(isodow FROM d)
ORDER BY d DESC, t.period DESC LIMIT 1`, class, today)
	return ref
}

// cell is the text of a pupil's cell at a lesson in a journal's HTML.
func cell(t *testing.T, page string, pupil int64, lesson string) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`<td data-pupil="%d" data-lesson="%s"[^>]*>([^<]*)</td>`, pupil, regexp.QuoteMeta(lesson))).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no cell of pupil %d at %s in\n%s", pupil, lesson, page)
	}
	return m[1]
}

// The journal of a class the teacher teaches opens in one request with every
// pupil and every lesson of the term; another teacher's class, a homeroom's
// lessons or a family's account are refused.
func TestJournalOpensWithEveryPupilAndLesson(t *testing.T) {
	a := newApp(t)
	teacher := a.teacher("ru")
	math := a.class("demo-7a-0")
	resp, page := a.get(fmt.Sprintf("%sjournal?class=%d", webapp.Path, math), teacher)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`<table class="journal" data-class="%d">`, math)) {
		t.Fatalf("the journal: %s\n%s", resp.Status, page)
	}
	pupils := a.count(`SELECT count(*) FROM enrollments WHERE class_id = $1 AND role = 'student'`, math)
	// The second term (5 November to 28 December) of the demo's timetable,
	// less tomorrow's cancelled period 4, if maths is then.
	lessons := a.count(`
SELECT count(*) FROM generate_series('2026-11-05'::date, '2026-12-28', interval '1 day') d
JOIN timetable_entries t ON t.class_id = $1 AND t.weekday = extract(isodow FROM d)
WHERE NOT EXISTS (SELECT FROM lesson_changes ch WHERE ch.class_id = t.class_id AND ch.lesson_date = d AND ch.period = t.period
                  AND ch.kind = 'cancelled')`, math)
	if got := strings.Count(page, "<tr data-pupil="); got != pupils || pupils < 5 {
		t.Errorf("%d pupils' rows, want %d", got, pupils)
	}
	if got := strings.Count(page, "<td data-pupil="); got != pupils*lessons {
		t.Errorf("%d cells, want %d pupils × %d lessons", got, pupils, lessons)
	}
	if !strings.Contains(page, "Алёшина Дарья") || !strings.Contains(page, "2 четверть") {
		t.Errorf("the journal names no pupil or term:\n%s", page)
	}
	dasha := a.pupils[demo.Dasha]
	if !strings.Contains(page, fmt.Sprintf(`data-get="journal/cell?class=%d&amp;pupil=%d&amp;lesson=%s"`, math, dasha, a.lastLesson(math))) {
		t.Errorf("Даша's cell at the last lesson opens no editor:\n%s", page)
	}

	for name, path := range map[string]string{
		"another teacher's class": fmt.Sprintf("journal?class=%d", a.class("demo-7a-1")),
		"a class of no one":       "journal?class=999999",
		"a homeroom":              fmt.Sprintf("journal?class=%d", a.class(demo.Class7A)),
		"another teacher's cell":  fmt.Sprintf("journal/cell?class=%d&pupil=%d&lesson=%s", a.class("demo-7a-1"), dasha, a.lastLesson(a.class("demo-7a-1"))),
	} {
		if resp, body := a.get(webapp.Path+path, teacher); resp.StatusCode < 400 || strings.Contains(body, "Алёшина") {
			t.Errorf("%s: %s\n%s", name, resp.Status, body)
		}
	}
	mother := webapp.Sign(a.guardian(demo.Dasha), token, now)
	if resp, body := a.get(fmt.Sprintf("%sjournal?class=%d", webapp.Path, math), mother); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Ёлкин") {
		t.Errorf("a mother asks for the journal: %s\n%s", resp.Status, body)
	}
	if resp, _ := a.get(fmt.Sprintf("%sjournal?class=%d", webapp.Path, math), ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no initData: %s", resp.Status)
	}
}

// A tap on a cell opens its editor with the school's scale, «Н», «ОП» and
// «Очистить»; a grade set there is the grade of /marks: the row, an audit
// entry and a notice due after the grace period; «Отменить» takes it back,
// notice and all.
func TestJournalSetsAGradeAndUndoesIt(t *testing.T) {
	a := newApp(t)
	teacher := a.teacher("ru")
	math := a.class("demo-7a-0")
	dasha := a.pupils[demo.Dasha]
	lesson := a.lastLesson(math)
	resp, editor := a.get(fmt.Sprintf("%sjournal/cell?class=%d&pupil=%d&lesson=%s", webapp.Path, math, dasha, lesson), teacher)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the editor: %s\n%s", resp.Status, editor)
	}
	for _, v := range []string{"1", "5", "absent", "late", "clear"} {
		if !strings.Contains(editor, `data-post="journal/mark"`) || !strings.Contains(editor, `data-value="`+v+`"`) {
			t.Errorf("the editor has no button for %s:\n%s", v, editor)
		}
	}
	for _, label := range []string{">Н<", ">ОП<", ">Очистить<", "Алёшина Дарья"} {
		if !strings.Contains(editor, label) {
			t.Errorf("the editor says no %s:\n%s", label, editor)
		}
	}
	date, period, _ := strings.Cut(lesson, "/")
	form := url.Values{"class": {fmt.Sprint(math)}, "pupil": {fmt.Sprint(dasha)}, "lesson": {lesson}, "value": {"5"}}
	resp, page := a.post(webapp.Path+"journal/mark", teacher, form)
	if resp.StatusCode != http.StatusOK || cell(t, page, dasha, lesson) != "5" {
		t.Fatalf("after the grade: %s, cell %q\n%s", resp.Status, cell(t, page, dasha, lesson), page)
	}
	if a.notified.calls.Load() == 0 {
		t.Error("the grade's notice was written, the worker not told (Options.Notices)")
	}
	grade := `SELECT count(*) FROM grades WHERE class_id = $1 AND pupil_id = $2 AND graded_on = $3 AND period = $4 AND score = 5`
	if n := a.count(grade, math, dasha, date, period); n != 1 {
		t.Errorf("%d grades written", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'grade.set' AND pupil_id = $1`, dasha); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	var due time.Time
	a.scan(&due, `SELECT due_at FROM notices WHERE kind = 'grade' AND pupil_id = $1`, dasha)
	if !due.Equal(now.Add(diary.GradeGrace)) {
		t.Errorf("the family is told at %v, want %v", due, now.Add(diary.GradeGrace))
	}

	undo := regexp.MustCompile(`<button data-post="journal/mark"[^>]*data-value="([^"]*)" data-undo="1">Отменить</button>`).FindStringSubmatch(page)
	if undo == nil || undo[1] != "nograde" {
		t.Fatalf("no undo after the grade:\n%s", page)
	}
	form.Set("value", undo[1])
	form.Set("undo", "1")
	resp, page = a.post(webapp.Path+"journal/mark", teacher, form)
	if resp.StatusCode != http.StatusOK || cell(t, page, dasha, lesson) != "" || strings.Contains(page, "Отменить") {
		t.Errorf("after the undo: %s, cell %q\n%s", resp.Status, cell(t, page, dasha, lesson), page)
	}
	if n := a.count(grade, math, dasha, date, period) + a.count(`SELECT count(*) FROM notices WHERE kind = 'grade'`); n != 0 {
		t.Errorf("%d grades and notices left after the undo", n)
	}
}

// «Н» and «ОП» mark the pupil absent or late at the lesson, «Очистить» takes
// the mark back, and English reads the same journal in English.
func TestJournalMarksAbsenceAndLateness(t *testing.T) {
	a := newApp(t)
	teacher := a.teacher("en")
	math := a.class("demo-7a-0")
	dasha := a.pupils[demo.Dasha]
	lesson := a.lastLesson(math)
	date, period, _ := strings.Cut(lesson, "/")
	marked := `SELECT count(*) FROM attendance WHERE pupil_id = $1 AND lesson_date = $2 AND period = $3 AND status = $4`
	for _, step := range []struct{ value, cell, status string }{
		{"absent", "A", "absent"}, {"late", "L", "late"}, {"5", "5 L", "late"}, {"clear", "", ""},
	} {
		form := url.Values{"class": {fmt.Sprint(math)}, "pupil": {fmt.Sprint(dasha)}, "lesson": {lesson}, "value": {step.value}}
		resp, page := a.post(webapp.Path+"journal/mark", teacher, form)
		if got := cell(t, page, dasha, lesson); resp.StatusCode != http.StatusOK || got != step.cell {
			t.Errorf("%s: %s, cell %q, want %q", step.value, resp.Status, got, step.cell)
		}
		if step.status != "" && a.count(marked, dasha, date, period, step.status) != 1 {
			t.Errorf("%s: no %s mark written", step.value, step.status)
		}
		if step.value == "clear" && !strings.Contains(page, `data-value="5,late" data-undo="1">Undo<`) {
			t.Errorf("the undo of clear does not set back the grade and the lateness:\n%s", page)
		}
	}
	if n := a.count(`SELECT count(*) FROM attendance WHERE pupil_id = $1 AND lesson_date = $2 AND period = $3`, dasha, date, period); n != 0 {
		t.Errorf("%d attendance marks left after clear", n)
	}
}

// The homework of a lesson still to come is typed under its column: it is set
// due at that lesson, as /hw sets it, and shows in the journal.
func TestJournalHomeworkTypedInPlace(t *testing.T) {
	a := newApp(t)
	teacher := a.teacher("ru")
	math := a.class("demo-7a-0")
	_, page := a.get(fmt.Sprintf("%sjournal?class=%d", webapp.Path, math), teacher)
	m := regexp.MustCompile(`data-post="journal/homework" data-class="(\d+)" data-lesson="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no homework form in the journal:\n%s", page)
	}
	date, _, _ := strings.Cut(m[2], "/")
	form := url.Values{"class": {m[1]}, "lesson": {m[2]}, "text": {"Задачи № 301–305"}}
	resp, page := a.post(webapp.Path+"journal/homework", teacher, form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Задачи № 301–305") {
		t.Errorf("after the homework: %s\n%s", resp.Status, page)
	}
	if n := a.count(`SELECT count(*) FROM assignments WHERE class_id = $1 AND due_on = $2 AND description = 'Задачи № 301–305'`, math, date); n != 1 {
		t.Errorf("%d homework written", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'homework.add'`); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// Another teacher's class: refused, nothing written.
	form.Set("class", fmt.Sprint(a.class("demo-7a-1")))
	if resp, _ := a.post(webapp.Path+"journal/homework", teacher, form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("homework for another teacher's class: %s", resp.Status)
	}
	if n := a.count(`SELECT count(*) FROM assignments WHERE description = 'Задачи № 301–305'`); n != 1 {
		t.Errorf("%d homework written", n)
	}
}

// A tampered cell writes nothing: a pupil of another class, another teacher's
// class, a value off the scale.
func TestJournalTamperedMarkWritesNothing(t *testing.T) {
	a := newApp(t)
	teacher := a.teacher("ru")
	math, russian := a.class("demo-7a-0"), a.class("demo-7a-1")
	written := func() int {
		return a.count(`SELECT (SELECT count(*) FROM grades WHERE period IS NOT NULL) + (SELECT count(*) FROM attendance)
		                     + (SELECT count(*) FROM notices) + (SELECT count(*) FROM audit_log)`)
	}
	before := written()
	for name, form := range map[string]url.Values{
		"a pupil of 7Б": {"class": {fmt.Sprint(math)}, "pupil": {fmt.Sprint(a.pupils[demo.Maxim])}, "lesson": {a.lastLesson(math)}, "value": {"5"}},
		"another teacher's class": {"class": {fmt.Sprint(russian)}, "pupil": {fmt.Sprint(a.pupils[demo.Dasha])},
			"lesson": {a.lastLesson(russian)}, "value": {"absent"}},
		"off the scale":  {"class": {fmt.Sprint(math)}, "pupil": {fmt.Sprint(a.pupils[demo.Dasha])}, "lesson": {a.lastLesson(math)}, "value": {"9"}},
		"no lesson then": {"class": {fmt.Sprint(math)}, "pupil": {fmt.Sprint(a.pupils[demo.Dasha])}, "lesson": {"2026-11-22/1"}, "value": {"5"}},
	} {
		resp, body := a.post(webapp.Path+"journal/mark", teacher, form)
		if resp.StatusCode < 400 || !strings.Contains(body, `class="error"`) {
			t.Errorf("%s: %s\n%s", name, resp.Status, body)
		}
	}
	if n := written(); n != before {
		t.Errorf("%d rows written", n-before)
	}
}
