package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// The school of the fan-out benchmarks: the demo school with schoolPupils more
// pupils in schoolClasses homeroom classes, each pupil with two guardians
// linked to the bot (2,000 accounts), nobody else linked.
const (
	schoolPupils     = 1000
	schoolClasses    = 40
	schoolRecipients = 2 * schoolPupils
)

// schoolBench is a school at scale on a fresh database, with the clock pinned
// to a Thursday noon in Moscow: outside quiet hours, so nothing is held.
// rig does the same for tests, but it wants a *testing.T.
type schoolBench struct {
	b      *testing.B
	url    string
	db     *pgxpool.Pool // the benchmark's own connections
	store  *diary.Store  // on db
	now    time.Time
	school int64
}

func openSchoolBench(b *testing.B) *schoolBench {
	b.Helper()
	ctx := context.Background()
	s := &schoolBench{b: b, url: diarytest.NewURL(b), now: time.Date(2026, 11, 26, 12, 0, 0, 0, mustZone("Europe/Moscow"))}
	s.store, s.db = s.openStore()
	diarytest.SeedDemo(b, s.db, diary.Date(s.now, mustZone("Europe/Moscow")))
	// Guardians with Telegram ids (and chats) 2_000_000 + 10·i + 0 and + 1.
	bulk := diarytest.Bulk{School: demo.SchoolSourcedID, Classes: schoolClasses, Pupils: schoolPupils, FirstChat: 2_000_000, Prefix: "bench-"}
	if err := diarytest.AddBulk(ctx, s.db, bulk); err != nil {
		b.Fatal(err)
	}
	if err := s.db.QueryRow(ctx, `SELECT id FROM schools WHERE sourced_id = 'demo-school'`).Scan(&s.school); err != nil {
		b.Fatal(err)
	}
	return s
}

// openStore opens a store on a pool of its own, pgxpool's defaults as the
// worker process has them, on the pinned clock.
func (s *schoolBench) openStore() (*diary.Store, *pgxpool.Pool) {
	pool, err := pgxpool.New(context.Background(), s.url)
	if err != nil {
		s.b.Fatal(err)
	}
	s.b.Cleanup(pool.Close)
	store := diary.NewStore(pool)
	store.SetClock(func() time.Time { return s.now })
	return store, pool
}

// announce writes an announcement to the whole school's families, as a
// teacher's /announce does, not yet fanned out.
func (s *schoolBench) announce(body string) int64 {
	id, err := diarytest.AddNotice(context.Background(), s.db,
		diarytest.Notice{Kind: "announcement", School: demo.SchoolSourcedID, Body: body, At: s.now})
	if err != nil {
		s.b.Fatal(err)
	}
	return id
}

// poll asks every interval until done says so, for a minute at most.
func (s *schoolBench) poll(what string, interval time.Duration, done func(context.Context) (bool, error)) {
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for {
		ok, err := done(ctx)
		if err != nil {
			s.b.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			s.b.Fatalf("%s: not after a minute", what)
		}
		time.Sleep(interval)
	}
}

// An announcement to the whole school (class_id NULL, to the families):
// notices:due, the fan-out of 2,000 recipients in pages of 500, and 2,000
// sends through the sender and the outbox to the Bot API fake, end to end on a
// real asynq worker with an unlimited sender. An op ends when every message is
// recorded sent and both queues are empty.
//
// Reported: recipients/s, messages delivered per second over the ops;
// fanout-ms, from the enqueue of notices:due until the notice reads fanned out
// (what a teacher waits for before "delivered N of M" can count); and
// fanout-handler-ms, the notice:fanout handler alone, timed in the worker.
// The fan-out runs while the first sends already go out, as it does in
// production. The worker runs concurrency tasks at a time: 4 as the tests run
// it (jobstest.AsynqConfig), 20 as cmd/dnevnik ran it before it followed the
// rate. paid sends as a paid broadcast does, at the default rate and with the
// worker's own concurrency, over Telegram's round trip to a fake that refuses
// more than 1000 a second; it also reports the 429s. db=district adds 19
// schools' 38,000 linked guardians beside the school (see
// BenchmarkNoticeRecipients).
func BenchmarkAnnouncementToSchool(b *testing.B) {
	for _, db := range []struct {
		name         string
		otherSchools int
		workers      []fanOutWorker
	}{
		{"school", 0, []fanOutWorker{{concurrency: 4}, {concurrency: 20}, {paid: true}}},
		{"district", 19, []fanOutWorker{{concurrency: 20}}},
	} {
		b.Run("db="+db.name, func(b *testing.B) {
			for _, w := range db.workers {
				b.Run(w.String(), func(b *testing.B) { benchAnnouncement(b, db.otherSchools, w) })
			}
		})
	}
}

