package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
	"github.com/dnevnik/dnevnik/telegram"
)

const token = "123456:test-token"

// quick paces sends to one chat 10 ms apart, so that tests of other things
// need not wait a second between two sends to a chat.
var quick = jobs.SenderConfig{ChatInterval: 10 * time.Millisecond}

// harness is a fake Telegram, an outbox database and a Redis database shared
// by the senders of one test, each sender standing for a worker process.
type harness struct {
	t        testing.TB
	fake     *bottest.Server
	dbURL    string
	db       *pgxpool.Pool // the test's own connections to the outbox
	store    *diary.Store  // on db
	redis    *redis.Options
	now      atomic.Int64 // the outbox's clock, in Unix nanoseconds
	lastUser int64        // Telegram user ids handed out
}

// newHarness sets up a test that runs in parallel with others.
func newHarness(t *testing.T) *harness {
	t.Helper()
	t.Parallel()
	return openHarness(t)
}

func openHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, fake: bottest.New(token), dbURL: diarytest.NewURL(t), redis: jobstest.New(t)}
	t.Cleanup(h.fake.Close)
	h.now.Store(time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC).UnixNano())
	h.store, h.db = h.newStore()
	return h
}

// newStore opens a store with a pool of its own on the test's database, on
// the test's clock.
func (h *harness) newStore() (*diary.Store, *pgxpool.Pool) {
	pool, err := pgxpool.New(context.Background(), h.dbURL)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(pool.Close)
	store := diary.NewStore(pool)
	store.SetClock(func() time.Time { return time.Unix(0, h.now.Load()).UTC() })
	return store, pool
}

func (h *harness) advance(d time.Duration) { h.now.Add(int64(d)) }

// sender starts a sender as a worker process would: with its own Telegram
// client, database pool and Redis client.
func (h *harness) sender(cfg jobs.SenderConfig) *jobs.Sender {
	h.t.Helper()
	client, err := bot.New(token, bot.WithServerURL(h.fake.URL()), bot.WithSkipGetMe(), bot.WithHTTPClient(0, telegram.NewHTTPClient(0)))
	if err != nil {
		h.t.Fatal(err)
	}
	rdb := redis.NewClient(h.redis)
	h.t.Cleanup(func() { rdb.Close() })
	store, _ := h.newStore()
	if cfg.Log == nil {
		cfg.Log = diarytest.Logger(h.t, h.db, token)
	}
	return jobs.NewSender(client, store, rdb, cfg)
}

// metered starts a quick sender that counts into a registry of its own.
func (h *harness) metered() (*jobs.Sender, *prometheus.Registry) {
	reg := prometheus.NewRegistry()
	cfg := quick
	cfg.Metrics = jobs.NewMetrics(reg)
	return h.sender(cfg), reg
}

// account is a new person who wrote to the bot; their chat id is their user id.
func (h *harness) account() (diary.AccountID, int64) {
	h.t.Helper()
	h.lastUser++
	a, err := h.store.TouchAccount(context.Background(), h.lastUser, h.lastUser, "ru")
	if err != nil {
		h.t.Fatal(err)
	}
	return a.ID, h.lastUser
}

// letter is an outbox message and what it says.
type letter struct {
	row diary.OutboxMessage
	msg jobs.Message
}

// message is a digest to a new account's chat, planned in the outbox.
func (h *harness) message(key, text string) letter {
	account, _ := h.account()
	return h.messageTo(account, key, text)
}

