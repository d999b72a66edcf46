package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// addFamilies makes the class size pupils strong, each with two guardians
// linked to the bot, and returns their chats.
func (r *rig) addFamilies(class string, size int) []int64 {
	r.t.Helper()
	chats, err := diarytest.AddFamilies(context.Background(), r.db, []string{class}, size, 1_000_000)
	if err != nil {
		r.t.Fatal(err)
	}
	return chats
}

// announce writes an announcement to the families of a class, as a teacher's
// /announce does, and starts its fan-out.
func (r *rig) announce(class, body string, urgent bool) int64 {
	r.t.Helper()
	return r.notice(diarytest.Notice{Kind: "announcement", Class: class, Body: body, Urgent: urgent})
}

// notice writes a notice at the pinned time and starts the fan-out.
func (r *rig) notice(n diarytest.Notice) int64 {
	r.t.Helper()
	ctx := context.Background()
	n.At = *r.now.Load()
	id, err := diarytest.AddNotice(ctx, r.db, n)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.enqueue.NoticesDue(ctx); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// meetingNotice writes the invitation to the demo school's meeting and
// starts its fan-out; it returns the meeting's id.
func (r *rig) meetingNotice() int64 {
	r.t.Helper()
	var event int64
	var class string
	err := r.db.QueryRow(context.Background(), `SELECT e.id, c.sourced_id FROM events e JOIN classes c ON c.id = e.class_id
		WHERE e.kind = 'meeting'`).Scan(&event, &class)
	if err != nil {
		r.t.Fatal(err)
	}
	r.notice(diarytest.Notice{Kind: "meeting", Class: class, Ref: event})
	return event
}

// A worker stopped in the middle of an announcement to 500 parents, then
// started again with the fan-out and every send run once more, leaves each
// parent with exactly one message.
func TestFanOutStoppedAndRestartedSendsOnce(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	chats := r.addFamilies(demo.Class7A, 250)
	stop := r.runWorker(jobs.SenderConfig{Rate: 200, ChatInterval: -1})
	id := r.announce(demo.Class7A, "Завтра субботник, приходите в 9:00", false)
	if err := r.fake.WaitFor(20*time.Second, func() bool { return len(r.fake.Calls("sendMessage")) >= 100 }); err != nil {
		t.Fatal(err)
	}
	stop()
	if n := len(r.fake.Calls("sendMessage")); n >= len(chats) {
		t.Fatalf("all %d sent before the stop: the test stopped nothing", n)
	}

	// As if the worker died before it recorded the fan-out and the tasks' ids
	// were forgotten: the whole fan-out runs again, every send with it.
	if _, err := r.db.Exec(ctx, `UPDATE notices SET fanned_out_at = NULL, recipients = NULL WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{jobs.QueueCompose, jobs.QueueSend} {
		if _, err := r.inspect.DeleteAllCompletedTasks(q); err != nil {
			t.Fatal(err)
		}
	}
	r.runWorker(jobs.SenderConfig{Rate: 1000, ChatInterval: -1})
	if err := r.enqueue.NoticesDue(ctx); err != nil {
		t.Fatal(err)
	}
	r.settle()
	for _, chat := range chats {
		if sent := r.fake.Sent(chat); len(sent) != 1 || !strings.Contains(sent[0].Text, "субботник") {
			t.Fatalf("chat %d got %d messages: %q", chat, len(sent), texts(r.fake, chat))
		}
	}
	if n := len(r.fake.Calls("sendMessage")); n != len(chats) {
		t.Errorf("%d messages sent to %d parents", n, len(chats))
	}
	p, err := r.store.NoticeProgress(ctx, id)
	if err != nil || p != (diary.NoticeProgress{Delivered: 500, Total: 500}) {
		t.Errorf("progress %+v, %v; want 500 of 500", p, err)
	}
}

// A new grade goes to the pupil's guardian, naming the child, and to the
// pupil, with a button that turns such pushes off; a grade undone before its
// notice went out tells no one.
func TestGradeNotice(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	r.link(demo.Dasha, 401)
	r.linkAs(demo.Dasha, 402, diary.RoleStudent)
	r.link(demo.Petya, 403)
	r.startWorker()
	grade := func() diarytest.Notice { return r.grade(demo.Dasha, demo.Class7A, 5, "Отличная работа") }
	r.gradeNotice(grade())
	r.settle()

	parent, pupil := r.fake.Sent(401), r.fake.Sent(402)
	if len(parent) != 1 || !strings.Contains(parent[0].Text, "Новая оценка") || !strings.Contains(parent[0].Text, "Дарья") ||
		!strings.Contains(parent[0].Text, "Математика") || !strings.Contains(parent[0].Text, "5") {
		t.Fatalf("the guardian got %q", texts(r.fake, 401))
	}
	if len(pupil) != 1 || strings.Contains(pupil[0].Text, "Дарья") {
		t.Errorf("the pupil got %q", texts(r.fake, 402))
	}
	if n := len(r.fake.Sent(403)); n != 0 {
		t.Errorf("another child's parent got %d messages", n)
	}
	stop, ok := parent[0].Button("🔕 Не присылать такие")
	if !ok {
		t.Fatalf("no stop button under %q", parent[0].Text)
	}
	pressed, err := telegram.NewCodec(workerToken).Decode(stop.CallbackData)
	if err != nil || pressed.Kind != telegram.ButtonStop || pressed.Args[0] != telegram.SettingGrades {
		t.Errorf("stop button %q: %+v, %v", stop.CallbackData, pressed, err)
	}

	// Undone before it went out: the notice finds no grade and sends nothing.
	undone := grade()
	id := r.gradeNotice(undone)
	if _, err := r.db.Exec(ctx, `DELETE FROM grades WHERE id = $1`, undone.Ref); err != nil {
		t.Fatal(err)
	}
	r.settle()
	if n, m := len(r.fake.Sent(401)), len(r.fake.Sent(402)); n != 1 || m != 1 {
		t.Errorf("after an undone grade: %d and %d messages, want 1 each", n, m)
	}
	// Fanned out or not before the grade went (the worker may be quicker than
	// the DELETE), it delivered nothing.
	if p, err := r.store.NoticeProgress(ctx, id); err != nil || p.Delivered != 0 {
		t.Errorf("undone grade's notice: %+v, %v", p, err)
	}
}

// An account that turned grade pushes off gets none; announcements still come.
func TestSwitchedOffKindIsNotSent(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	acc := r.link(demo.Dasha, 501)
	if _, err := r.db.Exec(ctx, `UPDATE accounts SET notify_meetings = false WHERE id = $1`, acc); err != nil {
		t.Fatal(err)
	}
	r.startWorker()
	r.meetingNotice()
	r.announce(demo.Class7A, "Собрание в пятницу", false)
	r.settle()
	if sent := r.fake.Sent(501); len(sent) != 1 || !strings.Contains(sent[0].Text, "Собрание в пятницу") {
		t.Errorf("got %q, want the announcement alone", texts(r.fake, 501))
	}
}

// A meeting invitation carries the RSVP buttons the bot reads.
func TestMeetingInvitationHasRSVPButtons(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	mother := r.link(demo.Dasha, 601)
	r.linkAs(demo.Dasha, 602, diary.RoleStudent)
	// The grandmother, invited by the mother: she is told, and answers nothing.
	pupil := r.linkedPupil(mother)
	invite, err := r.store.Invite(ctx, mother, pupil)
	if err != nil {
		t.Fatal(err)
	}
	grandma, err := r.store.TouchAccount(ctx, 603, 603, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.Redeem(ctx, grandma.ID, 603, invite.Code); err != nil {
		t.Fatal(err)
	}
	r.startWorker()
	event := r.meetingNotice()
	r.settle()
	sent := r.fake.Sent(601)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "Родительское собрание") || !strings.Contains(sent[0].Text, "Кабинет 214") {
		t.Fatalf("the guardian got %q", texts(r.fake, 601))
	}
	codec := telegram.NewCodec(workerToken)
	for label, answer := range map[string]int64{"Приду": 1, "Не смогу": 0} {
		b, ok := sent[0].Button(label)
		if !ok {
			t.Fatalf("no %q button", label)
		}
		pressed, err := codec.Decode(b.CallbackData)
		if err != nil || pressed.Kind != telegram.ButtonRSVP || pressed.Args[0] != event || pressed.Args[1] != answer {
			t.Errorf("%q: %+v, %v", label, pressed, err)
		}
	}
	if n := len(r.fake.Sent(602)); n != 0 {
		t.Errorf("a parent meeting went to the pupil: %d messages", n)
	}
	if got := r.fake.Sent(603); len(got) != 1 || got[0].ReplyMarkup == nil || slices.ContainsFunc(got[0].ReplyMarkup.InlineKeyboard,
		func(row []models.InlineKeyboardButton) bool { return row[0].Text == "Приду" }) {
		t.Errorf("the trusted person got %+v; want the invitation without RSVP buttons", got)
	}
}

// linkedPupil is the pupil an account is linked to.
func (r *rig) linkedPupil(account diary.AccountID) diary.PersonID {
	r.t.Helper()
	var pupil diary.PersonID
	if err := r.db.QueryRow(context.Background(), `SELECT person_id FROM account_links WHERE account_id = $1`, account).Scan(&pupil); err != nil {
		r.t.Fatal(err)
	}
	return pupil
}

// An urgent announcement goes through quiet hours; another one waits for
// their end.
func TestUrgentAnnouncementGoesThroughQuietHours(t *testing.T) {
	r := newRig(t, time.Date(2037, 11, 26, 23, 0, 0, 0, mustZone("Europe/Moscow")))
	r.link(demo.Dasha, 701)
	r.startWorker()
	r.announce(demo.Class7A, "Завтра занятия отменены: карантин", true)
	r.announce(demo.Class7A, "Напоминаем про сменную обувь", false)
	r.settle()
	if sent := r.fake.Sent(701); len(sent) != 1 || !strings.Contains(sent[0].Text, "Срочное объявление") {
		t.Fatalf("inside quiet hours: %q, want the urgent one alone", texts(r.fake, 701))
	}
	held, err := r.inspect.ListScheduledTasks(jobs.QueueSend)
	if err != nil || len(held) != 1 {
		t.Fatalf("held: %d, %v", len(held), err)
	}
	if want := time.Date(2037, 11, 27, 7, 0, 0, 0, mustZone("Europe/Moscow")); !held[0].NextProcessAt.Equal(want) {
		t.Errorf("held until %v, want %v", held[0].NextProcessAt, want)
	}
}

// The author's message counts the deliveries until every send ended:
// "delivered 2 of 2".
func TestAnnouncementReportCountsDeliveries(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	r.link(demo.Dasha, 801)
	r.link(demo.Petya, 802)
	blocked := r.link(demo.Petya, 803)
	if err := r.store.MarkBlocked(ctx, blocked); err != nil {
		t.Fatal(err)
	}
	teacher, err := r.store.TouchAccount(ctx, 899, 899, "ru")
	if err != nil {
		t.Fatal(err)
	}
	client, err := tg.New(workerToken, tg.WithServerURL(r.fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	preview, err := client.SendMessage(ctx, &tg.SendMessageParams{ChatID: teacher.ChatID, Text: "preview"})
	if err != nil {
		t.Fatal(err)
	}
	r.startWorker()
	r.notice(diarytest.Notice{Kind: "announcement", Class: demo.Class7A, Body: "Экскурсия в музей",
		Report: [2]int64{teacher.ChatID, int64(preview.ID)}})
	want := "Доставлено 2 из 2"
	err = r.fake.WaitFor(15*time.Second, func() bool {
		m, ok := r.fake.LastMessage(teacher.ChatID)
		return ok && strings.Contains(m.Text, want)
	})
	if err != nil {
		m, _ := r.fake.LastMessage(teacher.ChatID)
		t.Fatalf("the author's message reads %q, want %q", m.Text, want)
	}
	if n := len(r.fake.Sent(803)); n != 0 {
		t.Errorf("%d messages to an account that blocked the bot", n)
	}
}

// The day before an event, at the digest time, each invited family gets a
// reminder, once; one that said it will not come gets none.
func TestReminderTheDayBefore(t *testing.T) {
	r := newRig(t, digestTime)
	ctx := context.Background()
	yes := r.link(demo.Dasha, 901)
	no := r.link(demo.Petya, 902)
	var event int64
	err := r.db.QueryRow(ctx, `UPDATE events SET starts_at = $1, ends_at = NULL WHERE kind = 'meeting' RETURNING id`,
		digestTime.Add(23*time.Hour+30*time.Minute)).Scan(&event)
	if err != nil {
		t.Fatal(err)
	}
	for acc, answer := range map[diary.AccountID]bool{yes: true, no: false} {
		if err := r.store.AnswerMeeting(ctx, acc, event, answer); err != nil {
			t.Fatal(err)
		}
	}
	r.startWorker()
	r.tick()
	r.tick()
	r.settle()
	reminders := func(chat int64) (n int) {
		for _, m := range r.fake.Sent(chat) {
			if strings.Contains(m.Text, "Напоминание") {
				n++
			}
		}
		return n
	}
	if n := reminders(901); n != 1 {
		t.Errorf("%d reminders to the parent who will come: %q", n, texts(r.fake, 901))
	}
	if n := reminders(902); n != 0 {
		t.Errorf("%d reminders to the parent who will not", n)
	}
}
