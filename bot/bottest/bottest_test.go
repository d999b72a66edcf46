package bottest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
)

const (
	token    = "123456:test-token"
	patience = 5 * time.Second // how long a test waits for something that should take milliseconds
)

var parent = bottest.User{ID: 42, FirstName: "Anna", LanguageCode: "ru"}

func newFake(t *testing.T) *bottest.Server {
	fake := bottest.New(token)
	t.Cleanup(fake.Close)
	return fake
}

// newBot connects the real client to the fake; bot.New calls getMe. The
// client's errors go to the test log unless opts say otherwise.
func newBot(t *testing.T, fake *bottest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	defaults := []bot.Option{bot.WithServerURL(fake.URL()), bot.WithErrorsHandler(func(err error) { t.Logf("client: %v", err) })}
	b, err := bot.New(token, append(defaults, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// run runs start (b.Start or b.StartWebhook) until the test ends.
func run(t *testing.T, start func(context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		start(ctx)
		close(stopped)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
}

// reply answers every text message with "re: " and its text.
func reply(ctx context.Context, b *bot.Bot, update *models.Update) {
	if update.Message == nil {
		return
	}
	_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: update.Message.Chat.ID, Text: "re: " + update.Message.Text})
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

// post calls the fake without the client, with a URL-encoded form. It may
// run in any goroutine, so it reports failures without stopping the test.
func post(t *testing.T, fake *bottest.Server, path string, params url.Values) apiResponse {
	t.Helper()
	var r apiResponse
	resp, err := http.PostForm(fake.URL()+path, params)
	if err != nil {
		t.Errorf("POST %s: %v", path, err)
		return r
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Errorf("POST %s: decode: %v", path, err)
	}
	if !r.OK && r.ErrorCode != resp.StatusCode {
		t.Errorf("POST %s: error_code %d, HTTP status %d", path, r.ErrorCode, resp.StatusCode)
	}
	return r
}

func keyboard(buttons ...models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{buttons}}
}

func send(ctx context.Context, b *bot.Bot, chatID int64, text string) error {
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chatID, Text: text})
	return err
}

func TestGetMeAtNew(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	if b.ID() != 123456 {
		t.Errorf("bot id %d", b.ID())
	}
	me, err := b.GetMe(context.Background())
	if err != nil || !me.IsBot || me.ID != 123456 {
		t.Errorf("getMe = %+v, %v", me, err)
	}
	if calls := fake.Calls("getMe"); len(calls) != 2 || calls[0].Status != http.StatusOK {
		t.Errorf("getMe calls: %+v", calls)
	}
}

func TestWrongTokenAndUnknownMethod(t *testing.T) {
	fake := newFake(t)
	_, err := bot.New("999:other", bot.WithServerURL(fake.URL()))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token: %v", err)
	}
	r := post(t, fake, "/bot"+token+"/sendSticker", nil)
	if r.ErrorCode != http.StatusNotFound || r.Description != "Not Found: method not found" {
		t.Errorf("unknown method: %+v", r)
	}
	if calls := fake.Calls(""); len(calls) != 2 || calls[0].Status != http.StatusUnauthorized {
		t.Errorf("calls: %+v", calls)
	}
}

func TestLongPollingDeliversTextAndRecordsTheReply(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake, bot.WithMessageTextHandler("start", bot.MatchTypeCommandStartOnly, reply))
	run(t, b.Start)

	updateID := fake.SendText(parent, "/start CODE42")
	msgs, err := fake.WaitSent(parent.ID, 1, patience)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "re: /start CODE42" || msgs[0].ID != 2 { // the user's message was id 1
		t.Errorf("reply: %+v", msgs[0])
	}
	if updateID != 1 {
		t.Errorf("update id %d", updateID)
	}
	call := fake.Calls("sendMessage")[0]
	if call.Params["chat_id"] != "42" || call.Status != http.StatusOK || call.Message.ID != msgs[0].ID {
		t.Errorf("recorded call: %+v", call)
	}
}

