package oneroster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// defaultBulkRows is the size of a load from which bulkUpsert rebuilds the table's
// indexes rather than maintain them row by row. Measured on grades (two cores,
// PostgreSQL 15 with its default 128 MB of shared buffers), three million new rows
// take about 50 s to upsert past their six indexes and two foreign keys, and about
// 5 s to insert without them plus 6 s to build them again and validate the keys
// with one join each.
const defaultBulkRows = 100_000

// bulkUpsert is upsert for a table that may take millions of rows at once (a
// district's first import): the changed rows are set aside, then written by
// writeChanged.
func (im *importer) bulkUpsert(ctx context.Context, t target, source string, args ...any) (created, updated int64, err error) {
	changed, err := im.setAside(ctx, t, source, args...)
	if err != nil {
		return 0, 0, err
	}
	return im.writeChanged(ctx, t, changed, args...)
}

// setAside returns a query for the rows of source that t's table lacks or holds
// otherwise, as target.changed, columns of source after t's included. Those of
// a table that holds rows are compared once and kept in the temporary table
// or_changed_ and the table's name; of an empty table (a first import) they are
// every row of source, which is not copied again.
func (im *importer) setAside(ctx context.Context, t target, source string, args ...any) (string, error) {
	var empty bool
	if err := im.tx.QueryRow(ctx, "SELECT NOT EXISTS (SELECT FROM "+t.table+")").Scan(&empty); err != nil {
		return "", err
	}
	if empty {
		return t.fresh(source), nil
	}
	changed := "or_changed_" + t.table
	_, err := im.tx.Exec(ctx, "CREATE TEMP TABLE "+changed+" ON COMMIT DROP AS "+t.changed(source), args...)
	if err != nil {
		return "", fmt.Errorf("compare with %s: %w", t.table, err)
	}
	return "SELECT * FROM " + changed, nil
}

// writeChanged writes the rows of changed, a query yielding the key, the columns
// and stored (whether the table holds the key) of the rows the table lacks or
// holds otherwise. When they are many (Options.bulkRows, and more than the table
// already holds) and the import's role owns the table, its indexes and
// constraints are dropped (see dropIndexes), the new rows inserted and the
// changed ones updated, and the indexes and constraints made again from their
// own definitions, all in the import's transaction. Dropping them locks the
// table against readers and writers until the import commits: only a big load
// is worth that, and with the table locked no other transaction can race the
// plain INSERT that ON CONFLICT would otherwise guard.
func (im *importer) writeChanged(ctx context.Context, t target, changed string, args ...any) (created, updated int64, err error) {
	var fresh, stored int64
	var owned bool
	var held float64 // an estimate; -1 until the table is first analysed
	err = im.tx.QueryRow(ctx, `
SELECT c.fresh, c.stored, pg_has_role(relowner, 'USAGE'), reltuples
FROM pg_class,
	(SELECT count(*) FILTER (WHERE NOT stored) AS fresh, count(*) FILTER (WHERE stored) AS stored FROM (`+changed+`) c) c
WHERE oid = '`+t.table+`'::regclass`, args...).Scan(&fresh, &stored, &owned, &held)
	if err != nil {
		return 0, 0, err
	}
	rows := fresh + stored
	if rows < im.opts.bulkRows || float64(rows) < held || !owned {
		return im.upsertChanged(ctx, t, changed, args...)
	}

	rebuild, err := im.dropIndexes(ctx, t.table)
	if err != nil {
		return 0, 0, err
	}
	im.progress("%s: %d rows to write: indexes and constraints dropped until they are written", t.table, rows)
	all := strings.Join(t.all(), ", ")
	if fresh > 0 {
		tag, err := im.tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM (%s) c WHERE NOT c.stored`, t.table, all, all, changed), args...)
		if err != nil {
			return 0, 0, fmt.Errorf("insert into %s: %w", t.table, err)
		}
		created = tag.RowsAffected()
	}
	if stored > 0 {
		tag, err := im.tx.Exec(ctx, fmt.Sprintf(`UPDATE %s t SET %s FROM (%s) c WHERE c.stored AND %s`,
			t.table, t.set("c."), changed, joinEach(t.key, "t.%[1]s = c.%[1]s", " AND ")), args...)
		if err != nil {
			return 0, 0, fmt.Errorf("update %s: %w", t.table, err)
		}
		updated = tag.RowsAffected()
	}

	return created, updated, im.rebuild(ctx, t.table, rebuild)
}

// rebuild runs the statements dropIndexes returned for table.
func (im *importer) rebuild(ctx context.Context, table string, stmts []string) error {
	start := time.Now()
	for _, stmt := range stmts {
		if _, err := im.tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	im.progress("%s: indexes and constraints rebuilt (%s)", table, since(start))
	return nil
}

// emptyAndOwned reports whether table holds no rows and the import's role owns
// it, so that its indexes and constraints may be dropped while it is loaded.
func (im *importer) emptyAndOwned(ctx context.Context, table string) (bool, error) {
	var empty, owned bool
	err := im.tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM `+table+`), pg_has_role(relowner, 'USAGE')
FROM pg_class WHERE oid = '`+table+`'::regclass`).Scan(&empty, &owned)
	return empty && owned, err
}

// dropIndexes drops the indexes and constraints of table, but for the keys other
// tables' foreign keys point at, and returns the statements that make them
// again. The primary key goes too when nothing points at it: keeping it made
// inserting three million grades take twice as long as inserting them bare and
// building it after.
func (im *importer) dropIndexes(ctx context.Context, table string) ([]string, error) {
	// Constraints first: dropping one drops its index.
	rows, err := im.tx.Query(ctx, `
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
	format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
FROM pg_constraint c
WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f', 'x')
	AND NOT EXISTS (SELECT FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid AND f.conindid = c.conindid)
UNION ALL
SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid = $1::regclass
	AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid)`, table)
	if err != nil {
		return nil, err
	}
	type pair struct{ Drop, Create string }
	pairs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pair])
	if err != nil {
		return nil, fmt.Errorf("read the indexes of %s: %w", table, err)
	}
	rebuild := make([]string, len(pairs))
	for i, p := range pairs {
		if _, err := im.tx.Exec(ctx, p.Drop); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Drop, err)
		}
		rebuild[i] = p.Create
	}
	return rebuild, nil
}
