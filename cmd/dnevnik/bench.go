package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/cmd/internal/load"
)

// benchOptions are the flags of `dnevnik bench`, for both modes.
type benchOptions struct {
	rates    string
	duration time.Duration
	parents  int
	drain    time.Duration
	chart    string
	chats    int
	limit    int
	paid     bool
	latency  time.Duration
	stall    time.Duration
}

func benchCommand() command {
	var o benchOptions
	return command{
		name: "bench",
		args: "webhook [--rates 100,300,500,1000] [--duration 20s] [--parents 500] [--chart FILE] | broadcast [--chats 900] [--limit 30] [--paid] [--latency 100ms]",
		summary: "Drive a dnevnik bot (webhook) or worker (broadcast), started from this binary, from the outside as Telegram would, " +
			"against a built-in Bot API fake with Telegram's limits, on an imported district; report throughput, latency, 429s, " +
			"duplicates, losses and RSS.",
		// Redis for broadcast; the code secret is made up when not set.
		needs: needDatabase | mayRedis | maySecret,
		flags: o.declare,
		run:   o.run,
	}
}

func (o *benchOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.rates, "rates", "100,300,500,1000", "webhook: the updates a second offered, one step each")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "webhook: how long each rate is offered")
	fs.IntVar(&o.parents, "parents", 500, "webhook: linked guardians sending /today, /homework and /grades in turn")
	fs.DurationVar(&o.drain, "drain", 30*time.Second, "webhook: how long a step waits for its last answers; unanswered after it is lost")
	fs.StringVar(&o.chart, "chart", "", "webhook: write a PNG chart of reply latency against offered load here")
	fs.IntVar(&o.chats, "chats", 900, "broadcast: the linked guardians an announcement reaches")
	fs.IntVar(&o.limit, "limit", 30, "broadcast: Telegram's messages a second in all; 1000 with --paid")
	fs.BoolVar(&o.paid, "paid", false, "broadcast: the worker runs with TELEGRAM_PAID_BROADCAST (and --limit defaults to 1000)")
	fs.DurationVar(&o.latency, "latency", 0, "the Bot API's round trip (100ms is a real network's)")
	fs.DurationVar(&o.stall, "stall", time.Minute, "broadcast: stop waiting when no message arrived for so long")
}

func (o *benchOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "webhook" && args[0] != "broadcast") {
		return usageError{"bench takes a mode: webhook or broadcast"}
	}
	mode := args[0]
	// Flags after the mode, as people type them.
	fs := flag.NewFlagSet("bench "+mode, flag.ContinueOnError)
	o.declare(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	limitSet := false
	fs.Visit(func(f *flag.Flag) { limitSet = limitSet || f.Name == "limit" })
	if o.paid && !limitSet {
		o.limit = 1000
	}

	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary to start dnevnik from: %w", err)
	}
	secrets := e.cfg.CodeSecrets
	if len(secrets) == 0 {
		secrets = []string{randomSecret()}
	}
	// The process under test reads what this command read, whatever else the environment holds.
	env := append(os.Environ(), "DATABASE_URL="+e.cfg.DatabaseURL, "REDIS_URL="+strings.TrimSpace(e.cfg.getenv("REDIS_URL")),
		"DNEVNIK_SECRET="+strings.Join(secrets, ","), "LOG_LEVEL=warn")
	target := load.Target{Exe: exe, Env: env, Log: os.Stderr}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	district := load.District{DB: pool, Store: newStore(pool, secrets)}

	if mode == "broadcast" {
		return o.broadcast(ctx, e, target, district)
	}
	return o.webhook(ctx, e, target, district)
}

func (o *benchOptions) webhook(ctx context.Context, e *env, target load.Target, district load.District) error {
	var rates []int
	for f := range strings.SplitSeq(o.rates, ",") {
		r, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || r <= 0 {
			return usageError{fmt.Sprintf("--rates has %q, which is not a positive whole number", f)}
		}
		rates = append(rates, r)
	}
	if o.parents <= 0 || o.duration <= 0 {
		return usageError{"--parents and --duration must be above zero"}
	}
	steps, err := load.Webhook(ctx, target, district, load.WebhookOptions{Rates: rates, Duration: o.duration,
		Parents: o.parents, FirstUser: 8_000_000_000, Latency: o.latency, Drain: o.drain,
		RetryDelay: 100 * time.Millisecond, Log: os.Stderr})
	if len(steps) > 0 {
		if perr := load.PrintWebhook(e.stdout, steps); perr != nil {
			return perr
		}
		if o.chart != "" {
			if cerr := load.Chart(o.chart, steps); cerr != nil {
				return cerr
			}
		}
	}
	return err
}

func (o *benchOptions) broadcast(ctx context.Context, e *env, target load.Target, district load.District) error {
	if !e.cfg.Redis.set() {
		return usageError{"broadcast needs REDIS_URL: the worker's queue"}
	}
	if o.chats <= 0 || o.limit <= 0 {
		return usageError{"--chats and --limit must be above zero"}
	}
	r, err := load.Broadcast(ctx, target, district, load.BroadcastOptions{Chats: o.chats, FirstUser: 7_000_000_000,
		Limit: o.limit, Paid: o.paid, Latency: o.latency, Stall: o.stall, Log: os.Stderr,
		Wake: func(ctx context.Context, notices int) error { return wakeWorker(ctx, e, int64(notices)) }})
	if err != nil {
		return err
	}
	return load.PrintBroadcast(e.stdout, r)
}

// randomSecret is a code secret for a run that was given none: the tool and
// the process it starts share it.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
