package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// linkReads keeps the statements that read account_links, alone or in a
// batch, with their first argument.
type linkReads struct {
	mu    sync.Mutex
	reads []linkRead
}

type linkRead struct {
	sql   string
	first string // the first argument, printed
}

func (r *linkReads) add(sql string, args []any) {
	if !strings.Contains(sql, "account_links") {
		return
	}
	read := linkRead{sql: sql}
	if len(args) > 0 {
		read.first = fmt.Sprint(args[0])
	}
	r.mu.Lock()
	r.reads = append(r.reads, read)
	r.mu.Unlock()
}

func (r *linkReads) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(d.SQL, d.Args)
	return ctx
}

func (r *linkReads) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *linkReads) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (r *linkReads) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.add(d.SQL, d.Args)
}

func (r *linkReads) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// asked returns, of the statements run while do ran, how many asked the
// access rule about the account (its own links, by its id, or, for an
// account acting as a family, with the account at the start of the update:
// diary.Store.Visit, whose reading of no links for an account acting as a
// teacher diary TestVisit shows) and how many checked a link again inside a
// write's transaction (FOR SHARE).
func (r *linkReads) asked(account diary.AccountID, family bool, do func()) (checks, rechecks int, seen []string) {
	r.mu.Lock()
	r.reads = nil
	r.mu.Unlock()
	do()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, read := range r.reads {
		seen = append(seen, strings.Join(strings.Fields(read.sql), " "))
		switch {
		case strings.Contains(read.sql, "FOR SHARE"):
			rechecks++
		case strings.Contains(read.sql, "INSERT INTO accounts"):
			if family {
				checks++
			}
		case read.first == fmt.Sprint(account) || read.first == fmt.Sprint([]diary.AccountID{account}):
			checks++
		}
	}
	return checks, rechecks, seen
}

// A request asks the access rule once: a family's command about its child
// once, whatever views it shows; a teacher's button once, and a write checks
// its link once more inside its transaction.
func TestAccessCheckedOncePerRequest(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	mum.say(w.code(demo.Maxim))
	for _, command := range []string{"/today", "/tomorrow", "/schedule", "/homework", "/grades", "/grades матем", "/attendance", "/remarks", "/events", "/missed", "/sign"} {
		if checks, rechecks, seen := w.linkReads.asked(w.accountOf(100), true, func() { mum.say(command) }); checks != 1 || rechecks != 0 {
			t.Errorf("%s asked the access rule %d times and again %d times, want once:\n%s", command, checks, rechecks, strings.Join(seen, "\n"))
		}
	}

	p := locales.For("ru")
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	ivanova := w.accountOf(300)
	lessons := teacher.say("/marks")[0]
	var roster, pupil, choose, preview bottest.Message
	for _, step := range []struct {
		name            string
		do              func()
		checks, recheck int
	}{
		{"/announce", func() { choose = teacher.say("/announce")[0] }, 1, 0},
		{"a lesson's class list", func() { roster, _ = teacher.press(lessons, "2. 09:25 7А Математика") }, 1, 0},
		{"a pupil's marks", func() { pupil, _ = teacher.press(roster, "Борисов И.") }, 1, 0},
		{"a grade", func() { teacher.press(pupil, "5") }, 1, 1},
		{"the announcement's class", func() { teacher.press(choose, "7А") }, 1, 0},
		{"its preview", func() { preview = teacher.say("Завтра экскурсия")[0] }, 1, 0},
		{"sending it", func() { teacher.press(preview, p.T("announce_send")) }, 1, 1},
	} {
		if checks, rechecks, seen := w.linkReads.asked(ivanova, false, step.do); checks != step.checks || rechecks != step.recheck {
			t.Errorf("%s: asked the access rule %d times and again in the write %d times, want %d and %d:\n%s",
				step.name, checks, rechecks, step.checks, step.recheck, strings.Join(seen, "\n"))
		}
	}
}
