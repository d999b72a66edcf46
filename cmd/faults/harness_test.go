//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/cmd/internal/services"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/samples/demo"
)

const (
	token  = "777777:FAULTS-token-for-the-fake-api-0"
	secret = "faults-secret-0123456789abcdef0123456789"
)

// The servers every scenario runs on, one after the other: some restart them.
var (
	postgres, redisServer *services.Server
	dnevnikBin            string
)

func TestMain(m *testing.M) {
	os.Exit(runAll(m))
}

func runAll(m *testing.M) int {
	services.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "faults: "+format+"\n", args...) }
	bin, err := filepath.Abs(os.Getenv("DNEVNIK_BIN"))
	if err != nil || os.Getenv("DNEVNIK_BIN") == "" {
		fmt.Fprintln(os.Stderr, "faults: DNEVNIK_BIN must name the built dnevnik binary: run `make faults`")
		return 2
	}
	dnevnikBin = bin
	if moscow, err = time.LoadLocation("Europe/Moscow"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx := context.Background()
	if postgres, err = services.StartPostgres(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer postgres.Stop()
	if redisServer, err = services.StartRedis(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer redisServer.Stop()
	return m.Run()
}

// scene is one scenario's world: a fresh database with the demo school and
// families linked, the Bot API fake, and the dnevnik processes it runs.
type scene struct {
	t     *testing.T
	ctx   context.Context
	dbURL string
	db    *pgxpool.Pool
	store *diary.Store
	fake  *bottest.Server
	rdb   *redis.Client
	chats []int64 // the guardians' chats
	logs  string  // the folder of the processes' logs
}

// newScene makes a database of its own for the scenario, with pupils pupils
// in 7А (and its first subject class), two guardians linked to each, and quiet hours off (the run may be at
// any hour), and empties Redis.
func newScene(t *testing.T, pupils int) *scene {
	t.Helper()
	ctx := context.Background()
	s := &scene{t: t, ctx: ctx, fake: bottest.New(token), logs: t.TempDir()}
	t.Cleanup(s.fake.Close)
	name := "faults_" + strings.ToLower(strings.NewReplacer("/", "_", "-", "_").Replace(t.Name()))
	admin, err := pgx.Connect(ctx, postgres.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{`DROP DATABASE IF EXISTS ` + name, `CREATE DATABASE ` + name} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.dbURL = strings.Replace(postgres.URL(), "/postgres?", "/"+name+"?", 1)
	s.dnevnik(nil, "migrate", "up")
	if s.db, err = pgxpool.New(ctx, s.dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.db.Close)
	t.Cleanup(func() { // the processes' logs, once they stopped (their cleanups run first)
		files, _ := filepath.Glob(filepath.Join(s.logs, "*.log"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
			}
			diarytest.CheckLog(t, s.db, string(b), token, secret)
		}
	})
	s.store = diary.NewStore(s.db)
	diarytest.SeedDemo(t, s.db, diary.Date(time.Now(), moscow))
	if s.chats, err = diarytest.AddFamilies(ctx, s.db, []string{demo.Class7A, demo.Class7A + "-0"}, pupils, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE accounts SET quiet_from = '00:00', quiet_to = '00:00'`); err != nil {
		t.Fatal(err)
	}
	opts, err := redis.ParseURL(redisServer.URL())
	if err != nil {
		t.Fatal(err)
	}
	s.rdb = redis.NewClient(opts)
	t.Cleanup(func() { s.rdb.Close() })
	if err := s.rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// moscow is the demo school's zone, where quiet hours are read.
var moscow *time.Location

// env is the environment of a dnevnik process of the scene, with more.
func (s *scene) env(more ...string) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"DATABASE_URL=" + s.dbURL,
		"REDIS_URL=" + redisServer.URL(),
		"TELEGRAM_TOKEN=" + token,
		"TELEGRAM_API_URL=" + s.fake.URL(),
		"LOG_LEVEL=info", // all of it scanned (diarytest.CheckLog)
		"SHUTDOWN_TIMEOUT=5s",
		"METRICS_ADDR=off",
		"DNEVNIK_SECRET=" + secret,
	}, more...)
}

// dnevnik runs a dnevnik command to its end and fails the scenario if it fails.
func (s *scene) dnevnik(env []string, args ...string) string {
	s.t.Helper()
	cmd := exec.Command(dnevnikBin, args...)
	cmd.Env = append(s.env(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("dnevnik %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// process is a long-running dnevnik command of the scene.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// start starts a long-running dnevnik command (worker, bot) with its log in
// the scene's folder; it is stopped when the scenario ends.
func (s *scene) start(name string, env []string, args ...string) *process {
	s.t.Helper()
	log, err := os.OpenFile(filepath.Join(s.logs, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(dnevnikBin, args...)
	cmd.Env = append(s.env(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	s.t.Cleanup(func() { p.stop() })
	return p
}

// log is what a process of the scene wrote.
func (s *scene) log(name string) string {
	b, _ := os.ReadFile(filepath.Join(s.logs, name+".log"))
	return string(b)
}

// stop asks the process to stop and waits for it.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// kill ends the process at once, as a crash or the OOM killer would.
func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// running tells whether the process is still up.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// worker starts `dnevnik worker` sending as fast as paid broadcast lets it,
// with /metrics on a port of its own.
func (s *scene) worker() (*process, string) {
	s.t.Helper()
	addr := freeAddr(s.t)
	return s.start("worker", []string{"TELEGRAM_PAID_BROADCAST=true", "TELEGRAM_SEND_RATE=300", "METRICS_ADDR=" + addr}, "worker"), addr
}

// announce writes an announcement to the families of 7А, as a teacher's
// /announce does, and wakes the worker.
func (s *scene) announce(body string) int64 {
	s.t.Helper()
	var id int64
	err := s.db.QueryRow(s.ctx, `INSERT INTO notices (kind, school_id, class_id, body, to_pupils)
		SELECT 'announcement', c.school_id, c.id, $2, false FROM classes c WHERE c.sourced_id = $1 RETURNING id`,
		demo.Class7A, body).Scan(&id)
	if err != nil {
		s.t.Fatal(err)
	}
	s.wake()
	return id
}

// wake enqueues a look for due notices, as the bot and an import do.
func (s *scene) wake() {
	s.t.Helper()
	opts, _ := redis.ParseURL(redisServer.URL())
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: opts.Addr, DB: opts.DB})
	defer client.Close()
	if err := jobs.NewEnqueuer(client).NoticesDue(s.ctx); err != nil {
		s.t.Fatal(err)
	}
}

// received counts the messages each chat got that contain text.
func (s *scene) received(text string) map[int64]int {
	got := map[int64]int{}
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Message != nil && strings.Contains(c.Message.Text, text) {
			got[c.Message.ChatID]++
		}
	}
	return got
}

// waitReceived waits until at least n messages with text arrived.
func (s *scene) waitReceived(text string, n int, timeout time.Duration) {
	s.t.Helper()
	err := s.fake.WaitFor(timeout, func() bool {
		total := 0
		for _, k := range s.received(text) {
			total += k
		}
		return total >= n
	})
	if err != nil {
		s.t.Fatalf("%d messages did not arrive in %v", n, timeout)
	}
}

// tally is what the chats received of one message.
type tally struct {
	missing    []int64 // chats that got nothing
	duplicates int     // messages beyond the first, in all
	twice      []int64 // chats that got it more than once
}

func (s *scene) tally(text string, chats []int64) tally {
	got := s.received(text)
	var t tally
	for _, c := range chats {
		switch n := got[c]; {
		case n == 0:
			t.missing = append(t.missing, c)
		case n > 1:
			t.duplicates += n - 1
			t.twice = append(t.twice, c)
		}
	}
	return t
}

// eventually polls done until it holds or the time runs out.
func (s *scene) eventually(timeout time.Duration, done func() bool) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if done() {
			return true
		}
	}
	return false
}

// drain waits until the outbox holds nothing still to go out and every notice
// is fanned out, and returns how long that took.
func (s *scene) drain(timeout time.Duration) time.Duration {
	s.t.Helper()
	start := time.Now()
	if s.eventually(timeout, func() bool {
		return s.count(`SELECT (SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending', 'uncertain'))
			+ (SELECT count(*) FROM notices WHERE fanned_out_at IS NULL)`) == 0
	}) {
		return time.Since(start)
	}
	var states string
	_ = s.db.QueryRow(s.ctx, `SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM outbox GROUP BY status) x`).Scan(&states)
	s.t.Fatalf("the outbox did not drain in %v: %s", timeout, states)
	return 0
}

// count runs a query of one number.
func (s *scene) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRow(s.ctx, query, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// metric reads a counter's total over its labels from a process's /metrics.
func metric(t *testing.T, addr, name string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("/metrics: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("/metrics: %v", err)
	}
	total := 0.0
	for line := range strings.Lines(string(body)) {
		if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
			fields := strings.Fields(line)
			v, _ := strconv.ParseFloat(fields[len(fields)-1], 64)
			total += v
		}
	}
	return total
}

// freeAddr is a free loopback address to listen on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
