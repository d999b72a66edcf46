package bot_test

import (
	"bytes"
	"context"
	"image"
	_ "image/png" // image.Decode reads the chart
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// mathTest gives the pupil's first weighted mathematics grade of the current
// term a comment and returns its date: the demo's grades have none.
func (w *world) mathTest(pupil string, comment string) time.Time {
	w.t.Helper()
	var day time.Time
	err := w.db.QueryRow(context.Background(), `
UPDATE grades SET comment = $2
WHERE id = (SELECT g.id FROM grades g JOIN classes c ON c.id = g.class_id JOIN subjects s ON s.id = c.subject_id
            WHERE g.pupil_id = $1 AND s.name = 'Математика' AND g.weight = 2 AND g.graded_on >= '2026-11-09'
            ORDER BY g.graded_on LIMIT 1)
RETURNING graded_on`, w.school.Pupils[pupil], comment).Scan(&day)
	if err != nil {
		w.t.Fatal(err)
	}
	return day
}

// /grades has a button per subject; a subject's page shows each grade with its
// date, work, weight and comment, the averages and the term; ◀ ▶ move between
// terms, and the way back is the list.
func TestSubjectPage(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	day := w.mathTest(demo.Dasha, "Ошибка в задаче 3")

	list := mum.say("/grades")[0]
	for _, subject := range []string{"Математика", "Русский язык", "Английский язык"} {
		if _, ok := list.Button(subject); !ok {
			t.Fatalf("no button for %s under /grades: %s", subject, buttons(list))
		}
	}
	page, added := mum.press(list, "Математика")
	if len(added) != 0 || page.ID != list.ID || !page.Edited() {
		t.Fatalf("the subject's page should replace the list: %d new messages, edited %v", len(added), page.Edited())
	}
	want := "пт, " + day.Format("2") + " ноября — 3 (×2) · Контрольная работа · «Ошибка в задаче 3»"
	if day.Weekday() != time.Friday {
		want = "— 3 (×2) · Контрольная работа · «Ошибка в задаче 3»"
	}
	for _, s := range []string{"📊 Математика · 2 четверть", want, "Средний балл 3,00 · по классу 3,88"} {
		if !strings.Contains(page.PlainText, s) {
			t.Errorf("the page lacks %q:\n%s", s, page.PlainText)
		}
	}
	if got := buttons(page); got != "[◀ 1 четверть] [3 четверть ▶]\n[📈 График]\n[⬅️ Все предметы]" {
		t.Errorf("page buttons:\n%s", got)
	}
	first, _ := mum.press(page, "◀ 1 четверть")
	if !strings.Contains(first.PlainText, "Математика · 1 четверть") {
		t.Errorf("◀ shows %q", first.PlainText)
	}
	if _, ok := first.Button("◀ 1 четверть"); ok {
		t.Errorf("the first term offers a term before it: %s", buttons(first))
	}
	back, _ := mum.press(first, "2 четверть ▶")
	back, _ = mum.press(back, "⬅️ Все предметы")
	if !strings.Contains(back.PlainText, "📊 Оценки · 2 четверть") || !strings.Contains(back.PlainText, "Английский язык · 3 оценки") {
		t.Errorf("back to the list: %q", back.PlainText)
	}
	// Typed, one subject opens its page at once.
	typed := mum.say("/grades матем")[0]
	if !strings.Contains(typed.PlainText, "Ошибка в задаче 3") {
		t.Errorf("/grades матем = %q", typed.PlainText)
	}
	if w.failed.Load() > 0 {
		t.Errorf("%d updates failed", w.failed.Load())
	}
}

// «📈 График» sends the subject's chart as a photo, in the reader's language.
func TestSubjectChart(t *testing.T) {
	w := newWorld(t)
	charts := map[string]bottest.Message{}
	for i, lang := range []string{"ru", "en"} {
		parent := w.person(int64(100+i), "Ольга", lang)
		parent.say(w.code(demo.Dasha))
		page := parent.say("/grades матем")[0]
		label := map[string]string{"ru": "📈 График", "en": "📈 Chart"}[lang]
		_, added := parent.press(page, label)
		if len(added) != 1 || added[0].Photo == nil {
			t.Fatalf("%s: the chart button sent %d messages, a photo: %v", lang, len(added), len(added) == 1 && added[0].Photo != nil)
		}
		charts[lang] = added[0]
	}
	for lang, m := range charts {
		img, _, err := image.Decode(bytes.NewReader(m.Photo.Data))
		if err != nil {
			t.Fatalf("%s: the photo is no image: %v", lang, err)
		}
		if size := img.Bounds().Size(); size.X != render.ChartWidth || size.Y != render.ChartHeight {
			t.Errorf("%s: chart of %v", lang, size)
		}
	}
	if !strings.Contains(charts["ru"].PlainText, "Математика · 2 четверть") || !strings.Contains(charts["en"].PlainText, "Математика · 2 четверть") {
		t.Errorf("captions: %q, %q", charts["ru"].PlainText, charts["en"].PlainText)
	}
	if bytes.Equal(charts["ru"].Photo.Data, charts["en"].Photo.Data) {
		t.Error("the same picture in both languages")
	}
}

// Only someone who may see the child gets a subject's page or chart: a button
// signed for another pupil, for a class the child does not attend, or pressed
// after the link was revoked shows nothing and sends no photo.
func TestSubjectPageChecksAccess(t *testing.T) {
	w := newWorld(t)
	codec := telegram.NewCodec(token)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Petya))
	page := mum.say("/grades матем")[0]
	chart, _ := page.Button("📈 График")
	pressed, err := codec.Decode(chart.CallbackData)
	if err != nil {
		t.Fatal(err)
	}
	petya, class, term := pressed.Args[0], pressed.Args[1], pressed.Args[2]
	var maximClass int64
	if err := w.db.QueryRow(context.Background(), `SELECT class_id FROM enrollments WHERE person_id = $1 AND role = 'student' LIMIT 1`,
		w.school.Pupils[demo.Maxim]).Scan(&maximClass); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data, notice string }{
		{"another pupil", codec.Encode(telegram.ButtonGradesChart, w.school.Pupils[demo.Dasha], class, term), "Нет доступа"},
		{"another pupil's page", codec.Encode(telegram.ButtonGradesPage, w.school.Pupils[demo.Dasha], class, term), "Нет доступа"},
		{"a class not his", codec.Encode(telegram.ButtonGradesChart, petya, maximClass, term), "Ничего не найдено"},
		{"a term not his", codec.Encode(telegram.ButtonGradesPage, petya, class, 1<<40), "Ничего не найдено"},
		{"another pupil's chart of the week", codec.Encode(telegram.ButtonWeeklyChart, w.school.Pupils[demo.Dasha], class,
			telegram.DateArg(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))), "Нет доступа"},
	} {
		after, added := mum.pressData(page, c.data)
		if len(added) != 0 || after.Text != page.Text || !strings.Contains(w.lastNotice(), c.notice) {
			t.Errorf("%s: %d messages, page changed %v, notice %q", c.name, len(added), after.Text != page.Text, w.lastNotice())
		}
	}
	confirm := mum.say("/unlink")[0]
	mum.press(confirm, "Да, отвязать")
	if _, added := mum.press(page, "📈 График"); len(added) != 0 || !strings.Contains(w.lastNotice(), "отозван") {
		t.Errorf("after unlinking: %d messages, notice %q", len(added), w.lastNotice())
	}
	if n := len(w.fake.Calls("sendPhoto")); n != 0 {
		t.Errorf("%d photos sent to someone who may not see the child", n)
	}
}

