package oneroster

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
)

// schema is every index and constraint of the public schema, as defined.
func schema(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `
SELECT string_agg(def, E'\n' ORDER BY def) FROM (
	SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'
	UNION ALL
	SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
	FROM pg_constraint WHERE connamespace = 'public'::regnamespace
) d`)
	s, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBulkLoad imports the sample as if it were a district: enrollments,
// assignments and grades are loaded with their indexes and constraints dropped,
// the lineItems and results of the first import copied straight into the
// empty assignments and grades.
// They must all be back after, as defined, whether the import commits or fails.
func TestBulkLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := diarytest.New(t)
	want := schema(t, pool)
	var progress bytes.Buffer
	bulk := Options{bulkRows: 1, Progress: &progress}

	// A bad result fails the import after lineItems were loaded in bulk.
	dir := importtest.CopyDir(t, "testdata/ru")
	path := filepath.Join(dir, "results.csv")
	importtest.Replace(t, path, "r-7b-math-cw1-s-7b-03,active,,li-7b-math-cw1", "r-7b-math-cw1-s-7b-03,active,,li-nope")
	importtest.FailsCleanly(t, pool, `results.csv:28: lineItemSourcedId: lineItem "li-nope" not found`, func() error {
		_, err := Import(ctx, pool, dir, bulk)
		return err
	})
	if got := schema(t, pool); got != want {
		t.Errorf("after a failed bulk import the schema is\n%s\nwant\n%s", got, want)
	}

	progress.Reset()
	s, err := Import(ctx, pool, "testdata/ru", bulk)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"enrollments", "assignments", "grades"} {
		if !strings.Contains(progress.String(), table+": indexes and constraints rebuilt") {
			t.Errorf("%s was not loaded in bulk:\n%s", table, progress.String())
		}
	}
	for _, copied := range []string{"lineItems.csv: copied straight into assignments", "results.csv: copied straight into grades"} {
		if !strings.Contains(progress.String(), copied) {
			t.Errorf("the first import did not say %q:\n%s", copied, progress.String())
		}
	}
	if got := schema(t, pool); got != want {
		t.Errorf("after a bulk import the schema is\n%s\nwant\n%s", got, want)
	}
	for _, f := range s.Files[len(s.Files)-3:] {
		if c := f.Tables[0]; c.Created == 0 || c.Updated != 0 {
			t.Errorf("%s: %+v, want rows created", f.File, c)
		}
	}
	var grades int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM grades g JOIN enrollments e USING (class_id) WHERE e.person_id = g.pupil_id`).Scan(&grades); err != nil || grades != 27 {
		t.Errorf("%d grades of enrolled pupils (%v), want 27", grades, err)
	}
	s, err = Import(ctx, pool, "testdata/ru", bulk)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Files {
		for _, c := range f.Tables {
			if c.Created+c.Updated+c.Deactivated != 0 {
				t.Errorf("re-import: %s %+v", f.File, c)
			}
		}
	}
}
