package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// digestBatch is how many accounts the scheduler hands Digests at a time.
const digestBatch = 500

// BenchmarkDigests composes and renders evening digests for the benchmark
// district's linked accounts (BENCHMARKS.md) in batches of digestBatch, at 19:00
// in Moscow on the benchmarks' Wednesday. An op is one digest; the benchmark
// reports digests per second.
func BenchmarkDigests(b *testing.B) {
	db, linked := diarytest.BenchDistrict(b)
	store := diary.NewStore(db)
	accounts := make([]diary.AccountID, len(linked))
	for i, l := range linked {
		accounts[i] = diary.AccountID(l.Account)
	}
	ctx := context.Background()
	evening := time.Date(2026, 10, 14, 19, 0, 0, 0, moscow)
	compose := func(batch []diary.AccountID) (empty int) {
		ds, err := store.Digests(ctx, batch, evening)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) != len(batch) {
			b.Fatalf("%d digests for %d accounts", len(ds), len(batch))
		}
		for _, d := range ds {
			if _, nothing := render.Digest(locales.For(d.Language), d); nothing {
				empty++
			}
		}
		return empty
	}
	if empty := compose(accounts); empty == len(accounts) { // warms the pool and caches
		b.Fatalf("all %d digests are empty", empty)
	}
	b.ResetTimer()
	for done := 0; done < b.N; {
		batch := accounts[:min(digestBatch, len(accounts), b.N-done)]
		compose(batch)
		done += len(batch)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "digests/s")
}
