package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// What teachers do in the bot, delivered by the worker to the same fake
// Telegram: the whole path a parent sees.

// delivery is a worker on the world's store, sending into its fake.
type delivery struct {
	w       *world
	enqueue *jobs.Enqueuer
	inspect *asynq.Inspector
}

func (w *world) startWorker() *delivery {
	w.t.Helper()
	queue := jobstest.Asynq(w.t)
	rdb := redis.NewClient(&redis.Options{Addr: queue.Addr, DB: queue.DB})
	w.t.Cleanup(func() { rdb.Close() })
	client, err := tg.New(token, tg.WithServerURL(w.fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		w.t.Fatal(err)
	}
	ac := asynq.NewClient(queue)
	w.t.Cleanup(func() { ac.Close() })
	d := &delivery{w: w, enqueue: jobs.NewEnqueuer(ac), inspect: asynq.NewInspector(queue)}
	w.t.Cleanup(func() { d.inspect.Close() })
	log := diarytest.Logger(w.t, w.db, token)
	sender := jobs.NewSender(client, w.store, rdb, jobs.SenderConfig{Rate: -1, ChatInterval: -1, Log: log})
	worker := jobs.NewWorker(w.store, telegram.NewCodec(token), sender, d.enqueue, nil, log)
	srv := asynq.NewServer(queue, worker.ServerConfig(jobstest.AsynqConfig()))
	if err := srv.Start(worker.Mux()); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(srv.Shutdown)
	return d
}

// deliver runs the fan-out of the notices due, as the scheduler's minute
// does, and waits until every send is done.
func (d *delivery) deliver() {
	d.w.t.Helper()
	if err := d.enqueue.NoticesDue(context.Background()); err != nil {
		d.w.t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		busy := false
		for _, q := range []string{jobs.QueueCompose, jobs.QueueSend} {
			if info, err := d.inspect.GetQueueInfo(q); err == nil && info.Pending+info.Active+info.Retry+info.Scheduled > 0 {
				busy = true
			}
		}
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.w.t.Fatal("the queues did not drain in 15 s")
}

// linkFamilies makes the demo homeroom size pupils strong, its sections
// too, each pupil with two guardians linked to the bot, and returns their chats.
func (w *world) linkFamilies(homeroom string, size int) []int64 {
	w.t.Helper()
	ctx := context.Background()
	rows, _ := w.db.Query(ctx, `SELECT sourced_id FROM classes WHERE sourced_id = $1 OR sourced_id LIKE $1 || '-%' ORDER BY kind, id`, homeroom)
	classes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		w.t.Fatal(err)
	}
	chats, err := diarytest.AddFamilies(ctx, w.db, classes, size, 2_000_000)
	if err != nil {
		w.t.Fatal(err)
	}
	return chats
}

// received is what the chats got, by chat.
func (w *world) received(chats []int64) map[int64][]bottest.Message {
	got := map[int64][]bottest.Message{}
	for _, c := range chats {
		got[c] = w.fake.Sent(c)
	}
	return got
}

// An announcement to a class of 30, two guardians each, reaches each guardian
// exactly once, and the teacher's message counts them.
func TestAnnouncementReachesEachGuardianOnce(t *testing.T) {
	w := newWorld(t)
	chats := w.linkFamilies(demo.Class7A, 30)
	if len(chats) != 60 {
		t.Fatalf("%d guardians linked, want 60", len(chats))
	}
	d := w.startWorker()
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	teacher.press(teacher.say("/announce")[0], "7А")
	preview := teacher.say("В пятницу уроки до 12:00")[0]
	if !strings.Contains(preview.Text, "Получат 60 человек") {
		t.Errorf("preview: %q", preview.Text)
	}
	teacher.press(preview, "✅ Отправить")
	d.deliver()
	d.deliver() // the minute's look again: nothing new
	for chat, got := range w.received(chats) {
		if len(got) != 1 || !strings.Contains(got[0].Text, "В пятницу уроки до 12:00") {
			t.Fatalf("guardian %d got %d messages", chat, len(got))
		}
	}
	report, _ := w.fake.LastMessage(300)
	if err := w.fake.WaitFor(10*time.Second, func() bool {
		report, _ = w.fake.LastMessage(300)
		return strings.Contains(report.Text, "Доставлено 60 из 60")
	}); err != nil {
		t.Errorf("the teacher's message: %q", report.Text)
	}
}

// A meeting's invitation and its cancellation reach everyone invited.
func TestCancelledMeetingNotifiesAllInvited(t *testing.T) {
	w := newWorld(t)
	chats := w.linkFamilies(demo.Class7A, 12)
	d := w.startWorker()
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	teacher.press(teacher.say("/meeting")[0], "7А")
	for _, typed := range []string{"3 декабря 18:30", "Кабинет 214", "Итоги четверти"} {
		teacher.say(typed)
	}
	d.deliver()
	for chat, got := range w.received(chats) {
		if len(got) != 1 || !strings.Contains(got[0].Text, "3 декабря") {
			t.Fatalf("guardian %d: %d messages before the cancel", chat, len(got))
		}
		if _, ok := got[0].Button("Приду"); !ok {
			t.Fatalf("guardian %d: no RSVP buttons", chat)
		}
	}
	list := teacher.say("/meetings")
	confirm, _ := teacher.press(list[len(list)-1], "✖️ Отменить")
	teacher.press(confirm, "Да, отменить")
	d.deliver()
	for chat, got := range w.received(chats) {
		if len(got) != 2 || !strings.Contains(got[1].Text, "отменено") || got[1].ReplyMarkup != nil && len(got[1].ReplyMarkup.InlineKeyboard) > 1 {
			t.Fatalf("guardian %d after the cancel: %d messages, last %q", chat, len(got), got[len(got)-1].Text)
		}
	}
}

// A grade undone within its grace tells no one; one told and then undone is
// not followed by a second message.
func TestUndoneGradeTellsNoOneTwice(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Dasha))
	d := w.startWorker()
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	roster, _ := teacher.press(teacher.say("/marks")[0], "2. 09:25 7А Математика")
	grade := func(score string) bottest.Message {
		pupil, _ := teacher.press(roster, "Алёшина Д.")
		after, _ := teacher.press(pupil, score)
		return after
	}
	undo := func(after bottest.Message) bottest.Message {
		undone, _ := teacher.press(after, "↩️ Отменить последнее (Алёшина Дарья)")
		return undone
	}

	// A mis-tap, undone at once: past the grace, nothing goes out.
	roster = undo(grade("2"))
	w.now = w.now.Add(3 * time.Minute)
	d.deliver()
	if got := w.fake.Sent(100); len(got) != 1 { // the answer to her code alone
		t.Fatalf("after a grade undone in its grace the mother has %d messages", len(got))
	}
	if n := w.count(`SELECT count(*) FROM grades WHERE period IS NOT NULL`); n != 0 {
		t.Errorf("%d grades left after the undo", n)
	}

	// The real grade is told once; undone afterwards, nothing follows.
	after := grade("5")
	w.now = w.now.Add(3 * time.Minute)
	d.deliver()
	got := w.fake.Sent(100)
	if len(got) != 2 || !strings.Contains(got[1].Text, "Новая оценка") || !strings.Contains(got[1].Text, "5") {
		t.Fatalf("the mother got %d messages, last %q", len(got), got[len(got)-1].Text)
	}
	undo(after)
	w.now = w.now.Add(3 * time.Minute)
	d.deliver()
	if n := len(w.fake.Sent(100)); n != 2 {
		t.Errorf("after undoing a grade already told: %d messages, want 2", n)
	}
	if n := w.count(`SELECT count(*) FROM grades WHERE period IS NOT NULL`); n != 0 {
		t.Errorf("%d grades left after the undo", n)
	}
}
