package bot_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// /hw and /change offer only the classes a teacher gives lessons in: not the
// homeroom, even when the import gave it a subject (OneRoster's homeroom
// class takes its course's title as its subject).
func TestLessonFlowsOfferNoHomeroom(t *testing.T) {
	w := newWorld(t)
	if _, err := w.db.Exec(context.Background(), `
UPDATE classes SET subject_id = (SELECT id FROM subjects WHERE name = 'Математика') WHERE sourced_id = $1`, demo.Class7A); err != nil {
		t.Fatal(err)
	}
	ivanova := w.teacher(200, demo.TeacherMat, "ru")
	for _, cmd := range []string{"/hw", "/change"} {
		got := buttons(ivanova.say(cmd)[0])
		if strings.Contains(got, "[7А]") || !strings.Contains(got, "[7А Математика]") || !strings.Contains(got, "[7Б Математика]") {
			t.Errorf("%s offers:\n%s", cmd, got)
		}
	}
}

// Saved homework is told in a sentence that needs no declined subject name,
// in both languages.
func TestHomeworkSavedReadsRight(t *testing.T) {
	for lang, want := range map[string][2]string{
		"ru": {"пт, 27 ноября — следующий урок", "✅ Задание сохранено: «7А Математика», срок: пт, 27 ноября. Ученики и родители получат уведомление."},
		"en": {"Fri, 27 November, the next lesson", "✅ Homework saved: “7А Математика”, due Fri, 27 November. Pupils and parents will be notified."},
	} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			ivanova := w.teacher(200, demo.TeacherMat, lang)
			step := func(msg bottest.Message, label string) bottest.Message {
				t.Helper()
				after, added := ivanova.press(msg, label)
				if len(added) > 0 {
					return added[len(added)-1]
				}
				return after
			}
			step(step(ivanova.say("/hw")[0], "7А Математика"), want[0])
			preview := ivanova.say("§14")
			if got := step(preview[len(preview)-1], map[string]string{"ru": "✅ Сохранить", "en": "✅ Save"}[lang]).Text; got != want[1] {
				t.Errorf("saved: %q, want %q", got, want[1])
			}
		})
	}
}

// The teacher's greeting names every command of the teacher's menu that acts
// on a class, in both languages.
func TestTeacherGreetingNamesTheLessonCommands(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			greeting := newWorld(t).teacher(300, demo.TeacherMat, lang).last().Text
			// Every command of the teacher's menu but those about the account.
			for _, name := range bot.TeacherMenu {
				if slices.Contains([]string{"classes", "role", "unlink", "help"}, name) {
					continue
				}
				if cmd := "/" + name; !regexp.MustCompile(regexp.QuoteMeta(cmd) + `\b`).MatchString(greeting) {
					t.Errorf("the greeting does not name %s:\n%s", cmd, greeting)
				}
			}
		})
	}
}
