package jobs_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
)

// benchChats is how many parents the benchmarks send to, one message each
// before any gets a second.
const benchChats = 50_000

// Against a fake that enforces Telegram's 30 messages a second, a sender
// paced just under it keeps up with the limit and is never refused.
func BenchmarkSenderPacedUnderTelegramLimit(b *testing.B) {
	h := openHarness(b)
	h.fake.SetRateLimit(30, 0)
	benchSend(b, h, jobs.SenderConfig{Rate: 29.5}, 20)
	if n := h.fake.Throttled(); n > 0 {
		b.Errorf("Telegram refused %d sends with 429", n)
	}
	b.ReportMetric(float64(h.fake.Throttled()), "429s")
}

// With no limit at all, how fast the sender's path goes: the outbox's claim,
// the HTTP call to the fake, the outbox's record.
func BenchmarkSenderUnlimited(b *testing.B) {
	benchSend(b, openHarness(b), jobs.SenderConfig{Rate: -1, ChatInterval: -1}, 64)
}

// benchSend sends b.N messages to distinct chats from workers goroutines
// and reports messages per second.
func benchSend(b *testing.B, h *harness, cfg jobs.SenderConfig, workers int) {
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
	s := h.sender(cfg)

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
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
}
