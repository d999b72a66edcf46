package webapp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/webapp"
)

// benchDay is a Wednesday of term 1, when the generated district has grades
// (as diary's view benchmarks pin it).
var benchDay = time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)

// BenchmarkWeekScreen is the week screen's whole server answer on the
// benchmark district (`make bench`, BENCHMARKS.md "The web app"): initData
// checked, the account visited, the week read, the grid rendered and
// gzipped, round-robin over 500 linked guardians. Its floor, in the same
// run, is the diary's Week alone after the access check (Floor).
func BenchmarkWeekScreen(b *testing.B) {
	db, linked := diarytest.BenchDistrict(b)
	at := benchDay.Add(9 * time.Hour)
	store := diary.NewStore(db)
	store.SetClock(func() time.Time { return at })
	app := webapp.New(store, webapp.Options{Token: token, Now: func() time.Time { return at }})
	requests := make([]*http.Request, len(linked))
	for i, l := range linked {
		r := httptest.NewRequest(http.MethodGet, webapp.Path+"week?child="+strconv.FormatInt(l.Pupil, 10), nil)
		r.Header.Set(webapp.InitDataHeader, webapp.Sign(webapp.User{ID: l.TelegramUserID, LanguageCode: "ru"}, token, at))
		r.Header.Set("Accept-Encoding", "gzip")
		requests[i] = r
	}
	b.Run("Screen", func(b *testing.B) {
		measure(b, len(requests), func(i int) error {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, requests[i])
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", requests[i].URL, w.Code, w.Body)
			}
			return nil
		})
	})
	b.Run("Floor", func(b *testing.B) {
		ctx := context.Background()
		measure(b, len(linked), func(i int) error {
			a, err := store.PupilAccess(ctx, diary.AccountID(linked[i].Account), diary.PersonID(linked[i].Pupil))
			if err != nil {
				return err
			}
			_, err = store.Week(ctx, a, benchDay)
			return err
		})
	})
}

// measure runs do round-robin over n, after warming up on the first 20, and
// reports the median and the 99th percentile.
func measure(b *testing.B, n int, do func(i int) error) {
	for i := range min(n, 20) {
		if err := do(i); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := do(i % n); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
