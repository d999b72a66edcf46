package jobs_test

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
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

const workerToken = "654321:WORKER-token-for-the-fake-api-0"

// rig is the worker on real PostgreSQL and Redis, sending to the Bot API fake,
// with the demo school seeded and the clock pinned.
type rig struct {
	t        *testing.T
	db       *pgxpool.Pool
	store    *diary.Store
	fake     *bottest.Server
	queue    asynq.RedisClientOpt
	enqueue  *jobs.Enqueuer
	inspect  *asynq.Inspector
	now      atomic.Pointer[time.Time]  // the pinned clock, moved by the test while the worker reads it
	accounts map[string]diary.AccountID // by the demo pupil they are linked to
	logs     io.Writer                  // the worker's log, if set before it starts
}

func newRig(t *testing.T, now time.Time) *rig {
	t.Helper()
	t.Parallel()
	r := &rig{t: t, db: diarytest.New(t), fake: bottest.New(workerToken), queue: jobstest.Asynq(t),
		accounts: map[string]diary.AccountID{}}
	t.Cleanup(r.fake.Close)
	r.store = diary.NewStore(r.db)
	r.setNow(now)
	r.store.SetClock(func() time.Time { return *r.now.Load() })
	diarytest.SeedDemo(t, r.db, diary.Date(now, mustZone("Europe/Moscow")))
	client := asynq.NewClient(r.queue)
	t.Cleanup(func() { client.Close() })
	r.enqueue = jobs.NewEnqueuer(client)
	r.inspect = asynq.NewInspector(r.queue)
	t.Cleanup(func() { r.inspect.Close() })
	return r
}

// setNow moves the pinned clock.
func (r *rig) setNow(t time.Time) { r.now.Store(&t) }

// link gives a demo pupil a parent account (Telegram id = chat id = tgID).
func (r *rig) link(pupil string, tgID int64) diary.AccountID {
	return r.linkAs(pupil, tgID, diary.RoleGuardian)
}

// linkAs links a new account (Telegram id = chat id = tgID) to a demo pupil in
// the role: a guardian or the pupil themself.
func (r *rig) linkAs(pupil string, tgID int64, role diary.Role) diary.AccountID {
	r.t.Helper()
	ctx := context.Background()
	class := demo.Class7A
	if pupil == demo.Maxim {
		class = demo.Class7B
	}
	codes, err := r.store.IssueClassCodes(ctx, class, role, time.Hour)
	if err != nil {
		r.t.Fatal(err)
	}
	acc, err := r.store.TouchAccount(ctx, tgID, tgID, "ru")
	if err != nil {
		r.t.Fatal(err)
	}
	for _, c := range codes {
		if c.PersonSourceID == pupil {
			if _, err := r.store.Redeem(ctx, acc.ID, tgID, c.Code); err != nil {
				r.t.Fatal(err)
			}
		}
	}
	r.accounts[pupil] = acc.ID
	return acc.ID
}

// startWorker runs a worker process until the test ends, sending as fast as
// the fake takes it.
func (r *rig) startWorker() {
	r.runWorker(jobs.SenderConfig{Rate: 1000, ChatInterval: -1})
}