// messageTo is a digest to the account's chat, planned in the outbox.
func (h *harness) messageTo(account diary.AccountID, key, text string) letter {
	h.t.Helper()
	ctx := context.Background()
	planned, err := h.store.Plan(ctx, []diary.Outgoing{{Key: key, Kind: diary.MessageDigest, Account: account}})
	if err != nil || len(planned) != 1 {
		h.t.Fatalf("plan %s: %v, %v", key, planned, err)
	}
	row, err := h.store.Message(ctx, planned[0].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return letter{row: row, msg: jobs.Message{Text: text}}
}

// wantOutbox fails the test unless the message's outbox row has the status and reason.
func (h *harness) wantOutbox(l letter, status, reason string) {
	h.t.Helper()
	var gotStatus, gotReason string
	err := h.db.QueryRow(context.Background(), `SELECT status, reason FROM outbox WHERE id = $1`, l.row.ID).Scan(&gotStatus, &gotReason)
	if err != nil || gotStatus != status || gotReason != reason {
		h.t.Errorf("outbox row %s: %s %q, %v; want %s %q", l.row.Key, gotStatus, gotReason, err, status, reason)
	}
}

// wantMessages fails the test unless the chat has n messages from the bot.
func (h *harness) wantMessages(chat int64, n int) {
	h.t.Helper()
	if got := len(h.fake.Sent(chat)); got != n {
		h.t.Errorf("chat %d has %d messages, want %d", chat, got, n)
	}
}

func send(t *testing.T, s *jobs.Sender, l letter, want jobs.Result) jobs.Outcome {
	t.Helper()
	out, err := s.Send(context.Background(), l.row, l.msg)
	if err != nil || out.Result != want {
		t.Fatalf("Send %s = %+v, %v; want result %d", l.row.Key, out, err, want)
	}
	return out
}

// texts returns what the chat received, in order.
func texts(fake *bottest.Server, chat int64) []string {
	var got []string
	for _, m := range fake.Sent(chat) {
		got = append(got, m.Text)
	}
	return got
}

// metric returns the value of a counter or gauge with the given labels
// (name, value, name, value, …), 0 if it has none yet.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				for i := 0; i < len(labels); i += 2 {
					if l.GetName() == labels[i] && l.GetValue() != labels[i+1] {
						continue series
					}
				}
			}
			return m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return 0
}

func TestSendTwiceSendsOnce(t *testing.T) {
	h := newHarness(t)
	s, reg := h.metered()
	m := h.message("digest:1:2026-11-27", "<b>Домашнее задание</b>\nМатематика: №5")
	m.msg.Keyboard = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Открыть", CallbackData: "d:1"}}}}

	out := send(t, s, m, jobs.Sent)
	again := send(t, s, m, jobs.Ended)

	got := h.fake.Sent(m.row.ChatID)
	if len(got) != 1 || len(out.MessageIDs) != 1 || got[0].ID != out.MessageIDs[0] || len(again.MessageIDs) != 0 {
		t.Fatalf("sent %+v; outcomes %+v, %+v", got, out, again)
	}
	if got[0].Text != m.msg.Text || got[0].ParseMode != string(models.ParseModeHTML) || got[0].ReplyMarkup == nil {
		t.Errorf("message: %+v", got[0])
	}
	h.wantOutbox(m, "sent", "")
	if n := metric(t, reg, "dnevnik_messages_sent_total", "kind", "digest"); n != 1 {
		t.Errorf("sent_total = %v", n)
	}
}

// Two worker processes run the same task at once: the message goes out once.
func TestSendSameMessagesFromTwoProcessesOnce(t *testing.T) {
	h := newHarness(t)
	senders := []*jobs.Sender{h.sender(quick), h.sender(quick)}
	var messages []letter
	for i := range 20 {
		messages = append(messages, h.message(fmt.Sprintf("grade:%d", i), fmt.Sprintf("Оценка %d", i)))
	}

	var sent [20]atomic.Int32
	var wg sync.WaitGroup
	for i, m := range messages {
		for _, s := range senders {
			wg.Go(func() {
				out, err := s.Send(context.Background(), m.row, m.msg)
				var wait *jobs.RetryAfterError
				switch {
				case err == nil && out.Result == jobs.Sent:
					sent[i].Add(1)
				case err == nil && out.Result == jobs.Ended, errors.As(err, &wait): // the other holds the claim
				default:
					t.Errorf("Send %s = %+v, %v", m.row.Key, out, err)
				}
			})
		}
	}
	wg.Wait()

	for i, m := range messages {
		if n := len(h.fake.Sent(m.row.ChatID)); n != 1 || sent[i].Load() != 1 {
			t.Errorf("%s: %d messages in the chat, %d outcomes Sent", m.row.Key, n, sent[i].Load())
		}
	}
}

func TestSendRetryAfterIsNoFailure(t *testing.T) {
	h := newHarness(t)
	s, reg := h.metered()
	m := h.message("digest:1:2026-11-27", "Дайджест")
	h.fake.FailNext("sendMessage", 1, bottest.RetryAfter(3))

	_, err := s.Send(context.Background(), m.row, m.msg)
	var wait *jobs.RetryAfterError
	if !errors.As(err, &wait) || wait.Wait != 3*time.Second {
		t.Fatalf("Send during flood control: %v", err)
	}
	if jobs.IsFailure(err) || jobs.RetryDelay(0, err, nil) != 3*time.Second {
		t.Errorf("IsFailure %v, RetryDelay %v", jobs.IsFailure(err), jobs.RetryDelay(0, err, nil))
	}
	h.wantOutbox(m, "queued", "throttled")

	send(t, s, m, jobs.Sent)
	h.wantMessages(m.row.ChatID, 1)
	if throttled, failed := metric(t, reg, "dnevnik_telegram_throttled_total"), metric(t, reg, "dnevnik_messages_failed_total"); throttled != 1 || failed != 0 {
		t.Errorf("throttled_total %v, failed_total %v", throttled, failed)
	}
}

