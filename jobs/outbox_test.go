package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// grade gives a demo pupil a grade in the first subject class of their
// homeroom, with a comment, and returns its notice, not yet written.
func (r *rig) grade(pupil, class string, score int, comment string) diarytest.Notice {
	r.t.Helper()
	n, err := diarytest.AddGrade(context.Background(), r.db, class+"-0", pupil, score, "2026-11-26", comment)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// gradeNotice writes the notice of a grade, as setting it does, and starts its fan-out.
func (r *rig) gradeNotice(n diarytest.Notice) int64 {
	r.t.Helper()
	return r.notice(n)
}

// outbox returns each notice message's state and reason, by chat.
func (r *rig) outbox() map[int64]string {
	r.t.Helper()
	rows, _ := r.db.Query(context.Background(), `SELECT chat_id, status || ' ' || reason FROM outbox WHERE kind = 'notice'`)
	got := map[int64]string{}
	var chat int64
	var state string
	if _, err := pgx.ForEachRow(rows, []any{&chat, &state}, func() error { got[chat] = strings.TrimSpace(state); return nil }); err != nil {
		r.t.Fatal(err)
	}
	return got
}

// A grade held overnight by quiet hours is checked and rendered when it goes
// out in the morning: nothing to a guardian whose link was revoked while it
// waited, nor to a pupil whose link ended in the night, nothing of a grade
// deleted meanwhile, and the grade as it stands
// now, in the language the person chose since. Redis never holds a name, a
// grade or a comment, neither while the messages wait nor after.
func TestHeldGradeIsCheckedAndRenderedWhenSent(t *testing.T) {
	night := time.Date(2037, 11, 26, 23, 0, 0, 0, mustZone("Europe/Moscow")) // a Thursday; quiet hours 22:00-07:00
	r := newRig(t, night)
	ctx := context.Background()
	revoked := r.link(demo.Dasha, 601)
	expired := r.linkAs(demo.Dasha, 604, diary.RoleStudent)
	changed := r.link(demo.Petya, 602)
	r.link(demo.Maxim, 603)
	r.startWorker()
	r.gradeNotice(r.grade(demo.Dasha, demo.Class7A, 5, "Отличная работа"))
	petya := r.grade(demo.Petya, demo.Class7A, 5, "Молодец")
	r.gradeNotice(petya)
	maxim := r.grade(demo.Maxim, demo.Class7B, 2, "Не готов к уроку")
	r.gradeNotice(maxim)
	r.settle()
	if n := len(r.fake.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d messages inside quiet hours", n)
	}
	held, err := r.inspect.ListScheduledTasks(jobs.QueueSend)
	if err != nil || len(held) != 4 {
		t.Fatalf("held: %d, %v; want 4", len(held), err)
	}
	r.wantNoPersonalData()

	for _, q := range []string{
		`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = ` + fmt.Sprint(revoked),
		`UPDATE account_links SET valid_until = '2037-11-27 02:00+03' WHERE account_id = ` + fmt.Sprint(expired),
		`UPDATE grades SET score = 3, comment = 'Исправлено после пересдачи' WHERE id = ` + fmt.Sprint(petya.Ref),
		`UPDATE accounts SET language = 'en' WHERE id = ` + fmt.Sprint(changed),
		`DELETE FROM grades WHERE id = ` + fmt.Sprint(maxim.Ref),
	} {
		if _, err := r.db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	r.setNow(time.Date(2037, 11, 27, 7, 0, 0, 0, mustZone("Europe/Moscow")))
	if _, err := r.inspect.RunAllScheduledTasks(jobs.QueueSend); err != nil {
		t.Fatal(err)
	}
	r.settle()

	if n, m, k := len(r.fake.Sent(601)), len(r.fake.Sent(603)), len(r.fake.Sent(604)); n != 0 || m != 0 || k != 0 {
		t.Errorf("the revoked guardian got %d messages, the deleted grade's family %d, the pupil whose link ended %d", n, m, k)
	}
	if got := texts(r.fake, 602); len(got) != 1 || !strings.Contains(got[0], "New grade") || !strings.Contains(got[0], "3") ||
		!strings.Contains(got[0], "Исправлено после пересдачи") {
		t.Errorf("the family of the changed grade read %q, want the grade 3 in English", got)
	}
	want := map[int64]string{601: "dropped no_access", 602: "sent", 603: "dropped gone", 604: "dropped no_access"}
	if got := r.outbox(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("outbox %v, want %v", got, want)
	}
	r.wantNoPersonalData()
}

// drain waits until the outbox holds nothing still to go out, every notice
// fanned out. Unlike settle it asks PostgreSQL, not the queues: a client
// that enqueued before Redis was emptied does not register its queues again.
func (r *rig) drain() {
	r.t.Helper()
	if !eventually(15*time.Second, func() bool {
		var pending int
		err := r.db.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending', 'uncertain'))
			+ (SELECT count(*) FROM notices WHERE fanned_out_at IS NULL)`).Scan(&pending)
		return err == nil && pending == 0
	}) {
		r.t.Fatal("the outbox did not drain in 15 s")
	}
}

// wantNoPersonalData fails the test if any value in the test's Redis database
// holds a name of a person of the school or a grade's comment.
func (r *rig) wantNoPersonalData() {
	r.t.Helper()
	ctx := context.Background()
	rows, _ := r.db.Query(ctx, `SELECT family_name FROM people UNION SELECT given_name FROM people
		UNION SELECT comment FROM grades WHERE comment <> ''`)
	secrets, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(secrets) == 0 {
		r.t.Fatalf("names to look for: %v, %v", secrets, err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: r.queue.Addr, DB: r.queue.DB})
	defer rdb.Close()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) == 0 {
		r.t.Fatalf("Redis keys: %d, %v", len(keys), err)
	}
	for _, k := range keys {
		value := redisValue(ctx, r.t, rdb, k)
		for _, s := range secrets {
			if strings.Contains(value, s) {
				r.t.Errorf("Redis key %s holds %q", k, s)
			}
		}
	}
}

// redisValue is everything a key holds, whatever its type, as text.
func redisValue(ctx context.Context, t *testing.T, rdb *redis.Client, key string) string {
	t.Helper()
	kind, err := rdb.Type(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	switch kind {
	case "string":
		v, err = rdb.Get(ctx, key).Result()
	case "hash":
		v, err = rdb.HGetAll(ctx, key).Result()
	case "list":
		v, err = rdb.LRange(ctx, key, 0, -1).Result()
	case "set":
		v, err = rdb.SMembers(ctx, key).Result()
	case "zset":
		v, err = rdb.ZRange(ctx, key, 0, -1).Result()
	case "none": // gone since KEYS
	default:
		t.Fatalf("Redis key %s of type %s", key, kind)
	}
	if err != nil && err != redis.Nil {
		t.Fatal(err)
	}
	return fmt.Sprint(v)
}

// Redis emptied in the middle of an announcement to 200 parents, with one
// message held for quiet hours: the next sweep sees the queue's sentinel gone
// and enqueues again at once every message the queue lost; each parent gets
// the announcement once, the held one when its quiet hours end, and
// "delivered N of M" reaches M.
func TestRedisLostInTheMiddleLosesNothing(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	chats := r.addFamilies(demo.Class7A, 100)
	late := r.link(demo.Petya, 701)
	if _, err := r.db.Exec(ctx, `UPDATE accounts SET quiet_from = '18:00', quiet_to = '20:00' WHERE id = $1`, late); err != nil {
		t.Fatal(err)
	}
	scheduler := jobs.NewScheduler(r.store, r.enqueue, diarytest.Logger(t, r.db))
	if err := scheduler.Sweep(ctx); err != nil { // plants the sentinel
		t.Fatal(err)
	}
	r.runWorker(jobs.SenderConfig{Rate: 200, ChatInterval: -1})
	id := r.announce(demo.Class7A, "Завтра субботник, приходите в 9:00", false)
	if err := r.fake.WaitFor(20*time.Second, func() bool { return len(r.fake.Calls("sendMessage")) >= 40 }); err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: r.queue.Addr, DB: r.queue.DB})
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	sentAtFlush := len(r.fake.Calls("sendMessage"))
	if sentAtFlush >= len(chats) {
		t.Fatalf("all %d sent before the flush: the test lost nothing", sentAtFlush)
	}

	// The next sweep, at once: no minute has passed since the messages were enqueued.
	if err := scheduler.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.enqueue.NoticesDue(ctx); err != nil { // the minute's look, in case the fan-out was lost too
		t.Fatal(err)
	}
	if err := r.fake.WaitFor(15*time.Second, func() bool { return len(r.fake.Calls("sendMessage")) >= len(chats) }); err != nil {
		t.Fatalf("%d of %d sent after the sweep (%d at the flush)", len(r.fake.Calls("sendMessage")), len(chats), sentAtFlush)
	}
	// An hour later, past the quiet hours, the held one.
	r.setNow(digestTime.Add(time.Hour + time.Minute))
	if err := scheduler.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	r.drain()
	for _, chat := range append(chats, 701) {
		if n := len(r.fake.Sent(chat)); n != 1 {
			t.Fatalf("chat %d got %d messages, want 1 (%d had gone out at the flush); outbox %v", chat, n, sentAtFlush, r.outbox()[chat])
		}
	}
	if n := len(r.fake.Calls("sendMessage")); n != len(chats)+1 {
		t.Errorf("%d messages to %d parents", n, len(chats)+1)
	}
	if p, err := r.store.NoticeProgress(ctx, id); err != nil || p.Delivered != p.Total || p.Total != len(chats)+1 {
		t.Errorf("progress %+v, %v; want %d of %d", p, err, len(chats)+1, len(chats)+1)
	}
}

// A task that fails is logged with its id, type and tries, and nothing of
// the person: here Telegram refuses a grade's push for good (400).
func TestFailedTaskIsLogged(t *testing.T) {
	r := newRig(t, digestTime)
	logs := &diarytest.Buffer{}
	r.logs = logs
	r.link(demo.Dasha, 901)
	r.startWorker()
	r.fake.FailNext("sendMessage", 1, bottest.Fault{Status: 400, Description: "Bad Request: chat not found"})
	r.gradeNotice(r.grade(demo.Dasha, demo.Class7A, 5, "Отличная работа"))
	r.settle()

	var line string
	for l := range strings.Lines(logs.String()) {
		if strings.Contains(l, "task failed") {
			line = l
		}
	}
	var id int64
	if err := r.db.QueryRow(context.Background(), `SELECT id FROM outbox WHERE chat_id = 901`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"level=ERROR", fmt.Sprintf("task=send:%d", id), "type=send", "final=true", "rejected"} {
		if !strings.Contains(line, want) {
			t.Errorf("the failure's log line %q lacks %q", line, want)
		}
	}
	for _, secret := range []string{"Дарья", "Алёшина", "Отличная"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if got := r.outbox(); got[901] != "failed rejected" {
		t.Errorf("outbox %v", got)
	}
}

// A message whose last try fails ends failed, so that "delivered N of M"
// comes to an end and the sweeper stops looking for it.
func TestLastTryFailedEndsFailed(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	acc := r.link(demo.Dasha, 951)
	r.fake.FailNext("sendMessage", bottest.Always, bottest.ServerError())
	r.startWorker()
	planned, err := r.store.Plan(ctx, []diary.Outgoing{{Key: "digest:951", Kind: diary.MessageDigest, Account: acc, About: digestTime}})
	if err != nil || len(planned) != 1 {
		t.Fatalf("plan: %v, %v", planned, err)
	}
	// A send task with no retries left, as the twentieth retry is.
	client := asynq.NewClient(r.queue)
	defer client.Close()
	payload := fmt.Sprintf(`{"v":1,"message":%d}`, planned[0].ID)
	if _, err := client.Enqueue(asynq.NewTask(jobs.TypeSend, []byte(payload)), asynq.Queue(jobs.QueueSend), asynq.MaxRetry(0)); err != nil {
		t.Fatal(err)
	}
	if !eventually(10*time.Second, func() bool {
		var state string
		_ = r.db.QueryRow(ctx, `SELECT status || ' ' || reason FROM outbox WHERE id = $1`, planned[0].ID).Scan(&state)
		return state == "failed retries"
	}) {
		t.Errorf("the message did not end failed after its last try; the fake saw %d sends", len(r.fake.Calls("sendMessage")))
	}
}

// eventually polls done every 20 ms until it holds or the time runs out.
func eventually(timeout time.Duration, done func() bool) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if done() {
			return true
		}
	}
	return false
}

// The scheduler purges at its start (and every hour): a message sent longer
// ago than the retention and a code expired as long are deleted; a message
// sent yesterday stays.
func TestSchedulerPurgesWhatIsPastRetention(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	acc := r.link(demo.Petya, 801)
	old, recent := digestTime.Add(-31*24*time.Hour), digestTime.Add(-24*time.Hour)
	planned, err := r.store.Plan(ctx, []diary.Outgoing{
		{Key: "old", Kind: diary.MessageDigest, Account: acc, ChatID: 801},
		{Key: "recent", Kind: diary.MessageDigest, Account: acc, ChatID: 801},
	})
	if err != nil || len(planned) != 2 {
		t.Fatal(planned, err)
	}
	for i, at := range []time.Time{old, recent} {
		if _, err := r.db.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = $2, created_at = $2 WHERE id = $1`,
			planned[i].ID, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.db.Exec(ctx, `UPDATE link_codes SET created_at = $1::timestamptz - interval '1 day', expires_at = $1`, old); err != nil {
		t.Fatal(err)
	}
	scheduler := jobs.NewScheduler(r.store, r.enqueue, diarytest.Logger(t, r.db))
	scheduler.Retention = 30 * 24 * time.Hour
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- scheduler.Run(runCtx) }()
	defer func() {
		cancel()
		<-done
	}()
	count := func(q string) int {
		var n int
		if err := r.db.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for count(`SELECT count(*) FROM outbox WHERE dedup_key = 'old'`) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the old message is still in the outbox")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := count(`SELECT count(*) FROM outbox WHERE dedup_key = 'recent'`); n != 1 {
		t.Error("yesterday's message was purged")
	}
	if n := count(`SELECT count(*) FROM link_codes`); n != 0 {
		t.Errorf("%d expired codes kept", n)
	}
}
