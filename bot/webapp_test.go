package bot_test

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/samples/demo"
)

const webAppURL = "https://dnevnik.test/app/"

// openDiary is the «📖 Открыть дневник» button of a message, if it has one.
func openDiary(m []models.InlineKeyboardButton) *models.WebAppInfo {
	for _, b := range m {
		if b.WebApp != nil {
			return b.WebApp
		}
	}
	return nil
}

// hasDiaryButton tells whether a message's keyboard opens the Mini App.
func hasDiaryButton(t *testing.T, text string, m *models.InlineKeyboardMarkup) bool {
	t.Helper()
	if m == nil {
		return false
	}
	for _, row := range m.InlineKeyboard {
		if app := openDiary(row); app != nil {
			if app.URL != webAppURL || !strings.Contains(row[0].Text, text) {
				t.Errorf("the diary button %q opens %q", row[0].Text, app.URL)
			}
			return true
		}
	}
	return false
}

// With WEBAPP_URL the menu button opens the Mini App, and /today, /schedule
// and /grades answer with a button that opens it too.
func TestWebAppButtons(t *testing.T) {
	w := newWorldWith(t, func(o *bot.Options) { o.WebAppURL = webAppURL })
	mum := w.person(100, "Ольга", "ru")
	mum.say("/start " + w.code(demo.Dasha))
	if b := w.fake.MenuButton(); b.Type != models.MenuButtonTypeWebApp || b.WebApp.WebApp.URL != webAppURL || b.WebApp.Text != "Дневник" {
		t.Errorf("the menu button: %+v", b)
	}
	for _, cmd := range []string{"/today", "/schedule", "/grades"} {
		sent := mum.say(cmd)
		last := sent[len(sent)-1]
		if !hasDiaryButton(t, "Открыть дневник", last.ReplyMarkup) {
			t.Errorf("%s: no «Открыть дневник» under %q\n%s", cmd, last.Text, buttons(last))
		}
	}
}

// Without WEBAPP_URL there is no menu button and no such button.
func TestNoWebAppButtons(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say("/start " + w.code(demo.Dasha))
	if b := w.fake.MenuButton(); b.Type != "" {
		t.Errorf("a menu button without WEBAPP_URL: %+v", b)
	}
	for _, cmd := range []string{"/today", "/schedule", "/grades"} {
		for _, m := range mum.say(cmd) {
			if hasDiaryButton(t, "", m.ReplyMarkup) {
				t.Errorf("%s: a diary button without WEBAPP_URL", cmd)
			}
		}
	}
}