// fanOutWorker is how the announcement benchmark's worker sends.
type fanOutWorker struct {
	concurrency int  // tasks at a time, with no limit on sends
	paid        bool // a paid broadcast at the default rate over Telegram's round trip
}

func (w fanOutWorker) String() string {
	if w.paid {
		return "paid-over-100ms"
	}
	return fmt.Sprintf("concurrency=%d", w.concurrency)
}

func benchAnnouncement(b *testing.B, otherSchools int, worker fanOutWorker) {
	ctx := context.Background()
	s := openSchoolBench(b)
	s.addOtherSchools(otherSchools)
	fake := bottest.New(workerToken)
	b.Cleanup(fake.Close)
	queue := jobstest.Asynq(b)
	client := asynq.NewClient(queue)
	b.Cleanup(func() { client.Close() })
	enqueue := jobs.NewEnqueuer(client)
	inspect := asynq.NewInspector(queue)
	b.Cleanup(func() { inspect.Close() })

	// The worker process, built as cmd/dnevnik builds it but for the sender's
	// limits and asynq's polling intervals.
	rdb := redis.NewClient(&redis.Options{Addr: queue.Addr, Username: queue.Username, Password: queue.Password, DB: queue.DB})
	b.Cleanup(func() { rdb.Close() })
	tgClient, err := tg.New(workerToken, tg.WithServerURL(fake.URL()), tg.WithSkipGetMe(),
		tg.WithHTTPClient(0, telegram.NewHTTPClient(0)))
	if err != nil {
		b.Fatal(err)
	}
	workerStore, _ := s.openStore()
	sending, concurrency := jobs.SenderConfig{Rate: -1, ChatInterval: -1}, worker.concurrency
	if worker.paid {
		fake.SetLatency(telegramRoundTrip)
		fake.SetRateLimit(jobs.PaidLimit, 1)
		sending = jobs.SenderConfig{PaidBroadcast: true}
	}
	sender := jobs.NewSender(tgClient, workerStore, rdb, sending)
	if worker.paid {
		concurrency = sender.Concurrency()
	}
	w := jobs.NewWorker(workerStore, telegram.NewCodec(workerToken), sender, enqueue, nil, slog.New(slog.DiscardHandler))
	mux := w.Mux()
	var handlerTime atomic.Int64 // of the notice:fanout handler, in ns
	mux.Use(func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			if t.Type() != jobs.TypeFanOut {
				return next.ProcessTask(ctx, t)
			}
			start := time.Now()
			err := next.ProcessTask(ctx, t)
			handlerTime.Add(int64(time.Since(start)))
			return err
		})
	})
	cfg := jobstest.AsynqConfig()
	cfg.Concurrency = concurrency
	srv := asynq.NewServer(queue, w.ServerConfig(cfg))
	if err := srv.Start(mux); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Shutdown)

	var fanOutTime time.Duration
	ops := 0
	commandsBefore := redisCommands(b, rdb)
	for b.Loop() {
		ops++
		id := s.announce(fmt.Sprintf("Объявление №%d: завтра субботник, приходите к 9:00", ops))
		start := time.Now()
		if err := enqueue.NoticesDue(ctx); err != nil {
			b.Fatal(err)
		}
		s.poll("the fan-out", time.Millisecond, func(ctx context.Context) (done bool, err error) {
			err = s.db.QueryRow(ctx, `SELECT fanned_out_at IS NOT NULL FROM notices WHERE id = $1`, id).Scan(&done)
			return done, err
		})
		fanOutTime += time.Since(start)
		s.poll("the sends", 10*time.Millisecond, func(ctx context.Context) (bool, error) {
			p, err := s.store.NoticeProgress(ctx, id)
			if err != nil || p.Total != schoolRecipients {
				return false, fmt.Errorf("progress %+v, %v: want %d recipients", p, err, schoolRecipients)
			}
			return p.Delivered+p.Failed == p.Total, nil
		})
		s.poll("the queues", time.Millisecond, func(context.Context) (bool, error) {
			for _, q := range []string{jobs.QueueCompose, jobs.QueueSend} {
				info, err := inspect.GetQueueInfo(q)
				if err != nil {
					return false, err
				}
				if info.Pending+info.Active+info.Scheduled+info.Retry > 0 {
					return false, nil
				}
			}
			return true, nil
		})
	}
	elapsed := b.Elapsed()

	var sent, failed int
	err = s.db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status <> 'sent')
		FROM outbox WHERE kind = 'notice'`).Scan(&sent, &failed)
	if err != nil {
		b.Fatal(err)
	}
	if want := ops * schoolRecipients; sent != want || failed != 0 || len(fake.Calls("sendMessage")) != want {
		b.Fatalf("%d ops: %d sent, %d not, %d sendMessage calls; want %d each sent once",
			ops, sent, failed, len(fake.Calls("sendMessage")), want)
	}
	if worker.paid {
		b.ReportMetric(float64(fake.Throttled()), "429s")
	}
	b.ReportMetric(float64(redisCommands(b, rdb)-commandsBefore)/float64(sent), "redis-cmds/msg")
	b.ReportMetric(float64(sent)/elapsed.Seconds(), "recipients/s")
	b.ReportMetric(float64(fanOutTime)/1e6/float64(ops), "fanout-ms")
	b.ReportMetric(float64(handlerTime.Load())/1e6/float64(ops), "fanout-handler-ms")
}

// The recipients of an announcement to the whole school, read as the fan-out
// reads them: pages of 500 (four full ones and an empty fifth) through
// Store.NoticeRecipients (the candidates' query, then the accounts and their
// links checked by the access rule). An op is the whole school; page-ms is one
// page. In a database of the school alone, and in a district's: 19 more
// schools of 1,000 pupils whose 38,000 guardians are linked too (none of them
// a recipient).
func BenchmarkNoticeRecipients(b *testing.B) {
	for _, otherSchools := range []int{0, 19} {
		name := "school"
		if otherSchools > 0 {
			name = "district"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			s := openSchoolBench(b)
			s.addOtherSchools(otherSchools)
			n, err := s.store.LoadNotice(ctx, s.announce("Завтра субботник"))
			if err != nil {
				b.Fatal(err)
			}
			pages := 0
			for b.Loop() {
				recipients := 0
				for after := diary.AccountID(0); ; {
					page, next, err := s.store.NoticeRecipients(ctx, n, after, 500)
					if err != nil {
						b.Fatal(err)
					}
					pages++
					recipients += len(page)
					if next == 0 {
						break
					}
					after = next
				}
				if recipients != schoolRecipients {
					b.Fatalf("%d recipients, want %d", recipients, schoolRecipients)
				}
			}
			b.ReportMetric(float64(b.Elapsed())/1e6/float64(pages), "page-ms")
		})
	}
}

// addOtherSchools adds n schools beside the benchmark's, each of schoolPupils
// pupils with two guardians linked to the bot (Telegram ids from 10_000_000).
func (s *schoolBench) addOtherSchools(n int) {
	if n == 0 {
		return
	}
	other := diarytest.Bulk{Schools: n, Classes: 1, Pupils: schoolPupils, FirstChat: 10_000_000, Prefix: "other-"}
	if err := diarytest.AddBulk(context.Background(), s.db, other); err != nil {
		s.b.Fatal(err)
	}
}
