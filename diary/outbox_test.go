package diary_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// plan plans one message and returns its id, or 0 when its key was planned before.
func (f *fixture) plan(m diary.Outgoing) int64 {
	f.t.Helper()
	planned, err := f.store.Plan(context.Background(), []diary.Outgoing{m})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(planned) == 0 {
		return 0
	}
	return planned[0].ID
}

func (f *fixture) claimMessage(id int64) diary.Claim {
	f.t.Helper()
	c, err := f.store.ClaimMessage(context.Background(), id, 1001)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// outboxRow reads an outbox row's state, reason and counts.
func (f *fixture) outboxRow(id int64) (state, reason string, attempts, uncertain int) {
	f.t.Helper()
	err := f.db.QueryRow(context.Background(), `SELECT status, reason, attempts, uncertain FROM outbox WHERE id = $1`, id).
		Scan(&state, &reason, &attempts, &uncertain)
	if err != nil {
		f.t.Fatal(err)
	}
	return state, reason, attempts, uncertain
}

func TestPlanWritesEachKeyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	acc := f.Account()
	m := diary.Outgoing{Key: "digest:1:2026-11-27", Kind: diary.MessageDigest, Account: acc, ChatID: 1001, About: f.now,
		Due: f.now.Add(9 * time.Hour), Expires: f.now.Add(11 * time.Hour)}
	id := f.plan(m)
	if id == 0 {
		t.Fatal("the first plan wrote nothing")
	}
	if again := f.plan(m); again != 0 {
		t.Errorf("planned twice: row %d", again)
	}
	got, err := f.store.Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != diary.StateQueued || !got.Due.Equal(m.Due) || !got.Expires.Equal(m.Expires) || !got.About.Equal(f.now) ||
		got.Account != acc || got.Language != "ru" {
		t.Errorf("Message = %+v", got)
	}
	_, err = f.store.Message(ctx, id+100)
	wantCode(t, err, diary.ENOTFOUND)
}

// A message is claimed once; a retry finds it claimed until the claim's lease
// runs out, and then takes it over, counting the send it interrupted as
// uncertain. Sent is final.
func TestClaimMessageOnceUntilReleasedOrLeaseOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.plan(diary.Outgoing{Key: "digest:1:2026-11-27", Kind: diary.MessageDigest, Account: f.Account(), ChatID: 1001})

	if c := f.claimMessage(id); !c.Claimed || c.TookOver {
		t.Fatalf("first claim: %+v", c)
	}
	if c := f.claimMessage(id); c.Claimed || c.State != diary.StateSending || !c.HeldUntil.Equal(f.now.Add(diary.MessageLease)) {
		t.Fatalf("second claim within the lease: %+v", c)
	}
	if err := f.store.MessageRetry(ctx, id, "unavailable", false); err != nil {
		t.Fatal(err)
	}
	if state, reason, attempts, _ := f.outboxRow(id); state != "queued" || reason != "unavailable" || attempts != 1 {
		t.Errorf("after MessageRetry: %s %q, %d attempts", state, reason, attempts)
	}
	if c := f.claimMessage(id); !c.Claimed {
		t.Fatal("a message put back could not be claimed")
	}
	f.now = f.now.Add(diary.MessageLease + time.Second)
	if c := f.claimMessage(id); !c.Claimed || !c.TookOver {
		t.Fatalf("after the lease: %+v, want taken over", c)
	}
	if _, _, attempts, uncertain := f.outboxRow(id); attempts != 3 || uncertain != 1 {
		t.Errorf("%d attempts, %d uncertain; want 3 and 1", attempts, uncertain)
	}
	if err := f.store.MessageSent(ctx, id, 77); err != nil {
		t.Fatal(err)
	}
	if c := f.claimMessage(id); c.Claimed || c.State != diary.StateSent {
		t.Errorf("claim of a sent message: %+v", c)
	}
	for _, err := range []error{f.store.MessageRetry(ctx, id, "unavailable", true), f.store.MessageEnded(ctx, id, diary.StateDropped, diary.DropNoAccess)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if state, _, _, _ := f.outboxRow(id); state != "sent" {
		t.Errorf("a sent message became %s", state)
	}
	_, err := f.store.ClaimMessage(ctx, id+100, 1)
	wantCode(t, err, diary.ENOTFOUND)
}

