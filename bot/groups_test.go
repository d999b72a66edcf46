package bot_test

import (
	"context"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// The diary is private. Added to a group, written to in one, or pressed in
// one, the bot says once, in the group and in the language of who did it,
// "write to me privately", and leaves; the account of who did it keeps its
// chat and settings.
func TestGroupsNeverTouchAnAccount(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	parent := w.person(501, "Ольга", "ru")
	parent.say("/start " + w.code(demo.Dasha))
	settings := parent.say("/settings")
	toggle, ok := settings[len(settings)-1].Button("🌐 Язык: русский (switch to English)")
	if !ok {
		t.Fatalf("no language button in %s", buttons(settings[len(settings)-1]))
	}
	// A message of the bot's in a group, with a genuine button of the parent's.
	client, err := tg.New(token, tg.WithServerURL(w.fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	const pressedIn = -100503
	if _, err := client.SendMessage(ctx, &tg.SendMessageParams{ChatID: pressedIn, Text: "…",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{toggle}}}}); err != nil {
		t.Fatal(err)
	}
	inGroup := w.fake.Sent(pressedIn)[0]

	for _, c := range []struct {
		group int64
		do    func()
		want  string
	}{
		{-100501, func() { w.fake.AddToGroup(-100501, parent.user) }, "напишите мне лично"},
		{-100502, func() {
			w.fake.SendTextInGroup(-100502, bottest.User{ID: 501, FirstName: "Ольга", LanguageCode: "en"}, "/today")
		}, "write to me directly"},
		{pressedIn, func() {
			if _, err := w.fake.PressButton(parent.user, inGroup, toggle.CallbackData); err != nil {
				t.Fatal(err)
			}
		}, "напишите мне лично"},
	} {
		n := w.handled.Load()
		c.do()
		w.waitHandled(n + 1)
		sent := texts(w.fake.Sent(c.group))
		if last := sent[len(sent)-1]; !strings.Contains(last, c.want) || !w.fake.Left(c.group) {
			t.Errorf("group %d: the bot said %q and left: %v; want %q once, then leave", c.group, sent, w.fake.Left(c.group), c.want)
		}
	}
	if len(w.fake.Calls("answerCallbackQuery")) == 0 {
		t.Error("the press in the group was never answered")
	}
	var chat int64
	var lang string
	if err := w.db.QueryRow(ctx, `SELECT chat_id, language FROM accounts WHERE telegram_user_id = 501`).Scan(&chat, &lang); err != nil {
		t.Fatal(err)
	}
	if chat != 501 || lang != "ru" {
		t.Errorf("after the groups the account's chat is %d and its language %s; want 501 and ru", chat, lang)
	}
}

// texts is what the bot's messages say.
func texts(msgs []bottest.Message) []string {
	var got []string
	for _, m := range msgs {
		got = append(got, m.Text)
	}
	return got
}
