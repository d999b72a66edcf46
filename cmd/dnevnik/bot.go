package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/calendar"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/webapp"
)

func botCommand() command {
	return command{
		name:    "bot",
		summary: "Run the Telegram bot: long polling, or a webhook on HTTP_ADDR when TELEGRAM_WEBHOOK_URL is set.",
		needs:   needDatabase | needViews | needTelegram | needWebhook | needHTTP | needSecret | needPublic,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"bot takes no arguments"}
			}
			pool, err := openPool(ctx, e.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			store := newStore(pool, e.cfg.CodeSecrets)
			closeReads, err := readViewsFrom(ctx, e, store)
			if err != nil {
				return err
			}
			defer closeReads()
			return runBot(ctx, e, store)
		},
	}
}

// runBot serves the bot until ctx ends; it returns once the handlers in flight
// have finished. HTTP_ADDR, when set, serves /healthz, the calendar feeds and
// the webhook; a bot that polls serves them too.
func runBot(ctx context.Context, e *env, store *diary.Store) error {
	t := e.cfg.Telegram
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	b, err := bot.New(ctx, store, bot.Options{Token: t.Token, APIURL: t.APIURL, WebhookSecret: t.WebhookSecret,
		MaxConnections: t.WebhookConnections, Logger: e.log, CalendarURL: mountCalendar(mux, e, store),
		WebAppURL: mountWebApp(mux, e, store, nil)})
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	if t.WebhookURL == "" {
		g.Go(func() error { return b.Poll(ctx) })
	} else if err := mountWebhook(ctx, mux, b, t.WebhookURL); err != nil {
		return err
	}
	if e.cfg.HTTPAddr != "" {
		g.Go(func() error { return serveHTTP(ctx, e, "HTTP_ADDR", e.cfg.HTTPAddr, mux) })
	}
	return g.Wait()
}

// mountCalendar serves the calendar feeds on mux when PUBLIC_URL is set, and
// returns the start of the addresses /calendar gives; empty: calendars off.
func mountCalendar(mux *http.ServeMux, e *env, store *diary.Store) string {
	if e.cfg.PublicURL == "" {
		return ""
	}
	u, _ := url.Parse(e.cfg.PublicURL) // checked by loadConfig
	mux.Handle(calendar.Path, calendar.Handler(store, u.Hostname(), e.log))
	return e.cfg.PublicURL + calendar.Path
}

// mountWebApp serves the Mini App on mux when WEBAPP_URL is set, and returns
// its public address; empty: no Mini App.
func mountWebApp(mux *http.ServeMux, e *env, store *diary.Store, notices webapp.Notifier) string {
	if e.cfg.WebAppURL == "" {
		return ""
	}
	mux.Handle(webapp.Path, webapp.New(store, webapp.Options{Token: e.cfg.Telegram.Token, Log: e.log, Notices: notices}))
	return e.cfg.WebAppURL
}

// mountWebhook receives updates at the webhook URL's path and tells Telegram to
// post them there. Telegram retries a delivery that finds no listener yet.
func mountWebhook(ctx context.Context, mux *http.ServeMux, b *bot.Bot, webhookURL string) error {
	u, err := url.Parse(webhookURL)
	if err != nil {
		return fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux.Handle(path, b.WebhookHandler())
	return b.RegisterWebhook(ctx, webhookURL)
}

// newStore is the diary on the pool, its link codes stored under the secrets.
func newStore(pool *pgxpool.Pool, secrets []string) *diary.Store {
	store := diary.NewStore(pool)
	store.UseCodeSecrets(secrets...)
	return store
}

// readViewsFrom sends the store's views to DATABASE_READ_URL when it is set;
// the returned func closes that pool.
func readViewsFrom(ctx context.Context, e *env, store *diary.Store) (closePool func(), err error) {
	if e.cfg.DatabaseReadURL == "" {
		return func() {}, nil
	}
	replica, err := connectPool(ctx, "DATABASE_READ_URL", e.cfg.DatabaseReadURL)
	if err != nil {
		return nil, err
	}
	store.ReadViewsFrom(replica)
	return replica.Close, nil
}

// openPool connects to PostgreSQL at DATABASE_URL (connectPool).
func openPool(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	return connectPool(ctx, "DATABASE_URL", databaseURL)
}

// connectPool connects to PostgreSQL and checks that it answers, so a wrong
// URL fails with one clear line naming the setting.
func connectPool(ctx context.Context, setting, databaseURL string) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		cfg := pool.Config().ConnConfig
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s:%d/%s (%s): %w", cfg.Host, cfg.Port, cfg.Database, setting, err)
	}
	return pool, nil
}
