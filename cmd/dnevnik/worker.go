package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/telegram"
)

func workerCommand() command {
	return processCommand("worker", false, 0,
		"Run the worker and the scheduler: evening digests and pushes, sent at Telegram's pace; /healthz on HTTP_ADDR, /metrics on METRICS_ADDR.")
}

func serveCommand() command {
	return processCommand("serve", true, needSecret|needWebhook|needViews|needPublic, "Run the bot, the worker and the scheduler in one process (the production default).")
}

// processCommand is a long-running command: the worker and the scheduler, and
// the bot too when withBot (which reads link codes: the secret is more).
func processCommand(name string, withBot bool, more needs, summary string) command {
	return command{
		name:    name,
		summary: summary,
		needs:   needDatabase | needRedis | needTelegram | needHTTP | needSending | needMetrics | needRetention | more,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{name + " takes no arguments"}
			}
			return runProcess(ctx, e, withBot)
		},
	}
}

// runProcess runs the worker and the scheduler, and the bot too when withBot, until
// ctx ends; each part stops within SHUTDOWN_TIMEOUT, finishing what it handles.
func runProcess(ctx context.Context, e *env, withBot bool) error {
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := newStore(pool, e.cfg.CodeSecrets)
	if withBot {
		closeReads, err := readViewsFrom(ctx, e, store)
		if err != nil {
			return err
		}
		defer closeReads()
	}
	queue := e.cfg.Redis
	rdb, err := queue.connect(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := jobs.NewMetrics(reg)
	// /metrics is for the school's monitoring, not for the internet: it has a
	// listener of its own, on loopback unless METRICS_ADDR says otherwise.
	metricsMux := http.NewServeMux()
	metricsMux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := pool.Ping(r.Context()); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})

	t := e.cfg.Telegram
	calendarURL := mountCalendar(mux, e, store)
	g, ctx := errgroup.WithContext(ctx)
	enqueue, stop, err := startWorker(ctx, g, e, workerParts{store: store, rdb: rdb, queue: queue, apiURL: t.APIURL,
		token: t.Token, rate: t.SendRate, paid: t.PaidBroadcast, metrics: metrics, retention: e.cfg.Retention})
	if err != nil {
		return err
	}
	webAppURL := mountWebApp(mux, e, store, enqueue)
	defer stop()
	g.Go(func() error { return watchQueues(ctx, asynq.NewInspector(queue), metrics) })
	if withBot {
		b, err := bot.New(ctx, store, bot.Options{Token: t.Token, APIURL: t.APIURL, WebhookSecret: t.WebhookSecret,
			MaxConnections: t.WebhookConnections, Logger: e.log,
			AfterUpdate: metrics.Update, CodeBrake: metrics.CodeBrake, Notices: enqueue, CalendarURL: calendarURL, WebAppURL: webAppURL,
			Outbox: enqueue})
		if err != nil {
			return err
		}
		if t.WebhookURL == "" {
			g.Go(func() error { return b.Poll(ctx) })
		} else if err := mountWebhook(ctx, mux, b, t.WebhookURL); err != nil {
			return err
		}
	}
	if e.cfg.HTTPAddr != "" {
		g.Go(func() error { return serveHTTP(ctx, e, "HTTP_ADDR", e.cfg.HTTPAddr, mux) })
	}
	if e.cfg.MetricsAddr != "" {
		g.Go(func() error { return serveHTTP(ctx, e, "METRICS_ADDR", e.cfg.MetricsAddr, metricsMux) })
	}
	e.log.Info("running", "bot", withBot, "http", e.cfg.HTTPAddr, "metrics", e.cfg.MetricsAddr)
	return g.Wait()
}

// workerParts is what a worker runs on.
type workerParts struct {
	store         *diary.Store
	rdb           redis.UniversalClient // the shared rate limits
	queue         asynq.RedisConnOpt
	apiURL, token string
	rate          float64
	paid          bool
	metrics       *jobs.Metrics // may be nil
	retention     time.Duration // zero: diary.DefaultRetention
}

// startWorker starts the task server and, in g, the scheduler, and returns
// the enqueuer of its tasks. stop waits for the tasks in flight.
func startWorker(ctx context.Context, g *errgroup.Group, e *env, w workerParts) (_ *jobs.Enqueuer, stop func(), err error) {
	client, err := tg.New(w.token, telegram.ClientOptions(w.apiURL, 0, e.log)...)
	if err != nil {
		return nil, nil, fmt.Errorf("telegram client: %w", err)
	}
	sender := jobs.NewSender(client, w.store, w.rdb, jobs.SenderConfig{
		Rate: w.rate, ChatInterval: time.Second, PaidBroadcast: w.paid, Metrics: w.metrics, Log: e.log})
	enqueuer := asynq.NewClient(w.queue)
	enqueue := jobs.NewEnqueuer(enqueuer)
	worker := jobs.NewWorker(w.store, telegram.NewCodec(w.token), sender, enqueue, w.metrics, e.log)
	server := asynq.NewServer(w.queue, worker.ServerConfig(asynq.Config{
		Concurrency:     sender.Concurrency(),
		ShutdownTimeout: e.cfg.ShutdownTimeout * 8 / 10,
		Logger:          asynqLogger{e.log},
	}))
	if err := server.Start(worker.Mux()); err != nil {
		enqueuer.Close()
		return nil, nil, fmt.Errorf("start the worker: %w", err)
	}
	scheduler := jobs.NewScheduler(w.store, enqueue, e.log)
	scheduler.Retention = w.retention
	g.Go(func() error { return scheduler.Run(ctx) })
	return enqueue, func() {
		server.Shutdown()
		enqueuer.Close()
	}, nil
}

// watchQueues reports how many tasks wait in each queue, every 15 s.
func watchQueues(ctx context.Context, in *asynq.Inspector, m *jobs.Metrics) error {
	defer in.Close()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		known, err := in.Queues()
		for _, q := range []string{jobs.QueueCompose, jobs.QueueSend} {
			switch {
			case err != nil: // Redis unreachable: keep the last figures
			case !slices.Contains(known, q): // no task has used it yet
				m.SetQueueDepth(q, 0)
			default:
				if info, err := in.GetQueueInfo(q); err == nil {
					m.SetQueueDepth(q, info.Pending+info.Scheduled+info.Retry)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// serveHTTP serves mux on addr (the setting name says which) until ctx ends,
// then lets requests in flight (a webhook update being handled) finish.
func serveHTTP(ctx context.Context, e *env, name, addr string, mux http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s %s: %w", name, addr, err)
	}
	return serveOn(ctx, e, name, ln, mux)
}

// serveOn is serveHTTP on a listener already open.
func serveOn(ctx context.Context, e *env, name string, ln net.Listener, mux http.Handler) error {
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	e.log.Info("http listening", "setting", name, "addr", ln.Addr().String())
	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownTimeout*8/10)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// asynqLogger sends asynq's own log lines to slog.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug(fmt.Sprint(args...), "component", "asynq") }
func (l asynqLogger) Info(args ...any)  { l.log.Info(fmt.Sprint(args...), "component", "asynq") }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn(fmt.Sprint(args...), "component", "asynq") }
func (l asynqLogger) Error(args ...any) { l.log.Error(fmt.Sprint(args...), "component", "asynq") }
func (l asynqLogger) Fatal(args ...any) { l.log.Error(fmt.Sprint(args...), "component", "asynq") }
