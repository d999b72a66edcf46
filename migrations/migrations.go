// Package migrations holds the diary's SQL schema, embedded into the binary, and
// applies it with goose.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var FS embed.FS

// NewProvider returns a goose provider for the embedded migrations. It holds a
// PostgreSQL advisory lock while it migrates, so a one-shot migrate container and a
// starting server never apply the same migration at once.
func NewProvider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, FS,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// Open connects database/sql over pgx to the database (goose speaks
// database/sql), checks that the server answers, so that a wrong URL fails with
// one clear line, and returns the provider. Closing the provider closes db.
func Open(ctx context.Context, databaseURL string) (*sql.DB, *goose.Provider, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("cannot reach PostgreSQL at %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	p, err := NewProvider(db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, p, nil
}
