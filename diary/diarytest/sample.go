package diarytest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BenchDistrict opens the imported district the benchmarks run on (named by
// DNEVNIK_BENCH_DATABASE_URL; make bench prepares it), adds absences and remarks,
// and links guardian accounts to 500 of its pupils. Without the variable the
// benchmark is skipped.
func BenchDistrict(b *testing.B) (*pgxpool.Pool, []Linked) {
	b.Helper()
	url := os.Getenv("DNEVNIK_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("DNEVNIK_BENCH_DATABASE_URL is not set: run `make bench` (BENCHMARKS.md)")
	}
	ctx := context.Background()
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	if err := AddMarks(ctx, db); err != nil {
		b.Fatal(err)
	}
	linked, err := LinkSample(ctx, db, 500)
	if err != nil {
		b.Fatal(err)
	}
	return db, linked
}

// Linked is a guardian's Telegram account linked to a pupil.
type Linked struct {
	Account        int64
	TelegramUserID int64
	Pupil          int64
}

// sampleTelegramIDs is where the Telegram ids of sample accounts start, far from
// any real or test account.
const sampleTelegramIDs = 9_000_000_000

// LinkSample gives n pupils spread over a large imported district (benchmarks)
// a guardian account each. It is idempotent: later runs reuse the accounts.
func LinkSample(ctx context.Context, db *pgxpool.Pool, n int) ([]Linked, error) {
	const link = `
WITH sample AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM people
    WHERE role = 'student' AND active AND id % 40 = 0 ORDER BY id LIMIT $1),
acc AS (
    INSERT INTO accounts (telegram_user_id, chat_id)
    SELECT $2 + n, $2 + n FROM sample
    ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id
    RETURNING id, telegram_user_id)
INSERT INTO account_links (account_id, person_id, role, valid_from)
SELECT acc.id, sample.id, 'guardian', '2026-09-01'
FROM acc JOIN sample ON acc.telegram_user_id = $2 + sample.n
ON CONFLICT DO NOTHING`
	if _, err := db.Exec(ctx, link, n, sampleTelegramIDs); err != nil {
		return nil, fmt.Errorf("link sample accounts: %w", err)
	}
	rows, _ := db.Query(ctx, `
SELECT a.id, a.telegram_user_id, l.person_id FROM account_links l JOIN accounts a ON a.id = l.account_id
WHERE a.telegram_user_id > $1 AND l.revoked_at IS NULL ORDER BY a.id`, sampleTelegramIDs)
	linked, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Linked])
	if err != nil {
		return nil, fmt.Errorf("read sample accounts: %w", err)
	}
	if len(linked) == 0 {
		return nil, fmt.Errorf("the database has no pupils to link: import a district first")
	}
	return linked, nil
}

// AddMarks gives an imported district what OneRoster does not carry: whole-day
// absences (about one pupil in ten each school day of the first term's weeks,
// half of them excused) and remarks, so that benchmarks read realistic
// attendance and remarks. It is idempotent, and analyses both tables.
func AddMarks(ctx context.Context, db *pgxpool.Pool) error {
	const absences = `
INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, excused, reason)
SELECT e.class_id, e.person_id, d::date, NULL, 'absent', e.person_id % 2 = 0, 'болезнь'
FROM enrollments e
JOIN classes c ON c.id = e.class_id AND c.kind = 'homeroom'
CROSS JOIN generate_series('2026-09-01'::date, '2026-10-23'::date, interval '1 day') d
WHERE e.role = 'student' AND extract(isodow FROM d) < 6
  AND (e.person_id + extract(doy FROM d)::int) % 10 = 0
ON CONFLICT DO NOTHING`
	const remarks = `
INSERT INTO remarks (pupil_id, class_id, kind, body, given_on)
SELECT e.person_id, e.class_id, CASE WHEN e.person_id % 3 = 0 THEN 'warning' ELSE 'praise' END,
       'Замечание для нагрузки', '2026-09-01'::date + (e.person_id % 50)::int
FROM enrollments e JOIN classes c ON c.id = e.class_id AND c.kind = 'section'
WHERE e.role = 'student' AND (e.person_id + e.class_id) % 7 = 0
  AND NOT EXISTS (SELECT FROM remarks r WHERE r.pupil_id = e.person_id AND r.class_id = e.class_id)`
	for _, q := range []string{absences, remarks, "ANALYZE attendance", "ANALYZE remarks"} {
		if _, err := db.Exec(ctx, q); err != nil {
			return fmt.Errorf("add marks to the district: %w", err)
		}
	}
	return nil
}
