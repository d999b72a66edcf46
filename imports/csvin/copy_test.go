package csvin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// TestCopyRoundTrip copies values that COPY's text format must escape and reads
// them back as PostgreSQL stored them.
func TestCopyRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := diarytest.New(t)
	r, ps := open(t, "tricky.csv", "text,list\n"+
		"\"tab\there, back\\slash\",\"a, b\\c ,\"\"q\"\"\"\n"+
		"\"two\nlines\r\",\n"+
		"\\N,{x}\n")
	text, list := r.Required("text"), r.Required("list")
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE t (line int, text text, list text[], n numeric(6,2), day date, flag bool, missing text)`); err != nil {
		t.Fatal(err)
	}
	columns := []string{"line", "text", "list", "n", "day", "flag", "missing"}
	var row []any
	n, err := Copy(ctx, tx, r, "t", columns, func() []any {
		var items []string
		for item := range strings.SplitSeq(r.Value(list), ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		row = append(row[:0], r.Line(), r.Value(text), items, 12.5, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), r.Line() == 2, nil)
		return row
	})
	if err != nil || n != 3 || ps.Len() != 0 {
		t.Fatalf("copied %d rows: %v %v", n, err, ps.Err())
	}
	rows, _ := tx.Query(ctx, `SELECT format('%s|%s|%s|%s|%s|%s|%s', line, text, list, n, day, flag, missing IS NULL) FROM t ORDER BY line`)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2|tab\there, back\\slash|{a,\"b\\\\c\",\"\\\"q\\\"\"}|12.50|2026-09-01|t|t",
		"3|two\nlines||12.50|2026-09-01|f|t",
		"5|\\N|{\"{x}\"}|12.50|2026-09-01|f|t",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
