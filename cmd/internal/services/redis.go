package services

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/redis/go-redis/v9"
)

// redisDatabases is how many logical databases the throwaway Redis has: tests lease
// one each (jobs/jobstest), so it bounds how many run at once.
const redisDatabases = 128

// StartRedis starts a Redis without persistence on a free loopback port, installing
// redis-server from Debian first if it is missing and we are root.
func StartRedis(ctx context.Context) (*Server, error) {
	s, _, err := startRedis(ctx, "Redis", func(dir string, port int) []string {
		return []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--dir", dir, "--save", "", "--appendonly", "no",
			"--databases", strconv.Itoa(redisDatabases)}
	})
	if err != nil {
		return nil, err
	}
	Logf("Redis is ready: REDIS_URL=%s", s.url)
	return s, nil
}

// startRedis starts redis-server with the arguments args gives for its
// folder and a free port, and waits until it answers PING there.
func startRedis(ctx context.Context, name string, args func(dir string, port int) []string) (*Server, int, error) {
	bin, err := findBinary("redis-server")
	if err != nil {
		if bin, err = Install(ctx, "redis-server", "redis-server", "or set REDIS_URL"); err != nil {
			return nil, 0, err
		}
	}
	u, _ := runAs("") // Redis runs as whoever we are, root included
	s, logFile, err := newServer(name, u, syscall.SIGTERM)
	if err != nil {
		return nil, 0, err
	}
	defer logFile.Close()
	dir := s.dir

	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, 0, err
	}
	s.launch = func(logFile *os.File) *exec.Cmd { return u.command(logFile, bin, args(dir, port)...) }
	Logf("starting %s on 127.0.0.1:%d", name, port)
	if err := s.start(s.launch(logFile)); err != nil {
		os.RemoveAll(dir)
		return nil, 0, err
	}
	s.url = fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	s.ready = func(ctx context.Context) error {
		client := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1})
		defer client.Close()
		return client.Ping(ctx).Err()
	}
	if err := s.waitReady(ctx, s.ready); err != nil {
		s.Stop()
		return nil, 0, err
	}
	return s, port, nil
}