// runWorker runs a worker process with the sender's configuration until stop
// or the end of the test, whichever comes first.
func (r *rig) runWorker(cfg jobs.SenderConfig) (stop func()) {
	r.t.Helper()
	// The sender's rate limits live in the queue's Redis database.
	rdb := redis.NewClient(&redis.Options{Addr: r.queue.Addr, DB: r.queue.DB})
	r.t.Cleanup(func() { rdb.Close() })
	client, err := tg.New(workerToken, tg.WithServerURL(r.fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		r.t.Fatal(err)
	}
	out := diarytest.LogWriter(r.t, r.db, workerToken)
	if r.logs != nil {
		out = io.MultiWriter(out, r.logs)
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Log = cmp.Or(cfg.Log, log)
	sender := jobs.NewSender(client, r.store, rdb, cfg)
	w := jobs.NewWorker(r.store, telegram.NewCodec(workerToken), sender, r.enqueue, nil, log)
	srv := asynq.NewServer(r.queue, w.ServerConfig(jobstest.AsynqConfig()))
	if err := srv.Start(w.Mux()); err != nil {
		r.t.Fatal(err)
	}
	stop = sync.OnceFunc(srv.Shutdown)
	r.t.Cleanup(stop)
	return stop
}

// tick runs one scheduler tick at the pinned time.
func (r *rig) tick() {
	r.t.Helper()
	s := jobs.NewScheduler(r.store, r.enqueue, diarytest.Logger(r.t, r.db))
	if err := s.Tick(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

// settle waits until both queues hold nothing pending, active or to retry. asynq
// has no notification for that: poll the queues, with a deadline.
func (r *rig) settle() {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		busy := false
		for _, q := range []string{jobs.QueueCompose, jobs.QueueSend} {
			if info, err := r.inspect.GetQueueInfo(q); err == nil && info.Pending+info.Active+info.Retry > 0 {
				busy = true
			}
		}
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("the queues did not drain in 15 s")
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// 19:00 in Moscow on Thursday 26 November 2026.
var digestTime = time.Date(2026, 11, 26, 19, 0, 0, 0, mustZone("Europe/Moscow"))

func TestDigestFiresOncePerAccount(t *testing.T) {
	// 19:00 in Yekaterinburg comes first: 17:00 in Moscow.
	r := newRig(t, time.Date(2026, 11, 26, 19, 0, 0, 0, mustZone("Asia/Yekaterinburg")))
	ctx := context.Background()
	r.link(demo.Dasha, 101)
	ekb := r.link(demo.Petya, 102)
	if _, err := r.db.Exec(ctx, `UPDATE accounts SET time_zone = 'Asia/Yekaterinburg' WHERE id = $1`, ekb); err != nil {
		t.Fatal(err)
	}
	r.startWorker()
	r.tick()
	r.settle()
	if sent := r.fake.Sent(102); len(sent) != 1 || !strings.Contains(sent[0].Text, "пт, 27 ноября") {
		t.Fatalf("Yekaterinburg at its 19:00: %q", texts(r.fake, 102))
	}
	if n := len(r.fake.Sent(101)); n != 0 {
		t.Errorf("Moscow's account got %d messages at 17:00 Moscow time", n)
	}

	// Two schedulers tick Moscow's 19:00, twice.
	r.setNow(digestTime)
	r.tick()
	r.tick()
	r.settle()
	if sent := r.fake.Sent(101); len(sent) != 1 || !strings.Contains(sent[0].Text, "пт, 27 ноября") {
		t.Fatalf("Moscow at 19:00: %q", texts(r.fake, 101))
	}

	// asynq runs a task at least once: run the minute's work again from scratch.
	if _, err := r.db.Exec(ctx, `DELETE FROM digest_minutes`); err != nil {
		t.Fatal(err)
	}
	r.tick()
	r.settle()
	if n, m := len(r.fake.Sent(101)), len(r.fake.Sent(102)); n != 1 || m != 1 {
		t.Errorf("after the minutes ran again: %d and %d messages, want 1 each", n, m)
	}
}

// A digest due inside quiet hours is held, not dropped, and goes out when
// released.
func TestQuietHoursHoldTheDigest(t *testing.T) {
	// A Thursday far enough ahead that the hold lies in asynq's future.
	r := newRig(t, time.Date(2037, 11, 26, 19, 0, 0, 0, mustZone("Europe/Moscow")))
	ctx := context.Background()
	acc := r.link(demo.Dasha, 201)
	if _, err := r.db.Exec(ctx, `UPDATE accounts SET quiet_from = '18:00', quiet_to = '07:30' WHERE id = $1`, acc); err != nil {
		t.Fatal(err)
	}
	r.startWorker()
	r.tick()
	r.settle()
	if n := len(r.fake.Sent(201)); n != 0 {
		t.Fatalf("%d messages inside quiet hours", n)
	}
	held, err := r.inspect.ListScheduledTasks(jobs.QueueSend)
	if err != nil || len(held) != 1 {
		t.Fatalf("held tasks: %d, %v", len(held), err)
	}
	if want := time.Date(2037, 11, 27, 7, 30, 0, 0, mustZone("Europe/Moscow")); !held[0].NextProcessAt.Equal(want) {
		t.Errorf("held until %v, want %v", held[0].NextProcessAt, want)
	}
	// The quiet hours end: the task runs.
	r.setNow(time.Date(2037, 11, 27, 7, 30, 0, 0, mustZone("Europe/Moscow")))
	if err := r.inspect.RunTask(jobs.QueueSend, held[0].ID); err != nil {
		t.Fatal(err)
	}
	r.settle()
	if n := len(r.fake.Sent(201)); n != 1 {
		t.Errorf("after the quiet hours: %d messages", n)
	}
}

// On Sunday the weekly summary follows the digest, with a sign button that the
// bot's codec reads.
func TestWeeklySummaryOnSunday(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 19, 0, 0, 0, mustZone("Europe/Moscow"))
	r := newRig(t, sunday)
	account := r.link(demo.Dasha, 301)
	r.startWorker()
	r.tick()
	r.settle()
	var weekly *bottest.Message
	for _, m := range r.fake.Sent(301) {
		if m.ReplyMarkup != nil {
			weekly = &m
		}
	}
	if weekly == nil {
		t.Fatalf("no weekly summary with a button: %q", texts(r.fake, 301))
	}
	data := weekly.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	pressed, err := telegram.NewCodec(workerToken).Decode(data)
	if err != nil || pressed.Kind != telegram.ButtonSign || telegram.ArgDate(pressed.Args[1]).Weekday() != time.Monday {
		t.Errorf("sign button %q: %+v, %v", data, pressed, err)
	}
	// The next row opens the child's grades of the term in a new message.
	rows := weekly.ReplyMarkup.InlineKeyboard
	grades := rows[1][0]
	pressed, err = telegram.NewCodec(workerToken).Decode(grades.CallbackData)
	if err != nil || pressed.Kind != telegram.ButtonGradesList || pressed.Args[0] != int64(r.linkedPupil(account)) || pressed.Args[2] != 1 ||
		!strings.Contains(grades.Text, "Оценки и графики") {
		t.Errorf("grades button %q %q: %+v, %v", grades.Text, grades.CallbackData, pressed, err)
	}
	// Then a chart for each subject graded that week, which the summary names.
	charts := 0
	for _, row := range rows[2:] {
		for _, b := range row {
			pressed, err := telegram.NewCodec(workerToken).Decode(b.CallbackData)
			subject, _ := strings.CutPrefix(b.Text, "📈 ")
			if err != nil || pressed.Kind != telegram.ButtonWeeklyChart || pressed.Args[0] != int64(r.linkedPupil(account)) ||
				telegram.ArgDate(pressed.Args[2]).Weekday() != time.Monday || !strings.Contains(weekly.Text, subject) {
				t.Errorf("chart button %q %q: %+v, %v", b.Text, b.CallbackData, pressed, err)
			}
			charts++
		}
	}
	if charts == 0 {
		t.Errorf("no chart buttons under the weekly summary:\n%s", weekly.Text)
	}
}
