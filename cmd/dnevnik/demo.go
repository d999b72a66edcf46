package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/bot/bottest/chat"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/migrations"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// demoOptions are the flags of `dnevnik demo`.
type demoOptions struct {
	lang    string // the parent's Telegram language in the terminal chat, and the language of the introduction
	appAddr string // where the terminal demo serves the Mini App and its signing page (demo_webapp.go)
}

func demoCommand() command {
	var o demoOptions
	return command{
		name: "demo",
		args: "[--lang ru|en] [--app-addr HOST:PORT]",
		summary: "Seed a demo school into an empty database and run the bot on it: on Telegram when TELEGRAM_TOKEN is set,\n" +
			"otherwise against a fake Telegram, chatting in this terminal as a parent.",
		// Telegram too when TELEGRAM_TOKEN is set: see run.
		needs: needDatabase | maySecret | mayTelegram | mayRedis,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&o.lang, "lang", "ru", "the language of the introduction and the terminal parent's Telegram: ru or en")
			fs.StringVar(&o.appAddr, "app-addr", "localhost:8090", "where the terminal demo serves the Mini App, with a page at /demo/ that opens it as a parent or a teacher")
		},
		run: o.run,
	}
}

// demoInput is what the person types in the terminal chat; tests replace it.
var demoInput io.Reader = os.Stdin

// demoCodeTTL is how long the demo's codes work: the demo lasts an evening.
const demoCodeTTL = 24 * time.Hour

func (o *demoOptions) run(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) > 0:
		return usageError{fmt.Sprintf("unexpected argument %q: demo takes only flags", args[0])}
	case !slices.Contains(locales.Languages, o.lang):
		return usageError{fmt.Sprintf("--lang is %q; it must be one of %s", o.lang, strings.Join(locales.Languages, ", "))}
	}
	// Checked before seeding, so that a malformed token changes nothing.
	onTelegram := strings.TrimSpace(e.cfg.getenv("TELEGRAM_TOKEN")) != ""
	var tg telegramConfig
	if onTelegram {
		var errs []error
		if tg, errs = e.cfg.telegramAPI(); len(errs) > 0 {
			return usageError{errors.Join(errs...).Error()}
		}
	}

	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	secrets := e.cfg.CodeSecrets
	if len(secrets) == 0 { // the data is thrown away with the demo: so is its secret
		secrets = []string{rand.Text() + rand.Text()}
	}
	store := newStore(pool, secrets)
	codes, err := seedDemo(ctx, e, pool, store)
	if err != nil {
		return err
	}
	p := locales.For(o.lang)
	if onTelegram {
		return demoOnTelegram(ctx, e, store, tg, codes, p)
	}
	return o.demoInTerminal(ctx, e, store, codes, p)
}

