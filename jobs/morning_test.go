package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// An account whose digest time is 07:00 gets at 07:00 in the school's zone,
// not a minute before, a morning digest of today: today's changed lessons and
// the homework due today, not tomorrow's; in each language. A morning time
// inside the quiet hours (06:30, quiet until 07:00) is held until they end.
func TestMorningDigest(t *testing.T) {
	moscow := mustZone("Europe/Moscow")
	for lang, want := range map[string][]string{
		"ru": {"🌅 <b>Утренняя сводка</b>", "Сегодня, пт, 27 ноября", "Фёдорова", "отменён", "Принести гербарий"},
		"en": {"🌅 <b>Morning digest</b>", "Today, Fri, 27 November", "Фёдорова", "cancelled", "Принести гербарий"},
	} {
		t.Run(lang, func(t *testing.T) {
			// The demo school is seeded on a Thursday (far enough ahead that a held
			// message lies in asynq's future): its lesson changes fall on Friday.
			r := newRig(t, time.Date(2037, 11, 26, 12, 0, 0, 0, moscow))
			ctx := context.Background()
			early, held := r.link(demo.Dasha, 401), r.link(demo.Dasha, 402)
			exec := func(sql string, args ...any) {
				t.Helper()
				if _, err := r.db.Exec(ctx, sql, args...); err != nil {
					t.Fatal(err)
				}
			}
			exec(`UPDATE accounts SET digest_time = '07:00', language = $2, quiet_from = '22:00', quiet_to = '07:00' WHERE id = $1`, early, lang)
			exec(`UPDATE accounts SET digest_time = '06:30', quiet_from = '22:00', quiet_to = '07:00' WHERE id = $1`, held)
			exec(`INSERT INTO assignments (class_id, kind, title, description, assigned_on, due_on)
			      SELECT id, 'homework', 'Домашнее задание', d.text, '2037-11-25', d.due::date FROM classes,
			      (VALUES ('Принести гербарий', '2037-11-27'), ('Не сегодня: к субботе', '2037-11-28')) d (text, due)
			      WHERE sourced_id = 'demo-7a-0'`)
			r.startWorker()

			r.setNow(time.Date(2037, 11, 27, 6, 59, 0, 0, moscow))
			r.tick()
			r.settle()
			if got := texts(r.fake, 401); len(got) != 0 {
				t.Fatalf("before 07:00: %q", got)
			}
			scheduled, err := r.inspect.ListScheduledTasks(jobs.QueueSend)
			if err != nil || len(scheduled) != 1 || !scheduled[0].NextProcessAt.Equal(time.Date(2037, 11, 27, 7, 0, 0, 0, moscow)) ||
				len(texts(r.fake, 402)) != 0 {
				t.Errorf("the 06:30 digest inside the quiet hours: %d held (%v), %d sent; want one held until 07:00", len(scheduled), err, len(texts(r.fake, 402)))
			}

			r.setNow(time.Date(2037, 11, 27, 7, 0, 0, 0, moscow))
			r.tick()
			r.settle()
			got := texts(r.fake, 401)
			if len(got) != 1 {
				t.Fatalf("at 07:00: %d messages: %q", len(got), got)
			}
			for _, w := range want {
				if !strings.Contains(got[0], w) {
					t.Errorf("the morning digest lacks %q:\n%s", w, got[0])
				}
			}
			if strings.Contains(got[0], "Не сегодня") {
				t.Errorf("the morning digest tells tomorrow's homework:\n%s", got[0])
			}
		})
	}
}
