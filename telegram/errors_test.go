package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/telegram"
)

// Telegram's answers, as the client reports them, read as what to do.
func TestClassify(t *testing.T) {
	const token = "123:secret"
	fake := bottest.New(token)
	defer fake.Close()
	client, err := bot.New(token, bot.WithServerURL(fake.URL()), bot.WithSkipGetMe(),
		bot.WithHTTPClient(0, telegram.NewHTTPClient(0)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	send := func(text string) error {
		_, err := client.SendMessage(ctx, &bot.SendMessageParams{ChatID: 1, Text: text})
		return err
	}
	if err := send("hi"); err != nil {
		t.Fatal(err)
	}
	sent, _ := fake.LastMessage(1)
	_, notModified := client.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 1, MessageID: sent.ID, Text: "hi"})

	fake.FailNext("sendMessage", 1, bottest.RetryAfter(3))
	throttled := send("hi")
	fake.FailNext("sendMessage", 1, bottest.Blocked())
	blocked := send("hi")
	fake.FailNext("sendMessage", 1, bottest.ServerError())
	unavailable := send("hi")

	for _, c := range []struct {
		name        string
		err         error
		want        telegram.Failure
		notModified bool
	}{
		{"429", throttled, telegram.Failure{Kind: telegram.Throttled, RetryAfter: 3 * time.Second}, false},
		{"429 wrapped", fmt.Errorf("send: %w", throttled), telegram.Failure{Kind: telegram.Throttled, RetryAfter: 3 * time.Second}, false},
		{"403", blocked, telegram.Failure{Kind: telegram.Blocked}, false},
		{"400", send(strings.Repeat("я", 4097)), telegram.Failure{Kind: telegram.Rejected}, false},
		{"not modified", notModified, telegram.Failure{Kind: telegram.Rejected}, true},
		{"migrated", &bot.MigrateError{MigrateToChatID: -100}, telegram.Failure{Kind: telegram.Rejected}, false},
		{"500", unavailable, telegram.Failure{Kind: telegram.Unavailable}, false},
		{"network", fmt.Errorf("error do request: %w", context.DeadlineExceeded), telegram.Failure{Kind: telegram.Unavailable}, false},
	} {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got := telegram.Classify(c.err); got != c.want {
			t.Errorf("%s: Classify(%v) = %+v, want %+v", c.name, c.err, got, c.want)
		}
		if got := telegram.NotModified(c.err); got != c.notModified {
			t.Errorf("%s: NotModified(%v) = %v", c.name, c.err, got)
		}
	}
	if telegram.NotModified(nil) {
		t.Error("NotModified(nil)")
	}
}
