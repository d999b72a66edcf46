// Package diarytest gives each test its own PostgreSQL database.
//
// The server is the one DATABASE_URL points at (make test starts one). The first test
// of a test binary migrates a template database, named after a hash of the
// migrations so that every test binary and every run with the same schema shares it;
// each test then gets a clone of it (CREATE DATABASE ... TEMPLATE, tens of
// milliseconds), dropped when the test ends.
package diarytest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/migrations"
)

// New returns a pool on a fresh, migrated database of the test's own.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), NewURL(t))
	if err != nil {
		t.Fatalf("diarytest: open pool: %v", err)
	}
	// Registered after NewURL's drop, so it runs first.
	t.Cleanup(pool.Close)
	return pool
}

// Traced returns another pool on db's database whose connections report every
// statement to tracer: for tests that count what a request asks of PostgreSQL.
func Traced(t testing.TB, db *pgxpool.Pool, tracer pgx.QueryTracer) *pgxpool.Pool {
	t.Helper()
	cfg := db.Config().Copy()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("diarytest: open traced pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NewURL returns the URL of a fresh, migrated database of the test's own, for tests
// that run the binary's commands.
func NewURL(t testing.TB) string {
	t.Helper()
	h := get(t)
	if err := h.templateReady(); err != nil {
		t.Fatalf("diarytest: migrate template: %v", err)
	}
	return h.create(t, h.template)
}

// NewEmptyURL returns the URL of a fresh database with no schema at all, for tests of
// the migrations themselves.
func NewEmptyURL(t testing.TB) string {
	t.Helper()
	return get(t).create(t, "template0")
}

// harness is shared by the tests of one test binary.
type harness struct {
	admin    *pgxpool.Pool // on the database DATABASE_URL names
	adminURL string
	template string

	once    sync.Once
	migrate error
}

var (
	harnessOnce sync.Once
	shared      *harness
	sharedErr   error
)

func get(t testing.TB) *harness {
	t.Helper()
	harnessOnce.Do(func() { shared, sharedErr = open() })
	if sharedErr != nil {
		t.Fatalf("diarytest: %v", sharedErr)
	}
	return shared
}

func open() (*harness, error) {
	adminURL := os.Getenv("DATABASE_URL")
	if adminURL == "" {
		return nil, fmt.Errorf("DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL")
	}
	admin, err := pgxpool.New(context.Background(), adminURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	sum, err := migrationsHash()
	if err != nil {
		return nil, err
	}
	return &harness{admin: admin, adminURL: adminURL, template: "dnevnik_tmpl_" + sum[:16]}, nil
}

// migrationsHash names the schema: any change to a migration makes a new template.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (h *harness) templateReady() error {
	h.once.Do(func() { h.migrate = h.buildTemplate(context.Background()) })
	return h.migrate
}

// buildTemplate creates the template unless another test binary already has. A
// session-level advisory lock serialises test binaries running in parallel; the
// template is built under a scratch name and renamed when complete, so a crash
// half-way never leaves a broken template behind.
func (h *harness) buildTemplate(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	conn, err := h.admin.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('dnevnik diarytest template'))"); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('dnevnik diarytest template'))")

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", h.template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	scratch := h.template + "_build"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(scratch)+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(scratch)+" TEMPLATE template0"); err != nil {
		return err
	}
	if err := migrateUp(ctx, withDatabase(h.adminURL, scratch)); err != nil {
		return err
	}
	for _, stmt := range []string{
		"ALTER DATABASE " + ident(scratch) + " RENAME TO " + ident(h.template),
		"ALTER DATABASE " + ident(h.template) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

func migrateUp(ctx context.Context, dbURL string) error {
	db, p, err := migrations.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = p.Up(ctx)
	return err
}

// create makes a database from the template and drops it when the test ends.
func (h *harness) create(t testing.TB, template string) string {
	t.Helper()
	ctx := context.Background()
	name := "dnevnik_t_" + randomHex(8)
	if _, err := h.admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(template)); err != nil {
		t.Fatalf("diarytest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := h.admin.Exec(context.Background(), "DROP DATABASE "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("diarytest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(h.adminURL, name)
}

// withDatabase points a connection string, URL or key=value form, at another database.
func withDatabase(connString, name string) string {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err == nil {
			u.Path = "/" + name
			return u.String()
		}
	}
	return connString + " dbname=" + name
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