// An uncertain send is counted and sent again; a dropped one never is.
func TestUncertainIsClaimedAgainDroppedIsNot(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.plan(diary.Outgoing{Key: "notice:1:1", Kind: diary.MessageNotice, Ref: 1, ChatID: 1})
	b := f.plan(diary.Outgoing{Key: "notice:1:2", Kind: diary.MessageNotice, Ref: 1, ChatID: 2})
	f.claimMessage(a)
	if err := f.store.MessageRetry(ctx, a, "unavailable", true); err != nil {
		t.Fatal(err)
	}
	if state, _, _, uncertain := f.outboxRow(a); state != "uncertain" || uncertain != 1 {
		t.Errorf("after an uncertain send: %s, %d uncertain", state, uncertain)
	}
	if c := f.claimMessage(a); !c.Claimed {
		t.Error("an uncertain message was not claimed again")
	}
	if err := f.store.MessageEnded(ctx, b, diary.StateDropped, diary.DropNoAccess); err != nil {
		t.Fatal(err)
	}
	if c := f.claimMessage(b); c.Claimed || c.State != diary.StateDropped {
		t.Errorf("claim of a dropped message: %+v", c)
	}
	if state, reason, _, _ := f.outboxRow(b); state != "dropped" || reason != diary.DropNoAccess {
		t.Errorf("dropped row: %s %q", state, reason)
	}
	if err := f.store.MessageEnded(ctx, b, diary.StateSent, ""); err == nil {
		t.Error("MessageEnded took the state sent")
	}
}

// The sweeper finds what is due and was not enqueued within SweepAfter, and
// claims whose sender died; not what waits for quiet hours to end, and not
// the same message twice in a row.
func TestOutboxToSweep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	due := f.plan(diary.Outgoing{Key: "notice:1:1", Kind: diary.MessageNotice, Ref: 1, ChatID: 1})
	held := f.plan(diary.Outgoing{Key: "notice:1:2", Kind: diary.MessageNotice, Ref: 1, ChatID: 2, Due: f.now.Add(3 * time.Hour)})
	sent := f.plan(diary.Outgoing{Key: "notice:1:3", Kind: diary.MessageNotice, Ref: 1, ChatID: 3})
	dying := f.plan(diary.Outgoing{Key: "notice:1:4", Kind: diary.MessageNotice, Ref: 1, ChatID: 4})
	f.claimMessage(sent)
	if err := f.store.MessageSent(ctx, sent, 5); err != nil {
		t.Fatal(err)
	}
	f.claimMessage(dying)

	sweep := func() []int64 {
		t.Helper()
		p, err := f.store.OutboxToSweep(ctx, 100, false)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, m := range p {
			ids = append(ids, m.ID)
		}
		return ids
	}
	if got := sweep(); len(got) != 0 {
		t.Errorf("swept %v just after planning", got)
	}
	// The queue lost its tasks: what is due goes again at once.
	if lost, err := f.store.OutboxToSweep(ctx, 100, true); err != nil || len(lost) != 1 || lost[0].ID != due {
		t.Errorf("swept %+v, %v when the queue was lost; want only %d", lost, err, due)
	}
	if _, err := f.db.Exec(ctx, `UPDATE outbox SET enqueued_at = created_at`); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(diary.SweepAfter + time.Second)
	if got := sweep(); fmt.Sprint(got) != fmt.Sprint([]int64{due, dying}) {
		t.Errorf("swept %v, want %v", got, []int64{due, dying})
	}
	if got := sweep(); len(got) != 0 {
		t.Errorf("swept %v again at once", got)
	}
	f.now = f.now.Add(3 * time.Hour)
	if got := sweep(); fmt.Sprint(got) != fmt.Sprint([]int64{due, dying, held}) {
		t.Errorf("after the quiet hours swept %v, want %v", got, []int64{due, dying, held})
	}
}