// A teacher corrects a grade: after the grace period the family reads what it
// was and what it is now, each in their own language.
func TestChangedGradeSaysWhatItWas(t *testing.T) {
	w := newWorld(t)
	mum, dad := w.person(100, "Ольга", "ru"), w.person(101, "Oleg", "en")
	mum.say(w.code(demo.Dasha))
	dad.say(w.code(demo.Dasha))
	d := w.startWorker()
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	roster, _ := teacher.press(teacher.say("/marks")[0], "2. 09:25 7А Математика")
	grade := func(score string) {
		pupil, _ := teacher.press(roster, "Алёшина Д.")
		teacher.press(pupil, score)
		w.now = w.now.Add(3 * time.Minute)
		d.deliver()
	}
	grade("3")
	grade("5")
	for chat, want := range map[int64][]string{
		100: {"Оценка исправлена", "Математика: было 3, стало 5"},
		101: {"Grade corrected", "Математика: was 3, now 5"},
	} {
		got := w.fake.Sent(chat)
		last := got[len(got)-1].PlainText
		for _, s := range want {
			if !strings.Contains(last, s) {
				t.Errorf("chat %d: the correction lacks %q:\n%s", chat, s, last)
			}
		}
	}

	// The same score tapped again, or changed and changed back within the
	// grace period, leaves the grade as the family knows it: nothing to tell.
	sent := len(w.fake.Sent(100))
	grade("5")
	pupil, _ := teacher.press(roster, "Алёшина Д.")
	teacher.press(pupil, "4")
	grade("5")
	if got := w.fake.Sent(100); len(got) != sent {
		t.Errorf("a grade left as it was told the family: %q", got[len(got)-1].PlainText)
	}
}

