package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// invite sends, as the worker does, a meeting invitation with its buttons to
// the person's chat, and returns it as the fake holds it.
func (w *world) invite(p *person, event int64) bottest.Message {
	w.t.Helper()
	ctx := context.Background()
	client, err := tg.New(token, tg.WithServerURL(w.fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		w.t.Fatal(err)
	}
	codec := telegram.NewCodec(token)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "Приду", CallbackData: codec.Encode(telegram.ButtonRSVP, event, 1)}, {Text: "Не смогу", CallbackData: codec.Encode(telegram.ButtonRSVP, event, 0)}},
		{{Text: "🔕 Не присылать такие", CallbackData: codec.Encode(telegram.ButtonStop, telegram.SettingMeetings)}},
	}}
	if _, err := client.SendMessage(ctx, &tg.SendMessageParams{ChatID: p.user.ID, Text: "Родительское собрание", ReplyMarkup: kb}); err != nil {
		w.t.Fatal(err)
	}
	m, _ := w.fake.LastMessage(p.user.ID)
	return m
}

func (w *world) event(kind, class string) int64 {
	w.t.Helper()
	var id int64
	err := w.db.QueryRow(context.Background(), `SELECT e.id FROM events e JOIN classes c ON c.id = e.class_id
	                                            WHERE e.kind = $1 AND c.sourced_id = $2`, kind, class).Scan(&id)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) answer(event int64, telegramID int64) string {
	w.t.Helper()
	var answer string
	err := w.db.QueryRow(context.Background(), `SELECT coalesce((SELECT r.answer FROM event_rsvps r JOIN accounts a ON a.id = r.account_id
	                                            WHERE r.event_id = $1 AND a.telegram_user_id = $2), '')`, event, telegramID).Scan(&answer)
	if err != nil {
		w.t.Fatal(err)
	}
	return answer
}

// The RSVP buttons store the answer and tick it; a tampered one, or one for a
// meeting of another class, stores nothing.
func TestRSVPButtons(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	meeting := w.event("meeting", demo.Class7A)
	invitation := w.invite(mum, meeting)

	after, added := mum.press(invitation, "Приду")
	if len(added) != 0 || w.answer(meeting, 100) != "yes" || !strings.Contains(w.lastNotice(), "вы придёте") {
		t.Fatalf("after «Приду»: answer %q, notice %q, %d messages", w.answer(meeting, 100), w.lastNotice(), len(added))
	}
	if _, ok := after.Button("✅ Приду"); !ok || after.Text != invitation.Text {
		t.Errorf("the invitation after the answer: %q %s", after.Text, buttons(after))
	}
	if _, ok := after.Button("🔕 Не присылать такие"); !ok {
		t.Errorf("the stop button is gone: %s", buttons(after))
	}
	after, _ = mum.press(after, "Не смогу")
	if w.answer(meeting, 100) != "no" {
		t.Errorf("changed answer: %q", w.answer(meeting, 100))
	}

	// Another meeting's id under this meeting's signature.
	btn, _ := after.Button("✅ Не смогу")
	tampered := strings.Replace(btn.CallbackData, ":"+base36(meeting)+":", ":"+base36(meeting+1)+":", 1)
	if tampered == btn.CallbackData {
		t.Fatalf("could not tamper with %q", btn.CallbackData)
	}
	mum.pressData(after, tampered)
	if !strings.Contains(w.lastNotice(), "кнопка устарела") {
		t.Errorf("tampered: notice %q", w.lastNotice())
	}
	// A genuine button for a meeting of 7Б, which Ольга's Дарья is not in.
	foreign, err := diarytest.AddMeeting(context.Background(), w.db, demo.Class7B, "Собрание 7Б", "", w.now.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	mum.pressData(after, telegram.NewCodec(token).Encode(telegram.ButtonRSVP, foreign, 1))
	if w.answer(foreign, 100) != "" || !strings.Contains(w.lastNotice(), "Нет доступа") {
		t.Errorf("a meeting of another class: answer %q, notice %q", w.answer(foreign, 100), w.lastNotice())
	}
}

// "Stop these" turns that kind of push off, as /settings would.
func TestStopButtonTurnsTheKindOff(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "en")
	mum.say(w.code(demo.Dasha))
	invitation := w.invite(mum, w.event("meeting", demo.Class7A))
	mum.press(invitation, "🔕 Не присылать такие")
	if !strings.Contains(w.lastNotice(), "no more of these") {
		t.Errorf("notice %q", w.lastNotice())
	}
	settings := mum.say("/settings")[0]
	if !strings.Contains(buttons(settings), "☐ Meetings") || !strings.Contains(buttons(settings), "✅ Grades") {
		t.Errorf("settings after stop: %s", buttons(settings))
	}
}