// "Delivered N of M": the notice's messages Telegram took, those that never
// will be (dropped, failed), of its recipients; one to be retried, one in
// flight and another notice's count for nothing.
func TestNoticeProgressCountsTheOutbox(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.Homeroom("7А")
	id := f.Insert(`INSERT INTO notices (kind, school_id, class_id, body) VALUES ('announcement', $1, $2, 'Текст') RETURNING id`, f.ID, c)
	for i, outcome := range []string{"sent", "sent", "dropped", "failed", "retry", "sending"} {
		m := f.plan(diary.Outgoing{Key: fmt.Sprintf("notice:%d:%d", id, i), Kind: diary.MessageNotice, Ref: id, ChatID: int64(i)})
		f.claimMessage(m)
		var err error
		switch outcome {
		case "sent":
			err = f.store.MessageSent(ctx, m, 1)
		case "dropped":
			err = f.store.MessageEnded(ctx, m, diary.StateDropped, diary.DropBlocked)
		case "failed":
			err = f.store.MessageEnded(ctx, m, diary.StateFailed, "rejected")
		case "retry":
			err = f.store.MessageRetry(ctx, m, "unavailable", false)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	f.plan(diary.Outgoing{Key: "notice:other", Kind: diary.MessageNotice, Ref: id + 1, ChatID: 9})
	f.plan(diary.Outgoing{Key: "digest:x", Kind: diary.MessageDigest, Ref: id, ChatID: 9})
	if n, err := f.store.NoticeFannedOut(ctx, id); err != nil || n != 6 {
		t.Fatalf("NoticeFannedOut = %d, %v; want 6 recipients", n, err)
	}
	if n, err := f.store.NoticeFannedOut(ctx, id); err != nil || n != 0 {
		t.Errorf("a second NoticeFannedOut = %d, %v", n, err)
	}
	p, err := f.store.NoticeProgress(ctx, id)
	if want := (diary.NoticeProgress{Delivered: 2, Failed: 2, Total: 6}); err != nil || p != want || p.Done() {
		t.Errorf("NoticeProgress = %+v (done %v), %v; want %+v, not done", p, p.Done(), err, want)
	}
}

// The scheduler plans each minute's digests once and catches up on the
// minutes it missed within its window.
func TestDigestMinutesToPlan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	minutes := func() []time.Time {
		t.Helper()
		m, err := f.store.DigestMinutesToPlan(ctx, 3*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if got := minutes(); len(got) != 4 || !got[3].Equal(f.now) || !got[0].Equal(f.now.Add(-3*time.Minute)) {
		t.Fatalf("nothing planned: %v", got)
	}
	for _, m := range minutes()[1:] {
		if err := f.store.DigestMinutePlanned(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if got := minutes(); len(got) != 1 || !got[0].Equal(f.now.Add(-3*time.Minute)) {
		t.Errorf("after planning the last three: %v", got)
	}
}

func TestBlockedAccountUntilItWritesAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.store.TouchAccount(ctx, 555, 555, "ru")
	if err != nil {
		t.Fatal(err)
	}
	id := f.plan(diary.Outgoing{Key: "digest:555", Kind: diary.MessageDigest, Account: a.ID, ChatID: 555})
	blocked := func() bool {
		t.Helper()
		m, err := f.store.Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m.Blocked
	}
	if blocked() {
		t.Fatal("a new account is blocked")
	}
	if err := f.store.MarkBlocked(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if !blocked() {
		t.Fatal("not blocked after MarkBlocked")
	}
	if _, err := f.store.TouchAccount(ctx, 555, 555, "ru"); err != nil {
		t.Fatal(err)
	}
	if blocked() {
		t.Error("still blocked after writing again")
	}
	wantCode(t, f.store.MarkBlocked(ctx, 999999), diary.ENOTFOUND)
}