func TestSendServerErrorRetriesWithBackoff(t *testing.T) {
	h := newHarness(t)
	s, reg := h.metered()
	m := h.message("digest:1:2026-11-27", "Дайджест")
	h.fake.FailNext("sendMessage", 1, bottest.ServerError())

	_, err := s.Send(context.Background(), m.row, m.msg)
	var wait *jobs.RetryAfterError
	if err == nil || errors.As(err, &wait) || !jobs.IsFailure(err) {
		t.Fatalf("Send on a 500: %v", err)
	}
	if d := jobs.RetryDelay(0, err, nil); d < time.Second || d > 2*time.Second {
		t.Errorf("first retry after %v", d)
	}
	h.wantOutbox(m, "queued", "unavailable")

	send(t, s, m, jobs.Sent)
	h.wantMessages(m.row.ChatID, 1)
	if n := metric(t, reg, "dnevnik_messages_retried_total", "kind", "digest"); n != 1 {
		t.Errorf("retried_total = %v", n)
	}
}

func TestSendRetryDelayBacksOffUpToTenMinutes(t *testing.T) {
	failure := errors.New("500")
	for n, want := range map[int]time.Duration{0: 2 * time.Second, 3: 16 * time.Second, 9: 10 * time.Minute, 1000: 10 * time.Minute} {
		if d := jobs.RetryDelay(n, failure, asynq.NewTask(jobs.TypeSend, nil)); d < want/2 || d > want {
			t.Errorf("RetryDelay(%d) = %v, want %v to %v", n, d, want/2, want)
		}
	}
}

func TestSendRejectedIsNotRetried(t *testing.T) {
	h := newHarness(t)
	m := h.message("digest:1:2026-11-27", "<b>unclosed")

	_, err := h.sender(quick).Send(context.Background(), m.row, m.msg)
	if !errors.Is(err, asynq.SkipRetry) || !errors.Is(err, bot.ErrorBadRequest) {
		t.Fatalf("Send of bad HTML: %v", err)
	}
	h.wantOutbox(m, "failed", "rejected")
}

// A 403 drops the message, blocked, and marks the account blocked, which
// the worker reads before it sends; writing to the bot again lifts it.
func TestSendBlockedUntilThePersonWritesAgain(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s, reg := h.metered()
	digest := h.message("digest:1:2026-11-27", "Дайджест")
	h.fake.FailNext("sendMessage", 1, bottest.Blocked())

	send(t, s, digest, jobs.Blocked)
	h.wantOutbox(digest, "dropped", "blocked")
	grade := h.messageTo(digest.row.Account, "grade:9", "5")
	if !grade.row.Blocked {
		t.Fatal("the account is not blocked after a 403")
	}
	if n := metric(t, reg, "dnevnik_messages_dropped_total", "kind", "digest", "reason", "blocked"); n != 1 {
		t.Errorf("dropped_total{blocked} = %v", n)
	}

	if _, err := h.store.TouchAccount(ctx, digest.row.ChatID, digest.row.ChatID, "ru"); err != nil {
		t.Fatal(err)
	}
	if again, err := h.store.Message(ctx, grade.row.ID); err != nil || again.Blocked {
		t.Fatalf("still blocked after writing again: %+v, %v", again, err)
	}
	send(t, s, grade, jobs.Sent)
	send(t, s, digest, jobs.Ended)
	if got := texts(h.fake, digest.row.ChatID); len(got) != 1 || got[0] != "5" {
		t.Errorf("after writing again the chat has %q", got)
	}
}

// longText is about n characters of numbered lines.
func longText(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n; i++ {
		if i > 1 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%04d. Homework for the lesson, exercises %d to %d", i, i, i+5)
	}
	return b.String()
}