func TestCallbackQueryReachesHandlerAndIsAnswered(t *testing.T) {
	fake := newFake(t)
	onGrades := func(ctx context.Context, b *bot.Bot, update *models.Update) {
		query := update.CallbackQuery
		_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: query.ID, Text: "ok"})
		_, _ = b.EditMessageText(ctx, &bot.EditMessageTextParams{
			ChatID:    query.Message.Message.Chat.ID,
			MessageID: query.Message.Message.ID,
			Text:      query.Message.Message.Text + ": " + query.Data,
		})
	}
	b := newBot(t, fake, bot.WithCallbackQueryDataHandler("grades:", bot.MatchTypePrefix, onGrades))
	run(t, b.Start)
	ctx := context.Background()
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:      parent.ID,
		Text:        "<b>Menu</b>",
		ParseMode:   models.ParseModeHTML,
		ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "Grades", CallbackData: "grades:7"}),
	})
	if err != nil {
		t.Fatal(err)
	}

	menu, _ := fake.LastMessage(parent.ID)
	button, ok := menu.Button("Grades")
	if !ok {
		t.Fatalf("no Grades button in %+v", menu)
	}
	queryID, err := fake.PressButton(parent, menu, button.CallbackData)
	if err != nil {
		t.Fatal(err)
	}
	answers, err := fake.WaitCalls("answerCallbackQuery", 1, patience)
	if err != nil {
		t.Fatal(err)
	}
	if answers[0].Params["callback_query_id"] != queryID || answers[0].Params["text"] != "ok" {
		t.Errorf("answer: %+v", answers[0].Params)
	}
	err = fake.WaitFor(patience, func() bool {
		last, _ := fake.LastMessage(parent.ID)
		return last.Edited()
	})
	if edited, _ := fake.LastMessage(parent.ID); err != nil || edited.Text != "Menu: grades:7" {
		t.Errorf("the handler's edit: %+v, %v", edited, err)
	}

	again := post(t, fake, "/bot"+token+"/answerCallbackQuery", url.Values{"callback_query_id": {queryID}})
	if !strings.Contains(again.Description, "query ID is invalid") {
		t.Errorf("second answer: %+v", again)
	}
	if _, err := fake.PressButton(parent, bottest.Message{ChatID: parent.ID, ID: 99}, "x"); err == nil {
		t.Error("pressed a button under a message that does not exist")
	}
}

func TestEditMessage(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	menu := keyboard(models.InlineKeyboardButton{Text: "Today", CallbackData: "today"})
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: parent.ID, Text: "Monday", ReplyMarkup: menu})
	if err != nil {
		t.Fatal(err)
	}
	if sent.From == nil || !sent.From.IsBot || sent.Chat.ID != parent.ID || sent.Date == 0 || sent.ReplyMarkup == nil {
		t.Errorf("sendMessage result: %+v", sent)
	}
	edit := func(text string, id int) error {
		_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: parent.ID, MessageID: id, Text: text, ReplyMarkup: menu})
		return err
	}

	if err := edit("Monday", sent.ID); !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("identical edit: %v", err)
	}
	if err := edit("Tuesday", sent.ID); err != nil {
		t.Fatal(err)
	}
	if err := edit("Tuesday", 999); err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit of a missing message: %v", err)
	}
	msg, _ := fake.LastMessage(parent.ID)
	if msg.Text != "Tuesday" || !msg.Edited() || len(msg.History) != 1 || msg.History[0].Text != "Monday" || msg.ReplyMarkup == nil {
		t.Errorf("edited message: %+v", msg)
	}

	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: parent.ID, MessageID: sent.ID}); err != nil {
		t.Fatal(err)
	}
	if msg, _ := fake.LastMessage(parent.ID); msg.ReplyMarkup != nil {
		t.Errorf("keyboard not removed: %+v", msg.ReplyMarkup)
	}

	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: parent.ID, MessageID: sent.ID}); err != nil {
		t.Fatal(err)
	}
	if len(fake.Sent(parent.ID)) != 0 {
		t.Error("deleted message still listed")
	}
}

func TestTooManyRequestsThenSuccess(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	fake.FailNext("sendMessage", 1, bottest.RetryAfter(3))

	err := send(context.Background(), b, parent.ID, "hi")
	var tooMany *bot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 3 {
		t.Fatalf("first send: %v", err)
	}
	if err := send(context.Background(), b, parent.ID, "hi"); err != nil {
		t.Fatalf("second send: %v", err)
	}
	if fake.Throttled() != 1 || len(fake.Sent(parent.ID)) != 1 {
		t.Errorf("throttled %d, sent %d", fake.Throttled(), len(fake.Sent(parent.ID)))
	}
}

