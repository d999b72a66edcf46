package jobs_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
)

// benchChats is how many parents the benchmarks send to, one message each
// before any gets a second.
const benchChats = 50_000

// telegramRoundTrip is Telegram's round trip from a server in Europe.
const telegramRoundTrip = 100 * time.Millisecond

// With the default settings, against a fake that enforces Telegram's 30
// messages a second (and one a second per chat) over Telegram's round trip,
// the sender keeps close to the limit and is never refused. The figures:
// msg/s, its share of the limit, the 429s.
func BenchmarkSenderAtTelegramLimit(b *testing.B) {
	h := openHarness(b)
	h.fake.SetLatency(telegramRoundTrip)
	h.fake.SetRateLimit(30, 1)
	benchAtLimit(b, h, jobs.SenderConfig{}, 30)
}

// Paid broadcasts (allow_paid_broadcast) may go at 1000 a second: over the
// same round trip, the sends in flight grow to keep that rate.
func BenchmarkSenderPaidBroadcast(b *testing.B) {
	h := openHarness(b)
	h.fake.SetLatency(telegramRoundTrip)
	h.fake.SetRateLimit(1000, 1)
	benchAtLimit(b, h, jobs.SenderConfig{PaidBroadcast: true}, 1000)
}

// benchAtLimit sends b.N messages with cfg from as many goroutines as the
// worker would run tasks, and reports the rate as a share of Telegram's limit.
func benchAtLimit(b *testing.B, h *harness, cfg jobs.SenderConfig, limit float64) {
	s := h.sender(cfg)
	rdb := redis.NewClient(h.redis)
	defer rdb.Close()
	before := redisCommands(b, rdb)
	rate := benchSend(b, h, s, s.Concurrency())
	b.ReportMetric(float64(redisCommands(b, rdb)-before)/float64(b.N), "redis-cmds/msg")
	b.ReportMetric(100*rate/limit, "%limit")
	b.ReportMetric(spare(h.fake, int(limit)).Seconds()*1000, "spare-ms")
	b.ReportMetric(float64(h.fake.Throttled()), "429s")
	if n := h.fake.Throttled(); n > 0 {
		b.Errorf("Telegram refused %d sends with 429", n)
	}
}

// redisCommands is how many commands the Redis server has run.
func redisCommands(b *testing.B, rdb *redis.Client) int64 {
	info, err := rdb.Info(context.Background(), "stats").Result()
	if err != nil {
		b.Fatal(err)
	}
	_, after, _ := strings.Cut(info, "total_commands_processed:")
	n, err := strconv.ParseInt(strings.TrimSpace(strings.SplitN(after, "\n", 2)[0]), 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// spare is how close the sends came to a 429: the least time past a second
// that any limit+1 sends Telegram accepted in a row took to arrive.
func spare(fake *bottest.Server, limit int) time.Duration {
	var arrived []time.Time
	for _, c := range fake.Calls("sendMessage") {
		if c.Status == http.StatusOK {
			arrived = append(arrived, c.Time)
		}
	}
	slices.SortFunc(arrived, time.Time.Compare)
	least := time.Duration(math.MaxInt64)
	for i := 0; i+limit < len(arrived); i++ {
		least = min(least, arrived[i+limit].Sub(arrived[i])-time.Second)
	}
	return least
}

// With no limit at all, how fast the sender's path goes: the outbox's claim,
// the HTTP call to the fake, the outbox's record.
func BenchmarkSenderUnlimited(b *testing.B) {
	h := openHarness(b)
	benchSend(b, h, h.sender(jobs.SenderConfig{Rate: -1, ChatInterval: -1}), 64)
}

// benchSend sends b.N messages to distinct chats with s from workers
// goroutines and reports messages per second.
func benchSend(b *testing.B, h *harness, s *jobs.Sender, workers int) (perSecond float64) {
	ctx := context.Background()
	if err := diarytest.AddAccounts(ctx, h.db, benchChats); err != nil {
		b.Fatal(err)
	}
	// b.N messages planned in the outbox, to the chats in turn.
	rows, _ := h.db.Query(ctx, `SELECT id, chat_id FROM accounts ORDER BY telegram_user_id`)
	accounts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		ID   diary.AccountID
		Chat int64
	}])
	if err != nil {
		b.Fatal(err)
	}
	out := make([]diary.Outgoing, b.N)
	for i := range out {
		a := accounts[(i+1)%len(accounts)]
		out[i] = diary.Outgoing{Key: fmt.Sprint("notice:", i+1), Kind: diary.MessageNotice, Account: a.ID, ChatID: a.Chat}
	}
	if _, err := h.store.Plan(ctx, out); err != nil {
		b.Fatal(err)
	}
	rows, err = h.db.Query(ctx, `SELECT id, kind, account_id, chat_id FROM outbox ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	to, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (diary.OutboxMessage, error) {
		var m diary.OutboxMessage
		return m, row.Scan(&m.ID, &m.Kind, &m.Account, &m.ChatID)
	})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism(max(1, workers/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m := to[next.Add(1)-1]
			if _, err := s.Send(ctx, m, jobs.Message{Text: "Новая оценка: <b>5</b> по математике"}); err != nil {
				b.Error(err)
			}
		}
	})
	perSecond = float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(perSecond, "msg/s")
	return perSecond
}
