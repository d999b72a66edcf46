package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// volkova teaches only 7А's physics and biology.
const volkova = "t-volkova"

// teacher links a new chat to a demo teacher with a teacher's code.
func (w *world) teacher(id int64, sourcedID, lang string) *person {
	w.t.Helper()
	codes, err := w.store.IssueTeacherCodes(context.Background(), "demo-school", 24*time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range codes {
		if c.PersonSourceID == sourcedID {
			p := w.person(id, "Учитель", lang)
			p.say(diary.FormatCode(c.Code))
			return p
		}
	}
	w.t.Fatalf("no code for teacher %s", sourcedID)
	return nil
}

// classID is the id of a demo class by sourced id ("demo-7b-0": 7Б maths).
func (w *world) classID(sourcedID string) int64 {
	return w.count(`SELECT id FROM classes WHERE sourced_id = $1`, sourcedID)
}

// count runs a query of one number.
func (w *world) count(sql string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// teacherWrites counts what a teacher's actions leave: grades given at
// lessons, attendance marks and remarks made now, homework and lesson changes
// by a teacher, notices and audit entries.
func (w *world) teacherWrites() [7]int64 {
	return [7]int64{
		w.count(`SELECT count(*) FROM grades WHERE period IS NOT NULL`),
		w.count(`SELECT count(*) FROM attendance WHERE created_at = $1`, w.now),
		w.count(`SELECT count(*) FROM remarks WHERE created_at = $1`, w.now),
		w.count(`SELECT count(*) FROM assignments WHERE created_by IS NOT NULL`),
		w.count(`SELECT count(*) FROM lesson_changes WHERE created_by IS NOT NULL`),
		w.count(`SELECT count(*) FROM notices`),
		w.count(`SELECT count(*) FROM audit_log`),
	}
}

// A teacher marks a lesson from the phone, undoes a grade, sets homework and
// changes tomorrow's lesson; the transcript is the golden file, per language.
func TestLessonWork(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			ivanova := w.teacher(200, demo.TeacherMat, lang)
			var tr transcript
			talk := func(text string) bottest.Message {
				t.Helper()
				answers := ivanova.say(text)
				tr.add(text, answers...)
				if len(answers) == 0 {
					t.Fatalf("no answer to %q", text)
				}
				return answers[len(answers)-1]
			}
			press := func(msg bottest.Message, label string) bottest.Message {
				t.Helper()
				return tr.press(ivanova, msg, label)
			}

			lessons := talk("/marks")
			roster := press(lessons, "2. 09:25 7А Математика")
			pupil := press(roster, "Борисов И.")
			roster = press(pupil, "5")
			if got := w.teacherWrites(); got != [7]int64{1, 0, 0, 0, 0, 1, 1} {
				t.Fatalf("after a grade: %v", got)
			}
			undo := map[string]string{"ru": "↩️ Отменить последнее (Борисов Иван)", "en": "↩️ Undo the last one (Борисов Иван)"}[lang]
			roster = press(roster, undo)
			// The grade and its notice still waiting are gone; the audit keeps both.
			if got := w.teacherWrites(); got != [7]int64{0, 0, 0, 0, 0, 0, 2} {
				t.Fatalf("after the undo: %v", got)
			}
			pupil = press(roster, "Ёлкин П.")
			roster = press(pupil, map[string]string{"ru": "Н — отсутствует", "en": "Absent"}[lang])
			pupil = press(roster, "Алёшина Д.")
			press(pupil, map[string]string{"ru": "👍 Похвала", "en": "👍 Praise"}[lang])
			talk("Отличный ответ у доски")

			classes := talk("/hw")
			due := press(classes, "7А Математика")
			press(due, map[string]string{"ru": "пт, 27 ноября — следующий урок", "en": "Fri, 27 November, the next lesson"}[lang])
			preview := talk(" §14, № 301–305 ")
			press(preview, map[string]string{"ru": "✅ Сохранить", "en": "✅ Save"}[lang])

			classes = talk("/change")
			days := press(classes, "7А Математика")
			tomorrow := map[string]string{"ru": "Завтра, пт, 27 ноября", "en": "Tomorrow, Fri, 27 November"}[lang]
			lessonsTomorrow := press(days, tomorrow)
			kinds := press(lessonsTomorrow, "1. 08:30 Математика")
			press(kinds, map[string]string{"ru": "Замена учителя", "en": "Substitute teacher"}[lang])
			preview = talk("фёд")
			press(preview, map[string]string{"ru": "✅ Сохранить", "en": "✅ Save"}[lang])

			golden(t, "lessons."+lang+".golden", tr.String())
			// Attendance (Ёлкин: late → absent, one notice), a remark, homework
			// due tomorrow and tomorrow's change, each with its notice.
			if got := w.teacherWrites(); got != [7]int64{0, 1, 1, 1, 1, 4, 6} {
				t.Errorf("at the end: grades, marks, remarks, homework, changes, notices, audit = %v", got)
			}
			if n := w.count(`SELECT count(*) FROM notices WHERE kind = 'schedule' AND class_id = $1`, w.classID("demo-7a-0")); n != 1 {
				t.Errorf("%d schedule notices for tomorrow's change", n)
			}
			if w.failed.Load() > 0 {
				t.Errorf("%d updates failed", w.failed.Load())
			}
		})
	}
}

