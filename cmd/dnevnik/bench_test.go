package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
)

// runAsDnevnik makes the test binary act as dnevnik itself when `dnevnik
// bench` starts it (os.Executable) as the process under test.
const runAsDnevnik = "DNEVNIK_TEST_RUN_AS_DNEVNIK"

func TestMain(m *testing.M) {
	if os.Getenv(runAsDnevnik) != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Setenv(runAsDnevnik, "1") // for the processes bench starts, not for this one
	os.Exit(m.Run())
}

// benchEnv is a fresh database with the demo school (two classes, the
// district the runs link guardians in) and a Redis of the test's own.
func benchEnv(t *testing.T) map[string]string {
	t.Helper()
	url := diarytest.NewURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	diarytest.SeedDemo(t, pool, diary.Date(time.Now(), time.UTC))
	redisOpts := jobstest.New(t)
	return map[string]string{
		"DATABASE_URL":   url,
		"REDIS_URL":      "redis://" + redisOpts.Addr + "/" + strconv.Itoa(redisOpts.DB),
		"DNEVNIK_SECRET": testSecret,
	}
}

// dnevnik bench webhook starts dnevnik bot, links parents through its
// webhook and offers it updates: at a low rate every update is answered
// once, none refused or lost, and the chart is a PNG.
func TestBenchWebhook(t *testing.T) {
	t.Parallel()
	env := benchEnv(t)
	chart := filepath.Join(t.TempDir(), "latency.png")
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "webhook", "--rates", "10,20", "--duration", "2s", "--parents", "15", "--chart", chart}
	if code := run(context.Background(), args, envFrom(env), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "p99") {
		t.Fatalf("want a header and a line a rate:\n%s", stdout.String())
	}
	for i, line := range lines[1:] {
		// offered posted answered answered/s p50 ms p90 ms p99 ms max ms accepted-p50 ms accepted-p99 ms
		// refused lost extra RSS MB bot-cores tool-cores
		f := strings.Fields(line)
		if len(f) != 23 {
			t.Fatalf("line %q", line)
		}
		posted := 2 * []int{10, 20}[i]
		if f[1] != strconv.Itoa(posted) || f[2] != f[1] || f[16] != "0" || f[17] != "0" || f[18] != "0" {
			t.Errorf("want %d posted and answered, none refused, lost or extra: %q", posted, line)
		}
		if rss, _ := strconv.Atoi(f[19]); rss <= 0 {
			t.Errorf("no RSS: %q", line)
		}
	}
	png, err := os.ReadFile(chart)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("the chart is not a PNG: %v", err)
	}
}

// dnevnik bench broadcast starts dnevnik worker and fans an announcement out
// to the chats it linked: every chat gets it once.
func TestBenchBroadcast(t *testing.T) {
	t.Parallel()
	env := benchEnv(t)
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "broadcast", "--chats", "40", "--limit", "30"}
	if code := run(context.Background(), args, envFrom(env), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "chats 40, delivered 40, lost 0, duplicates 0, 429s ") || !strings.Contains(out, "worker max RSS") {
		t.Errorf("report:\n%s", out)
	}
}