func TestFaultsByChatInOrderAndCleared(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	fake.FailNext("sendMessage", bottest.Always, bottest.Blocked().InChat(1))
	fake.FailNext("sendMessage", 1, bottest.ServerError())

	if err := send(ctx, b, 2, "hi"); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("chat 2 should take the 500: %v", err)
	}
	if err := send(ctx, b, 2, "hi"); err != nil {
		t.Errorf("chat 2 after its fault: %v", err)
	}
	for range 2 {
		if err := send(ctx, b, 1, "hi"); !errors.Is(err, bot.ErrorForbidden) {
			t.Errorf("chat 1 blocked the bot: %v", err)
		}
	}
	fake.ClearFaults()
	if err := send(ctx, b, 1, "hi"); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestDelayedAnswer(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	const delay = 50 * time.Millisecond
	fake.FailNext("sendMessage", 1, bottest.Delayed(delay))
	start := time.Now()
	if err := send(context.Background(), b, parent.ID, "hi"); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("answered after %v", elapsed)
	}
}

func TestLatencyIsARoundTrip(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	const rtt = 80 * time.Millisecond
	fake.SetLatency(rtt)
	start := time.Now()
	if err := send(context.Background(), b, parent.ID, "hi"); err != nil {
		t.Fatal(err)
	}
	answered := time.Since(start)
	calls := fake.Calls("sendMessage")
	if answered < rtt || len(calls) != 1 {
		t.Fatalf("answered after %v, %d calls", answered, len(calls))
	}
	// The message counts at Telegram halfway: what the rate limit sees.
	if arrived := calls[0].Time.Sub(start); arrived < rtt/2 || arrived > answered-rtt/2 {
		t.Errorf("arrived %v after the send, answered after %v", arrived, answered)
	}
}

func TestRateLimit(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	fake.SetRateLimit(30, 1)

	start := time.Now()
	for chatID := int64(1); chatID <= 30; chatID++ {
		if err := send(ctx, b, chatID, "hi"); err != nil {
			t.Fatalf("send %d: %v", chatID, err)
		}
	}
	err31 := send(ctx, b, 31, "hi")
	if time.Since(start) > 900*time.Millisecond {
		t.Skip("this machine took most of a second for 30 sends; the window may have moved")
	}
	var tooMany *bot.TooManyRequestsError
	if !errors.As(err31, &tooMany) || tooMany.RetryAfter < 1 {
		t.Errorf("31st send within a second: %v", err31)
	}

	fake.SetRateLimit(0, 1)
	if err := send(ctx, b, 100, "hi"); err != nil {
		t.Fatal(err)
	}
	if err := send(ctx, b, 100, "again"); !errors.As(err, &tooMany) {
		t.Errorf("second send to one chat within a second: %v", err)
	}
	if err := send(ctx, b, 101, "hi"); err != nil {
		t.Errorf("another chat: %v", err)
	}
	if fake.Throttled() != 2 {
		t.Errorf("throttled %d", fake.Throttled())
	}
}

func TestValidation(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	tests := []struct {
		name   string
		params bot.SendMessageParams
		want   string // in the error; "" for success
	}{
		{"4096 Cyrillic characters", bot.SendMessageParams{Text: strings.Repeat("я", 4096)}, ""},
		{"4097 characters", bot.SendMessageParams{Text: strings.Repeat("a", 4097)}, "message is too long"},
		{"4096 after parsing HTML", bot.SendMessageParams{Text: "<b>" + strings.Repeat("a", 4096) + "</b>", ParseMode: models.ParseModeHTML}, ""},
		{"empty text", bot.SendMessageParams{Text: " "}, "message text is empty"},
		{"64-byte callback data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b", CallbackData: strings.Repeat("я", 32)})}, ""},
		{"65-byte callback data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b", CallbackData: strings.Repeat("d", 65)})}, "BUTTON_DATA_INVALID"},
		{"button without data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b"})}, "Text buttons are unallowed"},
		{"unclosed tag", bot.SendMessageParams{Text: "<b>x", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"unsupported tag", bot.SendMessageParams{Text: "a<br>b", ParseMode: models.ParseModeHTML}, `Unsupported start tag "br"`},
		{"unescaped <", bot.SendMessageParams{Text: "1 < 2", ParseMode: models.ParseModeHTML}, "can't parse entities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params.ChatID = parent.ID
			_, err := b.SendMessage(ctx, &tt.params)
			if tt.want == "" && err != nil {
				t.Errorf("refused: %v", err)
			}
			if tt.want != "" && (!errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("got %v, want a 400 with %q", err, tt.want)
			}
		})
	}
	if r := post(t, fake, "/bot"+token+"/sendMessage", url.Values{"text": {"x"}}); r.Description != "Bad Request: chat_id is empty" {
		t.Errorf("no chat_id: %+v", r)
	}
}