// A change for next week is saved and tells no one now.
func TestLessonChangeNextWeekTellsNoOne(t *testing.T) {
	w := newWorld(t)
	ivanova := w.teacher(200, demo.TeacherMat, "ru")
	classes := ivanova.say("/change")[0]
	ivanova.press(classes, "7А Математика")
	lessons := ivanova.say("4.12")[0] // next Friday
	kinds, _ := ivanova.press(lessons, "1. 08:30 Математика")
	ivanova.press(kinds, "Перенос")
	// A period past the day's last is refused as it is typed; the step stays.
	if got := ivanova.say("4.12 25")[0].Text; !strings.Contains(got, "не больше 20 уроков") {
		t.Errorf("a move to period 25: %q", got)
	}
	preview := ivanova.say("4.12 7")[0]
	if !strings.Contains(preview.Text, "перенос на пт, 4 декабря, 7 урок") {
		t.Fatalf("preview: %q", preview.Text)
	}
	done, _ := ivanova.press(preview, "✅ Сохранить")
	if !strings.Contains(done.Text, "уведомление придёт, только если урок сегодня или завтра") {
		t.Errorf("saved: %q", done.Text)
	}
	if got := w.teacherWrites(); got != [7]int64{0, 0, 0, 0, 1, 0, 1} {
		t.Errorf("grades, marks, remarks, homework, changes, notices, audit = %v", got)
	}
	// Moved onto Monday's Russian of the same pupils: refused, nothing more written.
	classes = ivanova.say("/change")[0]
	ivanova.press(classes, "7А Математика")
	lessons = ivanova.say("4.12")[0]
	kinds, _ = ivanova.press(lessons, "1. 08:30 Математика")
	ivanova.press(kinds, "Перенос")
	preview = ivanova.say("пн 2")[0]
	if after, _ := ivanova.press(preview, "✅ Сохранить"); after.Text != preview.Text || !strings.Contains(w.lastNotice(), "Так изменить урок нельзя") {
		t.Errorf("a move onto Russian: %q", w.lastNotice())
	}
	if got := w.teacherWrites(); got != [7]int64{0, 0, 0, 0, 1, 0, 1} {
		t.Errorf("after the refused move: %v", got)
	}
	// A substitute no teacher's name could be, and one not in the school: the
	// same answer, and the step waits for another name.
	classes = ivanova.say("/change")[0]
	ivanova.press(classes, "7А Математика")
	lessons = ivanova.say("4.12")[0]
	kinds, _ = ivanova.press(lessons, "1. 08:30 Математика")
	ivanova.press(kinds, "Замена учителя")
	for _, name := range []string{strings.Repeat("Щ", 65), "Несуществующая"} {
		if got := ivanova.say(name)[0].Text; !strings.Contains(got, "Не нашёл учителя") {
			t.Errorf("substitute %.20q…: %q", name, got)
		}
	}
	if preview := ivanova.say("Петрова")[0].Text; !strings.Contains(preview, "Петрова") {
		t.Errorf("a substitute found after them: %q", preview)
	}
}

