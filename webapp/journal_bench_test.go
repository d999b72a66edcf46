package webapp_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/webapp"
)

// benchTeacherIDs is where the Telegram ids of the benchmark's teachers start:
// below diarytest's sample accounts, which it reads back by id.
const benchTeacherIDs = 8_900_000_000

// BenchmarkJournal is the server's answer to journal?class=ID (initData
// checked, the visit, the access rule, diary.Store.ClassJournal, the HTML)
// on the benchmark district (BENCHMARKS.md, `make bench`): round-robin over
// up to 20 subject classes of 28 to 32 pupils, each opened by its teacher,
// over the whole first term, the clock on a school day of it. It reports the
// median and 99th percentile, and the answer's size, plain and gzipped.
func BenchmarkJournal(b *testing.B) {
	db, _ := diarytest.BenchDistrict(b)
	ctx := context.Background()
	day := time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC)
	type opener struct {
		Class   int64
		Teacher int64
		Pupils  int64
	}
	rows, _ := db.Query(ctx, `
SELECT c.id, min(t.person_id), (SELECT count(*) FROM enrollments e WHERE e.class_id = c.id AND e.role = 'student' AND e.active)
FROM classes c
JOIN enrollments t ON t.class_id = c.id AND t.role = 'teacher' AND t.active
WHERE c.kind = 'section' AND c.active AND EXISTS (SELECT FROM timetable_entries tt WHERE tt.class_id = c.id)
GROUP BY c.id
HAVING (SELECT count(*) FROM enrollments e WHERE e.class_id = c.id AND e.role = 'student' AND e.active) BETWEEN 28 AND 32
ORDER BY c.id LIMIT 20`)
	openers, err := pgx.CollectRows(rows, pgx.RowToStructByPos[opener])
	if err != nil || len(openers) == 0 {
		b.Fatalf("classes of 28 to 32 pupils: %d, %v", len(openers), err)
	}
	store := diary.NewStore(db)
	store.SetClock(func() time.Time { return day })
	srv := webapp.New(store, webapp.Options{Token: token, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return day }})
	var reqs []*http.Request
	for i, o := range openers {
		var account int64
		err := db.QueryRow(ctx, `
INSERT INTO accounts (telegram_user_id, chat_id) VALUES ($1, $1)
ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id RETURNING id`, benchTeacherIDs+i).Scan(&account)
		if err == nil {
			_, err = db.Exec(ctx, `
INSERT INTO account_links (account_id, person_id, role, valid_from) VALUES ($1, $2, 'teacher', '2026-09-01')
ON CONFLICT DO NOTHING`, account, o.Teacher)
		}
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("%sjournal?class=%d", webapp.Path, o.Class), nil)
		req.Header.Set(webapp.InitDataHeader, webapp.Sign(webapp.User{ID: int64(benchTeacherIDs + i), LanguageCode: "ru"}, token, day))
		reqs = append(reqs, req)
	}
	answer := func(req *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d\n%s", req.URL, w.Code, w.Body)
		}
		return w
	}
	var plain, zipped int
	for _, req := range reqs { // warm the pool and caches; the sizes
		body := answer(req).Body.Bytes()
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(body)
		zw.Close()
		plain, zipped = max(plain, len(body)), max(zipped, z.Len())
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		answer(reqs[i%len(reqs)])
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(plain)/1024, "max-KB")
	b.ReportMetric(float64(zipped)/1024, "max-gzip-KB")
	b.Logf("%d classes of %d to %d pupils", len(openers), openers[0].Pupils, slices.MaxFunc(openers, func(x, y opener) int { return int(x.Pupils - y.Pupils) }).Pupils)
}