func TestSetMyCommandsPerScopeAndLanguage(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	set := func(scope models.BotCommandScope, lang string, commands ...models.BotCommand) error {
		_, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: commands, Scope: scope, LanguageCode: lang})
		return err
	}
	today := models.BotCommand{Command: "today", Description: "Today"}
	segodnya := models.BotCommand{Command: "today", Description: "Сегодня"}
	grades := models.BotCommand{Command: "grades", Description: "Оценки"}
	chat := &models.BotCommandScopeChat{ChatID: parent.ID}
	for _, err := range []error{
		set(nil, "en", today),
		set(nil, "ru", segodnya),
		set(nil, "ru", segodnya, grades),
		set(chat, "ru", grades),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.Commands(nil, "ru"); len(got) != 2 || got[1] != grades {
		t.Errorf("ru: %+v", got)
	}
	if got := fake.Commands(&models.BotCommandScopeDefault{}, "en"); len(got) != 1 || got[0] != today {
		t.Errorf("en: %+v", got)
	}
	if got := fake.Commands(chat, "ru"); len(got) != 1 || got[0] != grades {
		t.Errorf("chat scope: %+v", got)
	}
	if got := fake.Commands(nil, ""); got != nil {
		t.Errorf("no language: %+v", got)
	}
	if err := set(nil, "", models.BotCommand{Command: "Today", Description: "x"}); err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Errorf("upper-case command: %v", err)
	}
}

func TestSendDocumentKeepsTheFile(t *testing.T) {
	fake := newFake(t)
	b := newBot(t, fake)
	ctx := context.Background()
	data := []byte("date,grade\n2025-11-28,5\n")
	sent, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:    parent.ID,
		Document:  &models.InputFileUpload{Filename: "grades.csv", Data: bytes.NewReader(data)},
		Caption:   "<i>Grades</i>",
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Document.FileName != "grades.csv" || sent.Caption != "Grades" {
		t.Fatalf("sendDocument result: %+v", sent)
	}
	msg, _ := fake.LastMessage(parent.ID)
	if msg.Document.Name != "grades.csv" || !bytes.Equal(msg.Document.Data, data) || msg.Text != "<i>Grades</i>" {
		t.Errorf("stored: %+v", msg)
	}
	if upload := fake.Calls("sendDocument")[0].Files["document"]; !bytes.Equal(upload.Data, data) {
		t.Errorf("recorded upload: %+v", upload)
	}

	resent, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 43, Document: &models.InputFileString{Data: sent.Document.FileID}})
	if err != nil || resent.Document.FileName != "grades.csv" {
		t.Errorf("send again by file_id: %+v, %v", resent, err)
	}
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 43, Document: &models.InputFileString{Data: "nonsense"}})
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("unknown file_id: %v", err)
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: parent.ID, MessageID: sent.ID, Text: "text"})
	if err == nil || !strings.Contains(err.Error(), "there is no text in the message to edit") {
		t.Errorf("text edit of a document: %v", err)
	}
}

func TestWebhook(t *testing.T) {
	fake := newFake(t)
	const secret = "s3cret"
	b := newBot(t, fake, bot.WithWebhookSecretToken(secret), bot.WithDefaultHandler(reply))
	secrets := make(chan string, 10)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secrets <- r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		b.WebhookHandler()(w, r)
	}))
	t.Cleanup(endpoint.Close)
	run(t, b.StartWebhook)
	ctx := context.Background()
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: endpoint.URL, SecretToken: "not secret"}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("secret token with a space: %v", err)
	}
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: endpoint.URL, SecretToken: secret}); err != nil {
		t.Fatal(err)
	}

	fake.SendText(parent, "ping")
	msgs, err := fake.WaitSent(parent.ID, 1, patience)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "re: ping" || <-secrets != secret {
		t.Errorf("reply %q", msgs[0].Text)
	}
	if r := post(t, fake, "/bot"+token+"/getUpdates", nil); r.ErrorCode != http.StatusConflict {
		t.Errorf("getUpdates with a webhook: %+v", r)
	}

	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	fake.SendText(parent, "queued")
	if r := post(t, fake, "/bot"+token+"/getUpdates", nil); !r.OK || !strings.Contains(string(r.Result), `"queued"`) {
		t.Errorf("getUpdates after deleteWebhook: %+v", r)
	}
}