func TestSendSplitsLongTextAtLines(t *testing.T) {
	h := newHarness(t)
	m := h.message("digest:1:2026-11-27", longText(9000))
	m.msg.Keyboard = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "More", CallbackData: "m"}}}}

	out := send(t, h.sender(quick), m, jobs.Sent)

	got := h.fake.Sent(m.row.ChatID)
	var parts []string
	for i, msg := range got {
		parts = append(parts, msg.Text)
		if n := utf8.RuneCountInString(msg.Text); n > 4096 {
			t.Errorf("part %d has %d characters", i+1, n)
		}
		if last := i == len(got)-1; (msg.ReplyMarkup != nil) != last {
			t.Errorf("part %d: keyboard %v", i+1, msg.ReplyMarkup)
		}
	}
	if len(got) < 3 || len(out.MessageIDs) != len(got) || strings.Join(parts, "\n") != m.msg.Text {
		t.Errorf("%d parts, %d ids; joined back equal: %v", len(got), len(out.MessageIDs), strings.Join(parts, "\n") == m.msg.Text)
	}
}

// A long message whose second part failed is completed by the retry, which
// does not send the first part again.
func TestSendResumesAfterAFailedPart(t *testing.T) {
	h := newHarness(t)
	s := h.sender(quick)
	m := h.message("digest:1:2026-11-27", longText(9000))
	h.fake.FailNext("sendMessage", 1, bottest.Delayed(0)) // the first part goes through
	h.fake.FailNext("sendMessage", 1, bottest.ServerError())

	if _, err := s.Send(context.Background(), m.row, m.msg); err == nil {
		t.Fatal("the failed part went unnoticed")
	}
	out := send(t, s, m, jobs.Sent)

	got := texts(h.fake, m.row.ChatID)
	if len(got) != 3 || len(out.MessageIDs) != 2 || strings.Join(got, "\n") != m.msg.Text {
		t.Errorf("the chat has %d messages (the retry sent %d); joined back equal: %v", len(got), len(out.MessageIDs), strings.Join(got, "\n") == m.msg.Text)
	}
}

// A worker that died while sending: its retry waits for the claim's lease
// to run out, then sends, counting the send it took over as uncertain.
func TestSendAfterACrashWaitsForTheLease(t *testing.T) {
	h := newHarness(t)
	s, reg := h.metered()
	m := h.message("digest:1:2026-11-27", "Дайджест")
	if c, err := h.store.ClaimMessage(context.Background(), m.row.ID, m.row.ChatID); err != nil || !c.Claimed {
		t.Fatalf("claim: %+v, %v", c, err)
	}

	h.advance(20 * time.Second)
	_, err := s.Send(context.Background(), m.row, m.msg)
	var wait *jobs.RetryAfterError
	if !errors.As(err, &wait) || wait.Wait != diary.MessageLease-20*time.Second || jobs.IsFailure(err) {
		t.Fatalf("Send within the lease: %v", err)
	}
	if n := len(h.fake.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d sends within the lease", n)
	}

	h.advance(diary.MessageLease)
	send(t, s, m, jobs.Sent)
	h.wantMessages(m.row.ChatID, 1)
	if n := metric(t, reg, "dnevnik_messages_uncertain_total", "kind", "digest"); n != 1 {
		t.Errorf("uncertain_total = %v, want 1", n)
	}
}

// A send whose request went out and whose answer never came may have reached
// the person: it is recorded uncertain, counted, and sent again; the person
// may read it twice. A send refused before the request went out is not
// uncertain.
func TestSendWithoutAnAnswerIsUncertain(t *testing.T) {
	h := newHarness(t)
	s, reg := h.metered()
	for _, c := range []struct {
		name      string
		fault     bottest.Fault
		uncertain bool
		received  int // messages in the chat once sent again
	}{
		{"accepted, answer lost", bottest.LostAnswer(), true, 2},
		{"no answer before accepting", bottest.Delayed(time.Minute), true, 1},
		{"a 500", bottest.ServerError(), false, 1},
	} {
		m := h.message("digest:"+c.name, "Дайджест")
		h.fake.FailNext("sendMessage", 1, c.fault)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := s.Send(ctx, m.row, m.msg)
		cancel()
		if err == nil || !jobs.IsFailure(err) {
			t.Fatalf("%s: Send = %v, want a failure to retry", c.name, err)
		}
		state, reason := "queued", "unavailable"
		if c.uncertain {
			state, reason = "uncertain", "uncertain"
		}
		h.wantOutbox(m, state, reason)
		send(t, s, m, jobs.Sent)
		h.wantMessages(m.row.ChatID, c.received)
	}
	if n := metric(t, reg, "dnevnik_messages_uncertain_total", "kind", "digest"); n != 2 {
		t.Errorf("uncertain_total = %v, want 2", n)
	}
}
