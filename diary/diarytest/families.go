package diarytest

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AddFamilies makes a class of a seeded school size pupils strong and links
// two guardian accounts to each of its pupils who has none: what tests and
// benchmarks of the fan-out send to. classes are sourced ids: the pupils added
// join all of them (a homeroom and its sections, say), and the first counts
// the size. The guardians of the n-th pupil without one have Telegram ids (and
// chats) firstChat + 10·n and + 1; AddFamilies returns the chats, in order.
func AddFamilies(ctx context.Context, db *pgxpool.Pool, classes []string, size int, firstChat int64) ([]int64, error) {
	if len(classes) == 0 {
		return nil, fmt.Errorf("add families: no class")
	}
	prefix := fmt.Sprintf("family-%d-", firstChat)
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO people (sourced_id, school_id, role, family_name, given_name)
		  SELECT $3 || i, c.school_id, 'student', 'Ученик', 'Номер ' || i
		  FROM classes c, generate_series(1, $2 - (SELECT count(*) FROM enrollments e
		                                          WHERE e.class_id = c.id AND e.role = 'student' AND e.active)::int) i
		  WHERE c.sourced_id = $1`, []any{classes[0], size, prefix}},
		{`INSERT INTO enrollments (class_id, person_id, role)
		  SELECT c.id, p.id, 'student' FROM people p, classes c
		  WHERE p.sourced_id LIKE $2 || '%' AND c.sourced_id = ANY($1)`, []any{classes, prefix}},
	}
	for _, s := range steps {
		if _, err := db.Exec(ctx, s.sql, s.args...); err != nil {
			return nil, fmt.Errorf("add families to %s: %w", classes[0], err)
		}
	}
	const link = `
WITH pupils AS (
    SELECT e.person_id, row_number() OVER (ORDER BY e.person_id) AS n
    FROM enrollments e JOIN classes c ON c.id = e.class_id
    WHERE c.sourced_id = $1 AND e.role = 'student' AND e.active
      AND NOT EXISTS (SELECT FROM account_links l WHERE l.person_id = e.person_id AND l.role = 'guardian')),
acc AS (
    INSERT INTO accounts (telegram_user_id, chat_id)
    SELECT $2 + 10 * n + g, $2 + 10 * n + g FROM pupils, generate_series(0, 1) g
    RETURNING id, chat_id)
INSERT INTO account_links (account_id, role, person_id, valid_from)
SELECT acc.id, 'guardian', pupils.person_id, '2026-09-01'
FROM acc JOIN pupils ON (acc.chat_id - $2) / 10 = pupils.n
RETURNING (SELECT chat_id FROM acc WHERE acc.id = account_id)`
	rows, _ := db.Query(ctx, link, classes[0], firstChat)
	chats, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("link the families of %s: %w", classes[0], err)
	}
	slices.Sort(chats)
	return chats, nil
}

// Bulk is a crowd of families for fan-out tests and benchmarks: Schools new
// schools (or, with Schools 0, the school School names), each with Classes
// homeroom classes of Pupils pupils in all, each pupil with two guardians
// linked. The guardians of the i-th pupil, counted across the schools from 1,
// have Telegram ids (and chats) FirstChat + 10·i and + 1. Sourced ids start
// with Prefix.
type Bulk struct {
	Schools   int
	School    string
	Classes   int
	Pupils    int
	FirstChat int64
	Prefix    string
}

// AddBulk writes the bulk in a few set-based statements and analyzes the
// tables it filled, as a database that has lived a while has statistics.
func AddBulk(ctx context.Context, db *pgxpool.Pool, b Bulk) error {
	if b.Classes < 1 || b.Pupils < b.Classes {
		return fmt.Errorf("add bulk: %d pupils in %d classes", b.Pupils, b.Classes)
	}
	if b.Schools > 0 {
		const schools = `INSERT INTO schools (sourced_id, name)
		                 SELECT $1 || 'school-' || k, 'Школа №' || (k + 1) FROM generate_series(1, $2::int) k`
		if _, err := db.Exec(ctx, schools, b.Prefix, b.Schools); err != nil {
			return fmt.Errorf("add bulk schools: %w", err)
		}
	}
	// The schools in order: the one named, or those just added.
	const schoolsSQL = `SELECT id FROM schools WHERE sourced_id = $1 AND $2 = 0
	                    OR $2 > 0 AND sourced_id LIKE $3 || 'school-%' ORDER BY id`
	rows, _ := db.Query(ctx, schoolsSQL, b.School, b.Schools, b.Prefix)
	schools, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(schools) == 0 {
		return fmt.Errorf("add bulk: the schools of %+v: %v", b, err)
	}
	// Pupil i is in school 1 + (i-1)/@pupils.
	steps := []string{
		`INSERT INTO classes (sourced_id, school_id, title, kind)
		 SELECT @prefix || 'class-' || s.k || '-' || c, s.id, 'Класс ' || c, 'homeroom'
		 FROM unnest(@schools::bigint[]) WITH ORDINALITY s(id, k), generate_series(1, @classes::int) c`,
		`INSERT INTO people (sourced_id, school_id, role, family_name, given_name)
		 SELECT @prefix || 'pupil-' || i, (@schools::bigint[])[1 + (i - 1) / @pupils::int], 'student', 'Ученик', 'Номер ' || i
		 FROM generate_series(1, cardinality(@schools::bigint[]) * @pupils::int) i`,
		`INSERT INTO enrollments (class_id, person_id, role)
		 SELECT c.id, p.id, 'student' FROM generate_series(1, cardinality(@schools::bigint[]) * @pupils::int) i
		 JOIN people p ON p.sourced_id = @prefix || 'pupil-' || i
		 JOIN classes c ON c.sourced_id = @prefix || 'class-' || (1 + (i - 1) / @pupils::int) || '-' || (1 + ((i - 1) % @pupils::int) / (@pupils::int / @classes::int))`,
		`INSERT INTO accounts (telegram_user_id, chat_id)
		 SELECT @chat::bigint + 10 * i + g, @chat::bigint + 10 * i + g
		 FROM generate_series(1, cardinality(@schools::bigint[]) * @pupils::int) i, generate_series(0, 1) g`,
		`INSERT INTO account_links (account_id, role, person_id, valid_from)
		 SELECT a.id, 'guardian', p.id, '2026-09-01' FROM generate_series(1, cardinality(@schools::bigint[]) * @pupils::int) i
		 CROSS JOIN generate_series(0, 1) g
		 JOIN accounts a ON a.telegram_user_id = @chat::bigint + 10 * i + g
		 JOIN people p ON p.sourced_id = @prefix || 'pupil-' || i`,
	}
	args := pgx.NamedArgs{"schools": schools, "prefix": b.Prefix, "pupils": b.Pupils, "classes": b.Classes, "chat": b.FirstChat}
	for _, step := range steps {
		if _, err := db.Exec(ctx, step, args); err != nil {
			return fmt.Errorf("add bulk: %s: %w", step, err)
		}
	}
	// Not the outbox: planned as empty, pgx's cached UPDATE of a send's
	// outcome got a generic plan that scans the whole outbox.
	if _, err := db.Exec(ctx, `ANALYZE schools, classes, people, enrollments, accounts, account_links`); err != nil {
		return fmt.Errorf("add bulk: analyze: %w", err)
	}
	return nil
}

// AddAccounts adds n accounts linked to no one, with Telegram ids (and chats)
// 1..n: what the sender's benchmarks send to.
func AddAccounts(ctx context.Context, db *pgxpool.Pool, n int) error {
	const q = `INSERT INTO accounts (telegram_user_id, chat_id) SELECT g, g FROM generate_series(1, $1::int) g`
	if _, err := db.Exec(ctx, q, n); err != nil {
		return fmt.Errorf("add %d accounts: %w", n, err)
	}
	return nil
}