func TestWebhookRetriesAFailedDelivery(t *testing.T) {
	fake := newFake(t)
	attempts := make(chan int32, 10)
	var count atomic.Int32
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := count.Add(1)
		attempts <- n
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(endpoint.Close)
	post(t, fake, "/bot"+token+"/setWebhook", url.Values{"url": {endpoint.URL}})
	fake.SendText(parent, "hi")
	<-attempts
	<-attempts
	err := fake.WaitFor(patience, func() bool {
		var info models.WebhookInfo
		r := post(t, fake, "/bot"+token+"/getWebhookInfo", nil)
		return json.Unmarshal(r.Result, &info) == nil && info.PendingUpdateCount == 0 && strings.Contains(info.LastErrorMessage, "500")
	})
	if err != nil {
		t.Error(err)
	}
}

func TestGetUpdatesOffsetLimitAndTimeout(t *testing.T) {
	fake := newFake(t)
	getUpdates := func(params url.Values) []models.Update {
		r := post(t, fake, "/bot"+token+"/getUpdates", params)
		var updates []models.Update
		if err := json.Unmarshal(r.Result, &updates); err != nil {
			t.Errorf("getUpdates: %+v: %v", r, err)
		}
		return updates
	}
	if got := getUpdates(url.Values{"timeout": {"0"}}); len(got) != 0 {
		t.Errorf("empty queue: %+v", got)
	}
	for _, text := range []string{"one", "two", "three"} {
		fake.SendText(parent, text)
	}
	if got := getUpdates(url.Values{"limit": {"2"}}); len(got) != 2 || got[0].Message.Text != "one" {
		t.Errorf("limit 2: %+v", got)
	}
	if got := getUpdates(url.Values{"offset": {"3"}}); len(got) != 1 || got[0].ID != 3 {
		t.Errorf("offset 3: %+v", got)
	}
	if got := getUpdates(url.Values{"offset": {"4"}, "timeout": {"0"}}); len(got) != 0 {
		t.Errorf("all confirmed: %+v", got)
	}

	waiting := make(chan []models.Update)
	go func() { waiting <- getUpdates(url.Values{"offset": {"4"}, "timeout": {"30"}}) }()
	fake.SendText(parent, "/today")
	select {
	case got := <-waiting:
		if len(got) != 1 || got[0].Message.Entities[0].Type != models.MessageEntityTypeBotCommand {
			t.Errorf("long poll: %+v", got)
		}
	case <-time.After(patience):
		t.Fatal("the long poll did not return with the new update")
	}
	fake.SendText(parent, "five")
	if got := getUpdates(url.Values{"offset": {"-1"}}); len(got) != 1 || got[0].ID != 5 {
		t.Errorf("offset -1: %+v", got)
	}
}

func TestTwoPollersConflict(t *testing.T) {
	fake := newFake(t)
	conflicts := make(chan error, 100)
	onError := bot.WithErrorsHandler(func(err error) {
		if errors.Is(err, bot.ErrorConflict) {
			select {
			case conflicts <- err:
			default:
			}
		}
	})
	run(t, newBot(t, fake, onError).Start)
	run(t, newBot(t, fake, onError).Start)
	select {
	case <-conflicts:
	case <-time.After(patience):
		t.Fatal("two bots polled without a 409")
	}
}

func TestSubscribe(t *testing.T) {
	fake := newFake(t)
	replies := fake.Subscribe()
	b := newBot(t, fake)
	if err := send(context.Background(), b, parent.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	select {
	case call := <-replies: // getMe is not delivered
		if call.Method != "sendMessage" || call.Message == nil || call.Message.Text != "hello" {
			t.Errorf("delivered: %+v", call)
		}
	case <-time.After(patience):
		t.Fatal("nothing delivered")
	}
	fake.Close()
	if _, open := <-replies; open {
		t.Error("the channel stays open after Close")
	}
}

func TestCloseEndsALongPoll(t *testing.T) {
	fake := newFake(t)
	fake.SendText(parent, "hi")
	run(t, newBot(t, fake, bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {})).Start)
	// Once the first poll has taken the update, the client is straight back with a 59 s one.
	if _, err := fake.WaitCalls("getUpdates", 1, patience); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		fake.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(patience):
		t.Fatal("Close waits for the long poll")
	}
}
