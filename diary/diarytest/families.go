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
