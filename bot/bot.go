// Package bot is Dnevnik's Telegram front end: it turns what a parent, a pupil or a
// teacher types or taps into questions to the diary and answers in their language.
//
// Every update is handled to completion inside the client's worker that received
// it (go-telegram/bot's WithNotAsyncHandlers), so stopping the client waits for
// the handlers in flight. In webhook mode an update is answered only after it was
// handled, so a crash loses nothing Telegram will not send again.
package bot

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/telegram"
)

// Options configure a Bot.
type Options struct {
	Token         string
	APIURL        string // the Bot API server; empty: Telegram's
	WebhookSecret string // checked on every webhook request; required for webhook mode
	// MaxConnections is how many connections Telegram may open at once to post
	// updates to the webhook (setWebhook's max_connections); 0: Telegram's 40.
	MaxConnections int
	// Workers is how many updates are handled at once, in both modes: polling
	// fetches no more while they are busy and as many wait; a webhook request
	// waits for one. 0: DefaultWorkers.
	Workers int
	Logger  *slog.Logger
	// PollTimeout is how long one getUpdates waits; 0: a minute.
	PollTimeout time.Duration
	// AfterUpdate, if set, is called when an update has been handled, with how
	// long it took: for metrics, and for tests to know the bot is done.
	AfterUpdate func(kind string, took time.Duration, err error)
	// CodeBrake, if set, is called each time a code check is slowed down by a
	// flood of wrong codes (diary.CodeFlood): for metrics.
	CodeBrake func()
	// Notices, if set, is told when the bot wrote a notice (a teacher's
	// announcement) so its fan-out starts at once; without it, the scheduler
	// starts it within a minute.
	Notices Notifier
	// CalendarURL is where the calendar feeds are reached from outside:
	// PUBLIC_URL and the feeds' path; /calendar gives the address with a
	// token after it. Empty: the school has not enabled calendars.
	CalendarURL string
	// WebAppURL is the Mini App's public address (WEBAPP_URL): the menu
	// button opens it, and an «📖 Открыть дневник» button under /today,
	// /schedule and /grades. Empty: no Mini App.
	WebAppURL string
	// Outbox, if set, is given each message a person wrote to another (a
	// family's question, a teacher's answer) so it goes out at once, or
	// when it is due; without it, the worker's sweep finds it within a minute.
	Outbox OutboxQueue
}

// OutboxQueue enqueues the send of an outbox row, not before due (zero:
// now). jobs.Enqueuer is one.
type OutboxQueue interface {
	Send(ctx context.Context, message int64, due time.Time) error
}

// Notifier starts the fan-out of the notices that are due. jobs.Enqueuer is one.
type Notifier interface {
	NoticesDue(ctx context.Context) error
}

// Bot answers Telegram updates from the diary.
type Bot struct {
	store    Diary
	client   *tg.Bot
	log      *slog.Logger
	username string
	codec    telegram.Codec
	secret   string
	after    func(kind string, took time.Duration, err error)
	braked   func() // a code check slowed down by a flood; may be nil
	notices  Notifier
	calendar string // Options.CalendarURL
	webApp   string // Options.WebAppURL
	outbox   OutboxQueue
	maxConns int
	slots    chan struct{} // one per update a webhook request may handle at once
	admitted chan struct{} // one per webhook request handled or waiting for a slot
}

// telegramMaxConnections is Telegram's max_connections when setWebhook
// names none.
const telegramMaxConnections = 40

// DefaultWorkers is how many updates a bot handles at once unless told.
const DefaultWorkers = 8

// defaultPollTimeout is how long one getUpdates waits without
// Options.PollTimeout: go-telegram/bot's default.
const defaultPollTimeout = time.Minute

// handlerTimeout bounds the work on one update; shutdown waits at most this long
// for a handler already running.
const handlerTimeout = 30 * time.Second

