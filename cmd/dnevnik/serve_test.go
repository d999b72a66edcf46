package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
)

// dnevnik serve runs the bot, the worker and the scheduler on real PostgreSQL and
// Redis, answers /healthz and /metrics, and stops cleanly on a signal; with
// LOG_FORMAT=json every line it logs is JSON.
func TestServe(t *testing.T) {
	t.Parallel()
	fake, env := liveEnv(t, "424242:SERVE-token-for-the-fake-api-00")
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	env["HTTP_ADDR"], env["METRICS_ADDR"], env["SHUTDOWN_TIMEOUT"], env["LOG_FORMAT"] = addr, metricsAddr, "10s", "json"
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int, 1)
	log := io.MultiWriter(&stderr, processLog(t, env))
	go func() { done <- run(ctx, []string{"serve"}, envFrom(env), io.Discard, log) }()

	get := func(path string) (int, string) {
		at := addr
		if path == "/metrics" {
			at = metricsAddr
		}
		resp, err := http.Get("http://" + at + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(10 * time.Second)
	for code, _ := get("/healthz"); code != http.StatusOK; code, _ = get("/healthz") {
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never answered 200; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The queue gauges appear once the watcher has looked at the queues.
	for code, body := get("/metrics"); code != http.StatusOK || !strings.Contains(body, "dnevnik_queue_depth"); code, body = get("/metrics") {
		if time.Now().After(deadline) {
			t.Fatalf("/metrics: %d\n%.300s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// /metrics is not on the public port.
	if resp, err := http.Get("http://" + addr + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on HTTP_ADDR: %v, %v; want 404", resp, err)
	} else {
		resp.Body.Close()
	}
	// The bot polls the fake: it answers a message.
	fake.SendText(bottest.User{ID: 7, FirstName: "Ольга", LanguageCode: "ru"}, "/help")
	if _, err := fake.WaitSent(7, 1, 10*time.Second); err != nil {
		t.Errorf("the bot did not answer: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("LOG_FORMAT=json, but a line is not JSON: %q", line)
		}
	}
}

// liveEnv is the environment of a long-running command on a database and a
// Redis database of the test's own, talking to a Bot API fake that closes
// when the test ends; no /metrics listener unless the test sets one.
func liveEnv(t *testing.T, token string) (*bottest.Server, map[string]string) {
	t.Helper()
	fake := bottest.New(token)
	t.Cleanup(fake.Close)
	redisOpts := jobstest.New(t)
	return fake, map[string]string{
		"DATABASE_URL":     diarytest.NewURL(t),
		"REDIS_URL":        "redis://" + redisOpts.Addr + "/" + strconv.Itoa(redisOpts.DB),
		"TELEGRAM_TOKEN":   token,
		"TELEGRAM_API_URL": fake.URL(),
		"METRICS_ADDR":     "off",
		"DNEVNIK_SECRET":   testSecret,
	}
}

// processLog is the stderr of a long-running command of the test: its log,
// scanned when the test ends for what a log must never hold (names, grade
// comments, codes, the token, the secret; diarytest.LogWriter).
func processLog(t *testing.T, env map[string]string) io.Writer {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close) // after the scan, which is registered after it
	return diarytest.LogWriter(t, pool, env["TELEGRAM_TOKEN"], env["DNEVNIK_SECRET"])
}

// freeAddr is a free loopback address to listen on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
