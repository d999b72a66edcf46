package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestForget(t *testing.T) {
	f := newLinkedFamily(t)
	ctx := context.Background()
	pending, _ := f.store.Invite(ctx, f.mum, f.pupils[0])
	f.plan(diary.Outgoing{Key: "digest:mum", Kind: diary.MessageDigest, Account: f.mum, ChatID: 1})
	f.Exec(`INSERT INTO conversations (account_id, flow, expires_at) VALUES ($1, 'x', now() + interval '1 hour')`, f.mum)
	f.now = time.Date(2026, 11, 28, 10, 0, 0, 0, moscow) // a Saturday: the week can be signed
	if err := f.store.SignWeek(ctx, f.mum, f.pupils[0], day("2026-11-23")); err != nil {
		t.Fatal(err)
	}
	var user int64
	if err := f.db.QueryRow(ctx, `SELECT telegram_user_id FROM accounts WHERE id = $1`, f.mum).Scan(&user); err != nil {
		t.Fatal(err)
	}
	f.Exec(`INSERT INTO link_attempts (telegram_user_id, succeeded) VALUES ($1, true)`, user)

	got, err := f.store.Forget(ctx, f.mum)
	if err != nil {
		t.Fatal(err)
	}
	want := diary.Forgotten{Links: 1, Invited: 1, Codes: 2, Messages: 1, Signatures: 1, Attempts: 1, Conversation: 1}
	if got != want {
		t.Errorf("forgot %+v, want %+v", got, want)
	}
	// Nothing of the account is left anywhere.
	for _, q := range []string{
		`SELECT count(*) FROM accounts WHERE id = $1`,
		`SELECT count(*) FROM account_links WHERE account_id = $1`,
		`SELECT count(*) FROM outbox WHERE account_id = $1`,
		`SELECT count(*) FROM conversations WHERE account_id = $1`,
		`SELECT count(*) FROM diary_signatures WHERE account_id = $1`,
		`SELECT count(*) FROM audit_log WHERE account_id = $1`,
	} {
		if n := f.count(q, f.mum); n != 0 {
			t.Errorf("%s: %d", q, n)
		}
	}
	if n := f.count(`SELECT count(*) FROM link_attempts WHERE telegram_user_id = $1`, user); n != 0 {
		t.Errorf("%d attempts left", n)
	}
	// The grandmother's access hung on the mother's link; the others keep theirs.
	_, err = f.store.PupilAccess(ctx, f.gran, f.pupils[0])
	wantCode(t, err, diary.EFORBIDDEN)
	if _, err := f.store.PupilAccess(ctx, f.petya, f.pupils[0]); err != nil {
		t.Errorf("the pupil lost access: %v", err)
	}
	_, err = f.store.Redeem(ctx, f.Account(), 99, pending.Code)
	wantCode(t, err, diary.EINVALID)
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'account.forget' AND account_id IS NULL`); n != 1 {
		t.Errorf("%d audit rows of the forgetting", n)
	}
	_, err = f.store.Forget(ctx, f.mum)
	wantCode(t, err, diary.ENOTFOUND)
}

func TestPurge(t *testing.T) {
	f := newLinkedFamily(t)
	ctx := context.Background()
	// Old: a sent message, a used code, an ended link with its invited
	// person, an account with nothing left, a fanned-out notice, a typed code.
	old := f.now.Add(-100 * 24 * time.Hour)
	sent := f.plan(diary.Outgoing{Key: "old", Kind: diary.MessageDigest, Account: f.dad, ChatID: 1})
	f.Exec(`UPDATE outbox SET status = 'sent', sent_at = $2, created_at = $2 WHERE id = $1`, sent, old)
	waiting := f.plan(diary.Outgoing{Key: "waiting", Kind: diary.MessageDigest, Account: f.dad, ChatID: 1})
	f.Exec(`UPDATE outbox SET created_at = $2 WHERE id = $1`, waiting, old)
	f.Exec(`UPDATE account_links SET revoked_at = $2, revoked_by = 'self' WHERE id = $1`, f.linkOf(f.mum), old)
	f.Exec(`UPDATE account_links SET revoked_at = $2, revoked_by = 'guardian' WHERE account_id = $1`, f.gran, old)
	f.Exec(`UPDATE accounts SET last_seen_at = $2 WHERE id IN ($1, $3)`, f.mum, old, f.gran)
	f.Exec(`UPDATE link_codes SET used_at = $1, created_at = $1::timestamptz - interval '1 day', expires_at = $1::timestamptz + interval '1 day'`, old)
	f.Exec(`INSERT INTO link_attempts (telegram_user_id, attempted_at, succeeded) VALUES (1, $1, false), (1, $2, false)`,
		f.now.Add(-25*time.Hour), f.now.Add(-time.Hour))

	got, err := f.store.Purge(ctx, diary.DefaultRetention)
	if err != nil {
		t.Fatal(err)
	}
	// The mother's and grandmother's accounts have nothing left once their
	// links and the code the grandmother used are gone.
	want := diary.Purged{Messages: 1, Codes: 1, Attempts: 1, Links: 2, Accounts: 2}
	if got != want {
		t.Errorf("purged %+v, want %+v", got, want)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE id = $1`, waiting); n != 1 {
		t.Error("a message still to go out was purged")
	}
	for _, acc := range []diary.AccountID{f.dad, f.petya, f.teach} {
		if n := f.count(`SELECT count(*) FROM account_links WHERE account_id = $1`, acc); n != 1 {
			t.Errorf("account %d lost its live link", acc)
		}
	}
	if got, err := f.store.Purge(ctx, diary.DefaultRetention); err != nil || got != (diary.Purged{}) {
		t.Errorf("second purge %+v, %v", got, err)
	}
	_, err = f.store.Purge(ctx, time.Hour)
	wantCode(t, err, diary.EINVALID)
}
