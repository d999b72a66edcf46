package chat_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/bot/bottest/chat"
	"github.com/dnevnik/dnevnik/locales"
)

const token = "123456:chat-test-token-0123456789"

// echoBot answers a typed line with it in bold and two buttons, and a press of
// the second button by editing the message and a notice. It tells the chat
// when it is done with each update.
func echoBot(t *testing.T, fake *bottest.Server, c *chat.Chat) {
	t.Helper()
	handle := func(ctx context.Context, b *tg.Bot, upd *models.Update) {
		defer c.Handled()
		switch {
		case upd.Message != nil:
			_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: upd.Message.Chat.ID, ParseMode: models.ParseModeHTML,
				Text: "You said <b>" + upd.Message.Text + "</b> &amp; more",
				ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
					{{Text: "◀ back", CallbackData: "back"}, {Text: "next ▶", CallbackData: "next"}}}}})
			if err != nil {
				t.Error(err)
			}
		case upd.CallbackQuery != nil:
			msg := upd.CallbackQuery.Message.Message
			_, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID,
				Text: "Pressed " + upd.CallbackQuery.Data})
			if err != nil {
				t.Error(err)
			}
			if _, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID, Text: "Done"}); err != nil {
				t.Error(err)
			}
		}
	}
	b, err := tg.New(token, tg.WithServerURL(fake.URL()), tg.WithSkipGetMe(), tg.WithDefaultHandler(handle),
		tg.WithHTTPClient(time.Second, &http.Client{Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(stopped)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
}

// Typed lines reach the bot one at a time, a number presses a button of the
// answer before it, and what the bot sends unasked is shown too.
func TestTranscript(t *testing.T) {
	fake := bottest.New(token)
	defer fake.Close()
	parent := bottest.User{ID: 42, FirstName: "Anna", LanguageCode: "en"}
	var out bytes.Buffer
	c := chat.New(fake, parent, &out, chat.Options{Printer: locales.For("en"), Echo: true})
	echoBot(t, fake, c)

	// A message the bot sends on its own, before the person types anything.
	sender, err := tg.New(token, tg.WithServerURL(fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: parent.ID, Text: "New grade: 5"}); err != nil {
		t.Fatal(err)
	}

	if err := c.Run(context.Background(), strings.NewReader("/start CODE\n2\n\n7\nhi\n")); err != nil {
		t.Fatal(err)
	}
	want := `
New grade: 5
> /start CODE

You said /start CODE & more
[1] ◀ back  [2] next ▶
> 2
» next ▶

✏️ (edited)
Pressed next
🔔 Done
> 7
There is no button 7: the buttons' numbers are in square brackets under the latest message with buttons.
> hi

You said hi & more
[1] ◀ back  [2] next ▶
`
	if got := out.String(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// In a terminal, bold and struck-out text are drawn with ANSI escapes.
func TestStyled(t *testing.T) {
	fake := bottest.New(token)
	defer fake.Close()
	parent := bottest.User{ID: 42, FirstName: "Anna"}
	var out bytes.Buffer
	c := chat.New(fake, parent, &out, chat.Options{Printer: locales.For("ru"), Styled: true})
	echoBot(t, fake, c)
	if err := c.Run(context.Background(), strings.NewReader("x\n")); err != nil {
		t.Fatal(err)
	}
	want := "\nYou said \x1b[1mx\x1b[22m & more\n[1] ◀ back  [2] next ▶\n"
	if got := out.String(); got != want {
		t.Errorf("styled: %q, want %q", got, want)
	}
}
