package diarytest_test

import (
	"context"
	"sync"
	"testing"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// Two parallel tests write the same unique key at the same time; each sees only its
// own row, which a shared database would refuse (or show twice).
func TestParallelTestsAreIsolated(t *testing.T) {
	var inserted sync.WaitGroup
	inserted.Add(2)
	for _, name := range []string{"Школа №1", "Школа №2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := diarytest.New(t)
			_, err := db.Exec(ctx, `INSERT INTO schools (sourced_id, name) VALUES ('same-id', $1)`, name)
			inserted.Done()
			if err != nil {
				t.Fatal(err)
			}
			inserted.Wait() // both rows exist now, if the databases were one

			var names []string
			rows, err := db.Query(ctx, `SELECT name FROM schools`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				names = append(names, n)
			}
			if len(names) != 1 || names[0] != name {
				t.Errorf("schools = %v, want only %s", names, name)
			}
		})
	}
}

// A test's database is migrated and dropped when the test ends.
func TestDatabaseIsMigratedAndDropped(t *testing.T) {
	ctx := context.Background()
	var dbName string
	t.Run("inner", func(t *testing.T) {
		db := diarytest.New(t)
		if err := db.QueryRow(ctx, `SELECT current_database()`).Scan(&dbName); err != nil {
			t.Fatal(err)
		}
		var tables int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if tables < 10 {
			t.Errorf("only %d tables: the template is not migrated", tables)
		}
	})
	admin := diarytest.New(t) // any connection to the same server
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, dbName).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", dbName)
	}
}