// seedDemo migrates the database, seeds the demo school into it around today
// in Moscow, and issues a code for the parents of each pupil.
func seedDemo(ctx context.Context, e *env, pool *pgxpool.Pool, store *diary.Store) ([]diary.IssuedCode, error) {
	db, migrator, err := migrations.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := migrateUp(ctx, migrator, e.stdout); err != nil {
		return nil, err
	}
	// Seeding a second school's people over a real one would mix them: refuse.
	var taken bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schools)`).Scan(&taken); err != nil {
		return nil, fmt.Errorf("look for schools in the database: %w", err)
	}
	if taken {
		return nil, errors.New("the database already has a school in it; the demo seeds only an empty database " +
			"(make demo starts a throwaway PostgreSQL for it when DATABASE_URL is unset)")
	}
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		return nil, fmt.Errorf("the demo school's time zone: %w", err)
	}
	today := diary.Date(time.Now(), moscow)
	fmt.Fprintf(e.stdout, "seeding the demo school around %s\n", today.Format(time.DateOnly))
	if _, err := demo.Seed(ctx, pool, today); err != nil {
		return nil, err
	}
	var codes []diary.IssuedCode
	for _, class := range []string{demo.Class7A, demo.Class7B} {
		issued, err := store.IssueClassCodes(ctx, class, diary.RoleGuardian, demoCodeTTL)
		if err != nil {
			return nil, fmt.Errorf("issue codes for class %s: %w", class, err)
		}
		codes = append(codes, issued...)
	}
	return codes, nil
}

// demoOnTelegram prints every parent's code with its link to the bot, then
// serves the bot by long polling until ctx ends.
func demoOnTelegram(ctx context.Context, e *env, store *diary.Store, tg telegramConfig, codes []diary.IssuedCode, p *locales.Printer) error {
	b, err := bot.New(ctx, store, bot.Options{Token: tg.Token, APIURL: tg.APIURL, Logger: e.log})
	if err != nil {
		return err
	}
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	for _, c := range codes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Class, render.FullName(c.Person), diary.FormatCode(c.Code), bot.StartLink(b.Username(), c.Code))
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\n%s\n", p.T("demo_live", "Bot", b.Username(), "Codes", table.String()))
	return b.Poll(ctx)
}

// fakeToken is the fake Telegram's bot token, shaped like a real one.
const fakeToken = "100000001:demo-token-of-the-fake-telegram"

// demoInTerminal runs the bot against a fake Telegram and lets the person at
// the terminal chat with it as Ольга Алёшина, the mother of Дарья and Максим,
// until the input ends or ctx does.
func (o *demoOptions) demoInTerminal(ctx context.Context, e *env, store *diary.Store, codes []diary.IssuedCode, p *locales.Printer) error {
	fake := bottest.New(fakeToken)
	defer fake.Close()
	parent := bottest.User{ID: 100500, FirstName: "Ольга", LanguageCode: o.lang}
	digestAt, err := scheduleDemoDigest(ctx, store, parent)
	if err != nil {
		return err
	}
	c := chat.New(fake, parent, e.stdout, chat.Options{Printer: p, Styled: isTerminal(e.stdout), Echo: !isTerminal(demoInput)})
	teacherCode, err := demoTeacherCode(ctx, store)
	if err != nil {
		return err
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	// The worker sends the digest and the teacher's notices into the same
	// chat, as it would on Telegram.
	rdb, queue, closeRedis, err := demoRedis(e.cfg.Redis)
	if err != nil {
		return err
	}
	defer closeRedis()
	g, gctx := errgroup.WithContext(ctx)
	enqueue, stopWorker, err := startWorker(gctx, g, e, workerParts{store: store, rdb: rdb, queue: queue,
		apiURL: fake.URL(), token: fakeToken, rate: 25})
	if err != nil {
		return err
	}
	b, err := bot.New(ctx, store, bot.Options{Token: fakeToken, APIURL: fake.URL(), PollTimeout: 2 * time.Second,
		Logger: e.log, AfterUpdate: func(string, time.Duration, error) { c.Handled() }, Notices: enqueue, Outbox: enqueue})
	if err != nil {
		stopWorker()
		return err
	}

	appPage, err := serveDemoApp(gctx, g, e, store, o.appAddr, o.lang)
	if err != nil {
		stopWorker()
		return err
	}

	var hers strings.Builder
	for _, code := range codes {
		if code.PersonSourceID == demo.Dasha || code.PersonSourceID == demo.Maxim {
			fmt.Fprintf(&hers, "  %s, %s: %s\n", render.ChildName(code.Person), code.Class, diary.FormatCode(code.Code))
		}
	}
	fmt.Fprintf(e.stdout, "\n%s\n%s\n%s\n%s\n", p.T("demo_intro", "Codes", hers.String()),
		p.T("demo_teacher", "Code", diary.FormatCode(teacherCode)), p.T("demo_digest_at", "Time", digestAt.String()),
		p.T("webapp_family_demo_open", "URL", appPage))
	g.Go(func() error {
		err := b.Poll(gctx)
		stop() // a bot that stopped polling would never answer
		return err
	})
	err = c.Run(ctx, demoInput)
	stop()
	stopWorker()
	return errors.Join(err, g.Wait())
}

// demoTeacherCode issues the code of the demo's class teacher, for the
// person at the terminal to try the teacher's side too.
func demoTeacherCode(ctx context.Context, store *diary.Store) (string, error) {
	codes, err := store.IssueTeacherCodes(ctx, demo.SchoolSourcedID, demoCodeTTL)
	if err != nil {
		return "", fmt.Errorf("issue the teachers' codes: %w", err)
	}
	for _, c := range codes {
		if c.PersonSourceID == demo.TeacherMat {
			return c.Code, nil
		}
	}
	return "", fmt.Errorf("no code for the demo's class teacher %s", demo.TeacherMat)
}

// demoDigestDelay is how soon after the start the demo's digest comes.
const demoDigestDelay = 2 * time.Minute

// scheduleDemoDigest makes the parent's account ahead of her first message, with
// her digest a little after now (Moscow time), so the demo shows a push: an
// evening one, or a morning one when the demo runs in the morning.
func scheduleDemoDigest(ctx context.Context, store *diary.Store, parent bottest.User) (diary.Clock, error) {
	acc, err := store.TouchAccount(ctx, parent.ID, parent.ID, locales.Pick(parent.LanguageCode))
	if err != nil {
		return 0, err
	}
	moscow, err := time.LoadLocation("Europe/Moscow") // the demo school's zone
	if err != nil {
		return 0, err
	}
	local := store.Now().Add(demoDigestDelay).In(moscow)
	acc.Settings.DigestTime = diary.Clock(local.Hour()*60 + local.Minute())
	acc.Settings.QuietFrom, acc.Settings.QuietTo = 0, 0 // a demo at night shows it too
	acc.Settings.DigestWhenEmpty = true                 // and on a Saturday, with nothing new
	return acc.Settings.DigestTime, store.SaveSettings(ctx, acc.ID, acc.Settings)
}

// demoRedis is the Redis at REDIS_URL or, without one, an in-process miniredis:
// asynq's scripts run on it as on Redis, and the demo needs nothing installed.
func demoRedis(conn redisConn) (redis.UniversalClient, asynq.RedisConnOpt, func(), error) {
	if conn.set() {
		rdb := conn.client()
		return rdb, conn, func() { rdb.Close() }, nil
	}
	mini, err := miniredis.Run()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("start an in-process Redis: %w", err)
	}
	opts := &redis.Options{Addr: mini.Addr()}
	rdb := redis.NewClient(opts)
	return rdb, asynq.RedisClientOpt{Addr: opts.Addr}, func() { rdb.Close(); mini.Close() }, nil
}

// isTerminal reports whether v is a terminal rather than a pipe, a file or a buffer.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