// The weekly summary's buttons: the grades button answers with the term's list
// in a new message, leaving the summary as it was, and a subject's button with
// its chart of the term; for a child the account may not see they show nothing.
func TestWeeklyGradesButton(t *testing.T) {
	w := newWorld(t)
	codec := telegram.NewCodec(token)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	summary := mum.say("/today")[0] // stands for the worker's summary: any message of the bot's
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	own := codec.GradesButton("📊", diary.PersonID(w.school.Pupils[demo.Dasha]), monday)
	after, added := mum.pressData(summary, own.CallbackData)
	if after.Edited() || len(added) != 1 || !strings.Contains(added[0].PlainText, "📊 Оценки · 2 четверть") {
		t.Fatalf("the summary edited %v; %d new messages", after.Edited(), len(added))
	}
	if _, ok := added[0].Button("Математика"); !ok {
		t.Errorf("the list has no subject buttons: %s", buttons(added[0]))
	}
	foreign := codec.GradesButton("📊", diary.PersonID(w.school.Pupils[demo.Petya]), monday)
	if _, added := mum.pressData(summary, foreign.CallbackData); len(added) != 0 || !strings.Contains(w.lastNotice(), "Нет доступа") {
		t.Errorf("another pupil's grades: %d messages, notice %q", len(added), w.lastNotice())
	}

	// A subject graded that week: its chart of the term, sent as a photo.
	var maths diary.ClassID
	if err := w.db.QueryRow(context.Background(), `
SELECT c.id FROM classes c JOIN subjects s ON s.id = c.subject_id JOIN enrollments e ON e.class_id = c.id
WHERE e.person_id = $1 AND s.name = 'Математика'`, w.school.Pupils[demo.Dasha]).Scan(&maths); err != nil {
		t.Fatal(err)
	}
	chart := codec.WeeklyChartButton("📈 Математика", diary.PersonID(w.school.Pupils[demo.Dasha]), maths, monday)
	if _, added := mum.pressData(summary, chart.CallbackData); len(added) != 1 || added[0].Photo == nil ||
		!strings.Contains(added[0].PlainText, "Математика · 2 четверть") {
		t.Errorf("the week's chart button sent %d messages (a photo: %v)", len(added), len(added) == 1 && added[0].Photo != nil)
	}
}
