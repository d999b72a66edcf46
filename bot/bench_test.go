package bot

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// BenchmarkCommands handles each diary command in-process, from the update to the
// answer accepted by a Bot API fake on loopback, against an imported district
// (DNEVNIK_BENCH_DATABASE_URL; make bench prepares it), round-robin over 500
// parents, and reports the median and the 99th percentile.
func BenchmarkCommands(b *testing.B) {
	db, parents := diarytest.BenchDistrict(b)
	ctx := context.Background()
	store := diary.NewStore(db)
	// A Wednesday of the first term, when the generated district has grades.
	now := time.Date(2026, 10, 14, 9, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	store.SetClock(func() time.Time { return now })
	const token = "123456:BENCH-token-for-the-fake-api-01"
	fake := bottest.New(token)
	defer fake.Close()
	bt, err := New(ctx, store, Options{Token: token, APIURL: fake.URL()})
	if err != nil {
		b.Fatal(err)
	}

	for _, cmd := range []string{"/today", "/tomorrow", "/homework", "/homework week", "/schedule", "/grades",
		"/attendance", "/remarks", "/events", "/missed", "/sign", "/children", "/settings", "/help"} {
		b.Run(cmd, func(b *testing.B) {
			update := func(i int) *models.Update {
				p := parents[i%len(parents)]
				return &models.Update{ID: int64(i), Message: &models.Message{
					Text: cmd,
					From: &models.User{ID: p.TelegramUserID, LanguageCode: "ru"},
					Chat: models.Chat{ID: p.TelegramUserID, Type: models.ChatTypePrivate},
				}}
			}
			for i := range 20 { // warm the pool and the fake's chats
				if _, err := bt.route(ctx, update(i)); err != nil {
					b.Fatal(err)
				}
			}
			var took []time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := bt.route(ctx, update(i)); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
