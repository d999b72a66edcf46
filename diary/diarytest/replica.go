package diarytest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Replica returns a pool on the streaming replica's copy of db's database, once
// the replica has replayed all the primary had written: DATABASE_READ_URL names
// a replica of DATABASE_URL's server (`devenv --replica`; make test runs the
// tests named *Replica* so). Without one the test is skipped.
func Replica(t testing.TB, db *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	readURL := os.Getenv("DATABASE_READ_URL")
	if readURL == "" {
		t.Skip("DATABASE_READ_URL is not set: run with `devenv --postgres --replica`, as make test does for tests named *Replica*")
	}
	server, err := pgxpool.New(context.Background(), readURL)
	if err != nil {
		t.Fatalf("diarytest: open the replica: %v", err)
	}
	defer server.Close()
	CatchUp(t, db, server) // the replica has the database once it has replayed its creation
	replica, err := pgxpool.New(context.Background(), withDatabase(readURL, db.Config().ConnConfig.Database))
	if err != nil {
		t.Fatalf("diarytest: open the replica: %v", err)
	}
	t.Cleanup(replica.Close)
	return replica
}

// CatchUp waits until the replica has replayed everything db's server had
// written when it was called.
func CatchUp(t testing.TB, db, replica *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	// The insert position: with synchronous_commit off, a commit may not be
	// written out yet, and pg_current_wal_lsn would be behind it.
	var lsn string
	if err := db.QueryRow(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		t.Fatalf("diarytest: the primary's WAL position: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var caughtUp bool
		err := replica.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&caughtUp)
		if err == nil && caughtUp {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("diarytest: the replica did not reach the primary's %s in 30 s (%v)", lsn, err)
		}
	}
}
