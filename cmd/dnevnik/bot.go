package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/diary"
)

func botCommand() command {
	return command{
		name:    "bot",
		summary: "Run the Telegram bot: long polling, or a webhook on HTTP_ADDR when TELEGRAM_WEBHOOK_URL is set.",
		needs:   needDatabase | needTelegram,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"bot takes no arguments"}
			}
			pool, err := openPool(ctx, e.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			return runBot(ctx, e, diary.NewStore(pool))
		},
	}
}

// runBot serves the bot until ctx ends; it returns once the handlers in flight
// have finished.
func runBot(ctx context.Context, e *env, store *diary.Store) error {
	t := e.cfg.Telegram
	b, err := bot.New(ctx, store, bot.Options{Token: t.Token, APIURL: t.APIURL, WebhookSecret: t.WebhookSecret, Logger: e.log})
	if err != nil {
		return err
	}
	if t.WebhookURL == "" {
		return b.Poll(ctx)
	}
	return serveWebhook(ctx, e, b)
}

// serveWebhook listens on HTTP_ADDR at the webhook URL's path, registers the
// webhook, and on shutdown lets requests in flight (and their handlers) finish.
func serveWebhook(ctx context.Context, e *env, b *bot.Bot) error {
	u, err := url.Parse(e.cfg.Telegram.WebhookURL)
	if err != nil {
		return fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, b.WebhookHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", e.cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	e.log.Info("webhook listening", "addr", ln.Addr().String(), "path", path)
	if err := b.RegisterWebhook(ctx, e.cfg.Telegram.WebhookURL); err != nil {
		srv.Close()
		return err
	}
	select {
	case err := <-served:
		return fmt.Errorf("webhook server: %w", err)
	case <-ctx.Done():
	}
	// Most of SHUTDOWN_TIMEOUT goes to requests in flight; run() gives up after all of it.
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownTimeout*9/10)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("webhook shutdown: %w", err)
	}
	return nil
}

// openPool connects to PostgreSQL and checks that it answers, so a wrong URL
// fails with one clear line.
func openPool(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		cfg := pool.Config().ConnConfig
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	return pool, nil
}
