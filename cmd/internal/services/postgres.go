package services

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// StartPostgres initialises a cluster in a temporary folder and starts it on a free
// loopback port, tuned for throwaway data (no fsync).
func StartPostgres(ctx context.Context) (*Server, error) {
	initdb, err := findBinary("initdb", "/usr/lib/postgresql/*/bin")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL binaries: %w (install postgresql or set DATABASE_URL)", err)
	}
	bin := filepath.Dir(initdb)
	u, err := runAs("postgres")
	if err != nil {
		return nil, err
	}
	s, logFile, err := newServer("PostgreSQL", u, syscall.SIGINT) // SIGINT: fast shutdown
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	dir := s.dir

	data := filepath.Join(dir, "data")
	Logf("initialising a throwaway PostgreSQL cluster in %s", data)
	if err := u.command(logFile, initdb, "-D", data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync").Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w:\n%s", err, tail(s.log))
	}

	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.launch = func(logFile *os.File) *exec.Cmd {
		return u.command(logFile, filepath.Join(bin, "postgres"), "-D", data,
			"-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "max_connections=300")
	}
	Logf("starting PostgreSQL on 127.0.0.1:%d", port)
	if err := s.start(s.launch(logFile)); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	s.ready = func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	}
	if err := s.waitReady(ctx, s.ready); err != nil {
		s.Stop()
		return nil, err
	}
	Logf("PostgreSQL is ready: DATABASE_URL=%s", s.url)
	return s, nil
}