// Волкова teaches 7А only: she is not offered 7Б, and a forged but validly
// signed button for a 7Б class, or for a 7Б pupil at her own lesson, is
// refused and writes nothing.
func TestTeacherOfOneClassCannotTouchAnother(t *testing.T) {
	w := newWorld(t)
	volkova := w.teacher(300, volkova, "ru")
	lessons := volkova.say("/marks")[0]
	if strings.Contains(lessons.Text, "7Б") || !strings.Contains(lessons.Text, "7А Физика") {
		t.Fatalf("Волкова's lessons: %q", lessons.Text)
	}
	if hw := volkova.say("/hw")[0]; strings.Contains(buttons(hw), "7Б") || !strings.Contains(buttons(hw), "7А Биология") {
		t.Errorf("/hw offers %s", buttons(hw))
	}

	codec := telegram.NewCodec(token)
	maths7B, physics7A := w.classID("demo-7b-0"), w.classID("demo-7a-4")
	thursday := telegram.DateArg(diary.Date(w.now, w.now.Location()))
	maxim, dasha := w.school.Pupils[demo.Maxim], w.school.Pupils[demo.Dasha]
	forged := map[string]string{
		"7Б's class list":              codec.Encode(telegram.ButtonMarksLesson, maths7B, 2, thursday),
		"a grade at 7Б's lesson":       codec.Encode(telegram.ButtonMarksSet, maths7B, 2, thursday, maxim, 1, 5, 0),
		"an absence at 7Б's lesson":    codec.Encode(telegram.ButtonMarksSet, maths7B, 2, thursday, maxim, 2, 1, 0),
		"a remark at 7Б's lesson":      codec.Encode(telegram.ButtonMarksRemark, maths7B, 2, thursday, maxim, 1),
		"a 7Б pupil at her own lesson": codec.Encode(telegram.ButtonMarksSet, physics7A, 1, thursday, maxim, 1, 5, 0),
		"homework for 7Б":              codec.Encode(telegram.ButtonHomeworkClass, maths7B),
		"a lesson change for 7Б":       codec.Encode(telegram.ButtonChangeClass, maths7B),
	}
	for name, data := range forged {
		after, added := volkova.pressData(lessons, data)
		if len(added) != 0 || after.Text != lessons.Text || !strings.Contains(w.lastNotice(), "только в своих классах") {
			t.Errorf("%s: %d messages, notice %q", name, len(added), w.lastNotice())
		}
	}
	// Out of the scale at her own lesson, with her own pupil: refused too.
	after, _ := volkova.pressData(lessons, codec.Encode(telegram.ButtonMarksSet, physics7A, 1, thursday, dasha, 1, 6, 0))
	if after.Text != lessons.Text || !strings.Contains(w.lastNotice(), "проверьте") {
		t.Errorf("a grade of 6: notice %q", w.lastNotice())
	}
	if got := w.teacherWrites(); got != [7]int64{} {
		t.Errorf("refused presses wrote grades, marks, remarks, homework, changes, notices, audit = %v", got)
	}
	// A parent is told the commands are for teachers.
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	if got := mum.say("/marks")[0].Text; !strings.Contains(got, "для учителей") {
		t.Errorf("a parent's /marks: %q", got)
	}
}