// New connects to the Bot API (getMe) and returns a bot ready to poll or to serve
// a webhook.
func New(ctx context.Context, store Diary, o Options) (*Bot, error) {
	b := &Bot{store: store, log: o.Logger, secret: o.WebhookSecret, codec: telegram.NewCodec(o.Token), after: o.AfterUpdate,
		braked: o.CodeBrake, notices: o.Notices, calendar: o.CalendarURL, webApp: o.WebAppURL, outbox: o.Outbox, maxConns: o.MaxConnections}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	b.slots = make(chan struct{}, workers)
	// As many requests as Telegram opens connections may wait; beyond them a
	// poster that is not Telegram (or a Telegram told otherwise) is refused at
	// once rather than held in memory.
	b.admitted = make(chan struct{}, max(workers, cmp.Or(o.MaxConnections, telegramMaxConnections)))
	// getMe is called below, with the caller's context.
	opts := append(telegram.ClientOptions(o.APIURL, cmp.Or(o.PollTimeout, defaultPollTimeout), b.log),
		tg.WithDefaultHandler(b.handle), tg.WithNotAsyncHandlers(), tg.WithWorkers(workers),
		tg.WithUpdatesChannelCap(workers)) // polling fetches no more while workers updates wait
	client, err := tg.New(o.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	me, err := client.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("ask Telegram who the bot is (getMe): %w", err)
	}
	b.client, b.username = client, me.Username
	return b, nil
}

// Username is the bot's Telegram username, for t.me links.
func (b *Bot) Username() string { return b.username }

// Poll receives updates by long polling until ctx ends, then waits for the
// handlers in flight.
func (b *Bot) Poll(ctx context.Context) error {
	_, err := b.client.DeleteWebhook(ctx, &tg.DeleteWebhookParams{})
	if err == nil {
		err = b.SetCommands(ctx)
	}
	if ctx.Err() != nil {
		return nil // asked to stop while starting
	}
	if err != nil {
		return fmt.Errorf("start polling: %w", err)
	}
	b.log.Info("bot polling", "username", b.username)
	b.client.Start(ctx)
	return nil
}

// RegisterWebhook tells Telegram to post updates to url with the secret.
func (b *Bot) RegisterWebhook(ctx context.Context, url string) error {
	if b.secret == "" {
		return errors.New("webhook mode needs a secret token")
	}
	_, err := b.client.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: b.secret, MaxConnections: b.maxConns})
	if err != nil {
		return fmt.Errorf("register webhook (setWebhook): %w", err)
	}
	if err := b.SetCommands(ctx); err != nil {
		return err
	}
	b.log.Info("bot webhook registered", "username", b.username)
	return nil
}

// WebhookHandler receives updates posted by Telegram. A request without the
// secret token is answered 401 (compared in constant time); an update is
// answered 200 once handled, so Telegram redelivers what a crash interrupted.
// Beyond max_connections requests at once, one is answered 503 at once:
// Telegram posts it again.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if b.secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		select {
		case b.admitted <- struct{}{}:
			defer func() { <-b.admitted }()
		default: // Telegram posts a refused update again
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var upd models.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&upd); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		// At most Workers at once; one that Telegram gives up on while it waits
		// is not handled, and Telegram posts it again.
		select {
		case b.slots <- struct{}{}:
			defer func() { <-b.slots }()
		case <-r.Context().Done():
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		// Not the request's context: a handler should finish even if Telegram
		// hangs up, as it would when polling.
		b.client.ProcessUpdate(context.WithoutCancel(r.Context()), &upd)
		w.WriteHeader(http.StatusOK)
	})
}

// handle is the entry point of every update.
func (b *Bot) handle(ctx context.Context, _ *tg.Bot, upd *models.Update) {
	// Shutdown cancels ctx; an update already being handled is finished.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerTimeout)
	defer cancel()
	start := time.Now()
	kind, err := b.route(ctx, upd)
	took := time.Since(start)
	if err != nil {
		// Ids only: never names, grades or message text.
		b.log.Error("update failed", "update", upd.ID, "kind", kind, "err", err)
	} else {
		b.log.Debug("update handled", "update", upd.ID, "kind", kind, "took", took)
	}
	if b.after != nil {
		b.after(kind, took, err)
	}
}
