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

	if err := s.launchPostgres(u, logFile, bin, data, "PostgreSQL", "synchronous_commit=off"); err != nil {
		return nil, err
	}
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

// launchPostgres starts the postgres of data (what names it in the log) on a
// free loopback port with postgresLauncher's settings and these, and sets the
// server's URL; on failure it removes the server's folder.
func (s *Server) launchPostgres(u serviceUser, logFile *os.File, bin, data, what string, settings ...string) error {
	port, err := freePort()
	if err != nil {
		os.RemoveAll(s.dir)
		return err
	}
	s.launch = postgresLauncher(u, bin, data, s.dir, port, settings...)
	Logf("starting %s on 127.0.0.1:%d", what, port)
	if err := s.start(s.launch(logFile)); err != nil {
		os.RemoveAll(s.dir)
		return err
	}
	s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return nil
}

// postgresLauncher starts the postgres of data on port, its socket in dir,
// for tests: on loopback, without flushing to disk, with room for the tests'
// connections, and the settings given (name=value).
func postgresLauncher(u serviceUser, bin, data, dir string, port int, settings ...string) func(*os.File) *exec.Cmd {
	return func(logFile *os.File) *exec.Cmd {
		args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300"}
		for _, setting := range settings {
			args = append(args, "-c", setting)
		}
		return u.command(logFile, filepath.Join(bin, "postgres"), args...)
	}
}

// StartReplica starts a streaming replica of primary (a PostgreSQL of
// StartPostgres): a base backup taken with pg_basebackup -R, served read-only
// on a free loopback port of its own, following the primary's WAL.
func StartReplica(ctx context.Context, primary *Server) (*Server, error) {
	initdb, err := findBinary("initdb", "/usr/lib/postgresql/*/bin") // as StartPostgres finds them
	if err == nil {
		initdb, err = filepath.EvalSymlinks(initdb) // to the folder of them all
	}
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL binaries: %w", err)
	}
	bin := filepath.Dir(initdb)
	primaryURL, err := pgx.ParseConfig(primary.url)
	if err != nil {
		return nil, err
	}
	u, err := runAs("postgres")
	if err != nil {
		return nil, err
	}
	s, logFile, err := newServer("PostgreSQL replica", u, syscall.SIGINT)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	dir := s.dir
	data := filepath.Join(dir, "data")
	Logf("copying the primary into a replica in %s (pg_basebackup -R)", data)
	// -R writes primary_conninfo and standby.signal: it starts as a standby.
	if err := u.command(logFile, filepath.Join(bin, "pg_basebackup"), "-D", data, "-h", primaryURL.Host, "-p", strconv.Itoa(int(primaryURL.Port)),
		"-U", "postgres", "-R", "-X", "stream", "-c", "fast", "--no-sync").Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_basebackup: %w:\n%s", err, tail(s.log))
	}
	if err := s.launchPostgres(u, logFile, bin, data, "the PostgreSQL replica", "hot_standby=on"); err != nil {
		return nil, err
	}
	s.ready = func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		var streaming bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')`).Scan(&streaming); err != nil {
			return err
		}
		if !streaming {
			return fmt.Errorf("not streaming from the primary yet")
		}
		return nil
	}
	if err := s.waitReady(ctx, s.ready); err != nil {
		s.Stop()
		return nil, err
	}
	Logf("the PostgreSQL replica is streaming: DATABASE_READ_URL=%s", s.url)
	return s, nil
}
