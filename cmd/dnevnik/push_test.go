package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
)

// A grade changed by an import reaches the family within 5 s of the import
// (p95 of ten imports, each changing one grade), measured from the start of
// `dnevnik import` to the fake Telegram receiving the push from a running
// `dnevnik worker` with its production settings: the import wakes the worker
// through Redis instead of waiting for its minute look.
func TestImportPushesGradesWithinSeconds(t *testing.T) {
	t.Parallel()
	fake, env, dir := importedSchool(t, "515151:PUSH-token-for-the-fake-api-000")
	const parent = 7001
	linkGuardian(t, env["DATABASE_URL"], "class-7a", "s-7a-01", parent)
	defer runWorker(t, env)()

	const imports = 10
	var took []time.Duration
	line := "r-7a-math-cw1-s-7a-01,active,,li-7a-math-cw1,s-7a-01,fully graded,%d,2026-11-09,"
	for i := range imports {
		from, to := 5-i%2, 4+i%2 // 5 → 4 → 5 → …: one grade changes each time
		importtest.Replace(t, filepath.Join(dir, "results.csv"), fmt.Sprintf(line, from), fmt.Sprintf(line, to))
		start := time.Now()
		code, out, stderr := dnevnik(t, env, "import", "oneroster", dir)
		if code != exitOK || !strings.Contains(out, "the worker is told of the 1 notices") {
			t.Fatalf("import %d: %d\n%s%s", i+1, code, out, stderr)
		}
		if err := fake.WaitFor(15*time.Second, func() bool { return len(fake.Sent(parent)) == i+1 }); err != nil {
			t.Fatalf("push %d never came: %d messages", i+1, len(fake.Sent(parent)))
		}
		msgs := fake.Sent(parent)
		if got := msgs[i].Text; !strings.Contains(got, strconv.Itoa(to)) {
			t.Errorf("push %d reads %q, want the grade %d", i+1, got, to)
		}
		took = append(took, pushedAt(fake, parent, i).Sub(start))
	}
	slices.Sort(took)
	p95 := took[(len(took)*95+99)/100-1]
	t.Logf("import to push, %d imports: median %v, p95 %v, max %v", imports, took[len(took)/2], p95, took[len(took)-1])
	if p95 > 5*time.Second {
		t.Errorf("p95 from import to push %v, want under 5 s (all: %v)", p95, took)
	}
}

// importedSchool is a live environment (liveEnv) with the sample school
// imported by the binary, as a school would; dir is the copy of its OneRoster
// files, to change and import again.
func importedSchool(t *testing.T, token string) (fake *bottest.Server, env map[string]string, dir string) {
	t.Helper()
	fake, env = liveEnv(t, token)
	env["LOG_LEVEL"] = "warn"
	if code, out, stderr := dnevnik(t, env, "migrate", "up"); code != exitOK {
		t.Fatalf("migrate: %d\n%s%s", code, out, stderr)
	}
	dir = importtest.CopyDir(t, "../../imports/oneroster/testdata/ru")
	if code, out, stderr := dnevnik(t, env, "import", "oneroster", dir); code != exitOK {
		t.Fatalf("first import: %d\n%s%s", code, out, stderr)
	}
	return fake, env, dir
}

// runWorker runs `dnevnik worker` in the environment, its log at debug level
// and scanned (processLog), until the returned stop.
func runWorker(t *testing.T, env map[string]string) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	log, workerEnv := processLog(t, env), maps.Clone(env)
	workerEnv["LOG_LEVEL"] = "debug"
	go func() { done <- run(ctx, []string{"worker"}, envFrom(workerEnv), io.Discard, log) }()
	return func() {
		cancel()
		<-done
	}
}

// pushedAt is when the fake received the nth message (from 0) to chat.
func pushedAt(fake *bottest.Server, chat int64, n int) time.Time {
	for _, c := range fake.Calls("sendMessage") {
		if c.Message != nil && c.Params["chat_id"] == strconv.FormatInt(chat, 10) {
			if n == 0 {
				return c.Time
			}
			n--
		}
	}
	return time.Time{}
}

// linkGuardian links a new account (Telegram id = chat id = tgID) as the
// guardian of a pupil of a class, through a code as a parent would, with
// quiet hours off, whatever the hour the test runs at.
func linkGuardian(t *testing.T, dbURL, class, pupil string, tgID int64) {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	store := diary.NewStore(pool)
	codes, err := store.IssueClassCodes(ctx, class, diary.RoleGuardian, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := store.TouchAccount(ctx, tgID, tgID, "ru")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c.PersonSourceID == pupil {
			if _, err := store.Redeem(ctx, acc.ID, tgID, c.Code); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE accounts SET quiet_from = '00:00', quiet_to = '00:00' WHERE id = $1`, acc.ID); err != nil {
		t.Fatal(err)
	}
}
