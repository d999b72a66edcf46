package diary_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func (f *fixture) claim(d diary.Delivery) bool {
	f.t.Helper()
	claimed, err := f.store.ClaimDelivery(context.Background(), d)
	if err != nil {
		f.t.Fatal(err)
	}
	return claimed
}

// row reads a ledger row's status, error and message id.
func (f *fixture) row(key string) (status, reason string, messageID *int64) {
	f.t.Helper()
	err := f.db.QueryRow(context.Background(), `SELECT status, error, message_id FROM deliveries WHERE dedup_key = $1`, key).
		Scan(&status, &reason, &messageID)
	if err != nil {
		f.t.Fatal(err)
	}
	return status, reason, messageID
}

func TestClaimDeliveryOnceUntilFailedOrLeaseOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := diary.Delivery{Key: "digest:1:2026-11-27", Kind: "digest", Account: f.account(), ChatID: 1001}

	if !f.claim(d) {
		t.Fatal("the first claim was refused")
	}
	if f.claim(d) {
		t.Fatal("claimed twice within the lease")
	}
	st, err := f.store.DeliveryState(ctx, d.Key)
	if err != nil || st.Sent || !st.HeldUntil.Equal(f.now.Add(diary.DeliveryLease)) {
		t.Errorf("state of a claimed delivery: %+v, %v", st, err)
	}

	if err := f.store.DeliveryFailed(ctx, d.Key, "unavailable"); err != nil {
		t.Fatal(err)
	}
	if status, reason, _ := f.row(d.Key); status != "failed" || reason != "unavailable" {
		t.Errorf("after DeliveryFailed: %s %q", status, reason)
	}
	if !f.claim(d) {
		t.Fatal("a failed delivery could not be claimed again")
	}

	f.now = f.now.Add(diary.DeliveryLease - time.Second)
	if f.claim(d) {
		t.Fatal("claimed before the lease ran out")
	}
	f.now = f.now.Add(2 * time.Second)
	if !f.claim(d) {
		t.Fatal("a claim past its lease could not be taken over")
	}

	if err := f.store.DeliverySent(ctx, d.Key, []int{7, 8}); err != nil {
		t.Fatal(err)
	}
	if status, _, id := f.row(d.Key); status != "sent" || id == nil || *id != 8 {
		t.Errorf("after DeliverySent: %s, message %v", status, id)
	}
	f.now = f.now.Add(24 * time.Hour)
	if f.claim(d) {
		t.Fatal("a sent delivery was claimed again")
	}
	if err := f.store.DeliveryFailed(ctx, d.Key, "unavailable"); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.row(d.Key); status != "sent" {
		t.Errorf("DeliveryFailed changed a sent delivery to %s", status)
	}
	if st, err := f.store.DeliveryState(ctx, d.Key); err != nil || !st.Sent || !st.HeldUntil.IsZero() {
		t.Errorf("state of a sent delivery: %+v, %v", st, err)
	}
}

func TestDeliveryUnknownKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wantCode(t, f.store.DeliverySent(ctx, "nothing", []int{1}), diary.ENOTFOUND)
	_, err := f.store.DeliveryState(ctx, "nothing")
	wantCode(t, err, diary.ENOTFOUND)
}

// "Delivered N of M": the notice's sends Telegram took, those that never will
// be (blocked, rejected), of its recipients; a send to be retried, one in
// flight, another notice's and a part's receipt count for nothing.
func TestNoticeProgressCountsTheLedger(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.homeroom("7А")
	id := f.id(`INSERT INTO notices (kind, school_id, class_id, body, fanned_out_at, recipients)
	            VALUES ('announcement', $1, $2, 'Текст', now(), 6) RETURNING id`, f.school, c)
	for i, outcome := range []string{"sent", "sent", "blocked", "rejected", "unavailable", "claimed"} {
		d := diary.Delivery{Key: fmt.Sprintf("notice:%d:%d", id, i), Kind: diary.DeliveryNotice, RefID: id, ChatID: int64(i)}
		f.claim(d)
		switch outcome {
		case "sent":
			if err := f.store.DeliverySent(ctx, d.Key, []int{1}); err != nil {
				t.Fatal(err)
			}
			if err := f.store.PartSent(ctx, d, 1, 1); err != nil {
				t.Fatal(err)
			}
		case "claimed":
		default:
			if err := f.store.DeliveryFailed(ctx, d.Key, outcome); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.claim(diary.Delivery{Key: "notice:other", Kind: diary.DeliveryNotice, RefID: id + 1, ChatID: 9})
	f.claim(diary.Delivery{Key: "digest:x", Kind: "digest", RefID: id, ChatID: 9})

	p, err := f.store.NoticeProgress(ctx, id)
	if want := (diary.NoticeProgress{Delivered: 2, Failed: 2, Total: 6}); err != nil || p != want || p.Done() {
		t.Errorf("NoticeProgress = %+v (done %v), %v; want %+v, not done", p, p.Done(), err, want)
	}
}

func TestDeliveryPartsLeaveReceipts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := diary.Delivery{Key: "digest:1:2026-11-27", Kind: "digest", RefID: 5, Account: f.account(), ChatID: 1001}
	f.claim(d)
	for part, id := range map[int]int{1: 10, 2: 11} {
		if err := f.store.PartSent(ctx, d, part, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.PartSent(ctx, d, 2, 11); err != nil { // a retry recording it again
		t.Fatal(err)
	}
	if n, err := f.store.PartsSent(ctx, d.Key, 3); err != nil || n != 2 {
		t.Errorf("PartsSent = %d, %v; want 2", n, err)
	}
	if n, err := f.store.PartsSent(ctx, "digest:2:2026-11-27", 3); err != nil || n != 0 {
		t.Errorf("PartsSent of another delivery = %d, %v", n, err)
	}
}

func TestDeliveryBlockedAccountUntilItWritesAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.store.TouchAccount(ctx, 555, 555, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if blocked, err := f.store.Blocked(ctx, a.ID); err != nil || blocked {
		t.Fatalf("a new account is blocked: %v, %v", blocked, err)
	}
	if err := f.store.MarkBlocked(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if blocked, err := f.store.Blocked(ctx, a.ID); err != nil || !blocked {
		t.Fatalf("after MarkBlocked: %v, %v", blocked, err)
	}
	if _, err := f.store.TouchAccount(ctx, 555, 555, "ru"); err != nil {
		t.Fatal(err)
	}
	if blocked, err := f.store.Blocked(ctx, a.ID); err != nil || blocked {
		t.Errorf("still blocked after writing again: %v, %v", blocked, err)
	}
	wantCode(t, f.store.MarkBlocked(ctx, 999999), diary.ENOTFOUND)
	_, err = f.store.Blocked(ctx, 999999)
	wantCode(t, err, diary.ENOTFOUND)
}
