// Package importtest helps test the imports: a sample folder copied with one line
// changed, and a fingerprint of the database that shows a failed import wrote
// nothing.
package importtest

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// Fingerprint is a digest of the rows of every table in the public schema, by
// table name.
func Fingerprint(t testing.TB, db csvin.Querier) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	digests := map[string]string{}
	for _, table := range tables {
		rows, err := db.Query(ctx, `SELECT md5(COALESCE(string_agg(x::text, E'\n' ORDER BY x::text), '')) FROM `+
			pgx.Identifier{table}.Sanitize()+` x`)
		if err != nil {
			t.Fatal(err)
		}
		digest, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		digests[table] = digest
	}
	return digests
}

// CopyDir copies the files of dir into a new temporary folder and returns it.
func CopyDir(t testing.TB, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	to := t.TempDir()
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// Replace changes the one occurrence of old in the file to new.
func Replace(t testing.TB, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), old); n != 1 {
		t.Fatalf("%s has %q %d times, want once", path, old, n)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// LineOf is the number of the one line of the file that contains s.
func LineOf(t testing.TB, path, s string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			if line != 0 {
				t.Fatalf("%s has %q on lines %d and %d", path, s, line, i+1)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("%s has no line with %q", path, s)
	}
	return line
}

// FailsCleanly runs an import that must fail on a bad row: its error must be a
// *csvin.Error with the line want among its lines, and the database must be as it
// was before.
func FailsCleanly(t testing.TB, db csvin.Querier, want string, run func() error) {
	t.Helper()
	before := Fingerprint(t, db)
	err := run()
	var bad *csvin.Error
	if !errors.As(err, &bad) {
		t.Fatalf("err = %v, want a *csvin.Error", err)
	}
	if !strings.Contains("\n"+err.Error()+"\n", "\n"+want+"\n") {
		t.Errorf("error:\n%v\nwant the line\n%s", err, want)
	}
	if after := Fingerprint(t, db); !maps.Equal(before, after) {
		t.Errorf("a failed import changed the database")
	}
}
