package migrations_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/migrations"
)

// schemaTables lists the tables of the public schema, goose's own aside.
func schemaTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

// Every migration's Down undoes its Up: down to nothing leaves no table, and up again
// rebuilds the same schema.
func TestMigrationsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, p, err := migrations.Open(ctx, diarytest.NewEmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sources := p.ListSources()
	if len(sources) == 0 {
		t.Fatal("no migrations embedded")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	full := schemaTables(t, db)

	results, err := p.DownTo(ctx, 0)
	if err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	if len(results) != len(sources) {
		t.Errorf("down rolled back %d migrations, want %d", len(results), len(sources))
	}
	if left := schemaTables(t, db); len(left) != 0 {
		t.Errorf("tables left after rolling everything back: %v", left)
	}

	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if again := schemaTables(t, db); !slices.Equal(again, full) {
		t.Errorf("tables after a round trip:\n%v\nwant\n%v", again, full)
	}
}
