package oneroster

import (
	"context"
	"fmt"
	"strings"
)

// target is a table the import upserts into.
type target struct {
	table   string
	key     []string // the conflict key: sourced_id, or a natural key
	columns []string // the rest, in the order the source query yields them after the key
	touch   bool     // the table has updated_at, set when a row changes
	bulk    bool     // a file may bring millions of rows: see bulkUpsert
}

// upsert writes the rows of source, a query yielding the key and the columns, and
// counts the rows created and updated. Rows equal to what the table holds are
// dropped by a join before the INSERT, so an unchanged re-import costs one hash
// join instead of a conflict per row, and its rows are neither written nor
// counted; the ON CONFLICT ... WHERE clause keeps that true for a row another
// transaction writes meanwhile.
func (im *importer) upsert(ctx context.Context, t target, source string, args ...any) (created, updated int64, err error) {
	if t.bulk {
		return im.bulkUpsert(ctx, t, source, args...)
	}
	return im.upsertChanged(ctx, t, t.changed(source), args...)
}

// changed is a query for the rows of source that the table lacks or holds
// otherwise, with stored telling the two apart.
func (t target) changed(source string) string {
	first := "t." + t.key[0]
	return fmt.Sprintf(`
WITH src (%s) AS (%s)
SELECT src.*, %s IS NOT NULL AS stored
FROM src LEFT JOIN %s t ON %s
WHERE %s IS NULL OR %s IS DISTINCT FROM %s`,
		strings.Join(t.all(), ", "), source, first, t.table, joinEach(t.key, "t.%[1]s = src.%[1]s", " AND "),
		first, row(t.columns, "t."), row(t.columns, "src."))
}

// fresh is changed for a table that holds no rows: every row of source.
func (t target) fresh(source string) string {
	return fmt.Sprintf(`WITH src (%s) AS (%s) SELECT src.*, false AS stored FROM src`, strings.Join(t.all(), ", "), source)
}

// upsertChanged inserts or updates the rows of a changed query.
func (im *importer) upsertChanged(ctx context.Context, t target, changed string, args ...any) (created, updated int64, err error) {
	all := strings.Join(t.all(), ", ")
	sql := fmt.Sprintf(`
WITH changed AS (%s),
up AS (
	INSERT INTO %s (%s) SELECT %s FROM changed
	ON CONFLICT (%s) DO UPDATE SET %s
	WHERE %s IS DISTINCT FROM %s
	RETURNING xmax = 0 AS created
)
SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up`,
		changed, t.table, all, all, strings.Join(t.key, ", "), t.set("excluded."),
		row(t.columns, t.table+"."), row(t.columns, "excluded."))
	if err := im.tx.QueryRow(ctx, sql, args...).Scan(&created, &updated); err != nil {
		return 0, 0, fmt.Errorf("upsert %s: %w", t.table, err)
	}
	return created, updated, nil
}

func (t target) all() []string { return append(append([]string{}, t.key...), t.columns...) }

// set assigns the columns from a row with a prefix, and updated_at when touched.
func (t target) set(prefix string) string {
	set := joinEach(t.columns, "%[1]s = "+prefix+"%[1]s", ", ")
	if t.touch {
		set += ", updated_at = now()"
	}
	return set
}

// deactivate sets active = false on the rows of table that the staging table
// marks tobedeleted, and counts those that were active.
func (im *importer) deactivate(ctx context.Context, table, staging string) (int64, error) {
	tag, err := im.tx.Exec(ctx, fmt.Sprintf(
		`UPDATE %s t SET active = false FROM %s s WHERE s.deleted AND t.sourced_id = s.sourced_id AND t.active`,
		table, staging))
	if err != nil {
		return 0, fmt.Errorf("deactivate %s: %w", table, err)
	}
	return tag.RowsAffected(), nil
}

// upsertActive upserts a table with an active column and deactivates what the file
// marks tobedeleted, counting both for the current file.
func (im *importer) upsertActive(ctx context.Context, t target, staging, source string) error {
	created, updated, err := im.upsert(ctx, t, source)
	if err != nil {
		return err
	}
	deactivated, err := im.deactivate(ctx, t.table, staging)
	if err != nil {
		return err
	}
	im.count(t.table, created, updated, deactivated)
	return nil
}

// row is a row constructor of the columns with a prefix: (t.a, t.b).
func row(columns []string, prefix string) string {
	return "(" + joinEach(columns, prefix+"%s", ", ") + ")"
}

// joinEach formats each item (as %[1]s, any number of times) and joins them.
func joinEach(items []string, format, sep string) string {
	parts := make([]string, len(items))
	for i, item := range items {
		parts[i] = fmt.Sprintf(format, item)
	}
	return strings.Join(parts, sep)
}
