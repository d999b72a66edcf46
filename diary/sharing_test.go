package diary_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary"
)

func TestSharing(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	mum, dad := f.Account(), f.Account()
	f.Link(mum, pupils[0], diary.RoleGuardian)
	f.Link(dad, pupils[0], diary.RoleGuardian)
	invite, _ := f.store.Invite(ctx, mum, pupils[0])
	forgotten, _ := f.store.Invite(ctx, mum, pupils[0])
	grandma := f.Account()
	if _, err := f.store.Redeem(ctx, grandma, 901, invite.Code); err != nil {
		t.Fatal(err)
	}

	sh, err := f.store.Sharing(ctx, mum, pupils[0])
	if err != nil || len(sh.Trusted) != 1 || !sh.Trusted[0].Since.Equal(f.now) {
		t.Fatalf("mum's trusted people = %+v, %v", sh.Trusted, err)
	}
	// The invitation used is no longer pending; the other one is.
	if len(sh.Pending) != 1 || !sh.Pending[0].Expires.Equal(forgotten.ExpiresAt) {
		t.Fatalf("mum's pending invitations = %+v", sh.Pending)
	}
	if others, _ := f.store.Sharing(ctx, dad, pupils[0]); len(others.Trusted)+len(others.Pending) != 0 {
		t.Errorf("dad sees mum's invitations: %+v", others)
	}
	_, err = f.store.Sharing(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EFORBIDDEN)
	// Dad cannot revoke or cancel what mum granted.
	wantCode(t, f.store.RevokeTrusted(ctx, dad, pupils[0], sh.Trusted[0].LinkID), diary.ENOTFOUND)
	wantCode(t, f.store.CancelInvitation(ctx, dad, pupils[0], sh.Pending[0].ID), diary.ENOTFOUND)

	if err := f.store.RevokeTrusted(ctx, mum, pupils[0], sh.Trusted[0].LinkID); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.PupilAccess(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EREVOKED)

	// A cancelled invitation links nobody, and says no more than a wrong code.
	if err := f.store.CancelInvitation(ctx, mum, pupils[0], sh.Pending[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.Redeem(ctx, f.Account(), 902, forgotten.Code)
	wantCode(t, err, diary.EINVALID)
	if sh, _ := f.store.Sharing(ctx, mum, pupils[0]); len(sh.Trusted)+len(sh.Pending) != 0 {
		t.Errorf("after revoking and cancelling: %+v", sh)
	}
	var actions []string
	rows, _ := f.db.Query(ctx, `SELECT action || ' by ' || actor FROM audit_log WHERE account_id = $1 ORDER BY id`, mum)
	actions, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if want := []string{"link.revoke by family", "invitation.cancel by family"}; err != nil || !slices.Equal(actions, want) {
		t.Errorf("audit = %q, %v; want %q", actions, err, want)
	}
}

func TestSignWeek(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	mum := f.Guardian(pupils[0])
	friday := day("2026-11-27")
	last := diary.WeekToSign(friday)
	if !last.Equal(day("2026-11-16")) {
		t.Fatalf("on a Friday the week to sign starts %v", last)
	}
	if err := f.store.SignWeek(ctx, mum, pupils[0], last); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.store.SignWeek(ctx, mum, pupils[0], last), diary.ECONFLICT)
	wantCode(t, f.store.SignWeek(ctx, mum, pupils[0], day("2026-11-23")), diary.EINVALID) // not over yet
	wantCode(t, f.store.SignWeek(ctx, mum, pupils[0], day("2026-11-17")), diary.EINVALID) // not a Monday

	f.now = time.Date(2026, 11, 28, 12, 0, 0, 0, moscow) // Saturday
	if w := diary.WeekToSign(day("2026-11-28")); !w.Equal(day("2026-11-23")) {
		t.Errorf("on a Saturday the week to sign starts %v", w)
	}
	if err := f.store.SignWeek(ctx, mum, pupils[0], day("2026-11-23")); err != nil {
		t.Errorf("signing the week on its Saturday: %v", err)
	}
	self := f.Account()
	f.Link(self, pupils[0], diary.RoleStudent)
	wantCode(t, f.store.SignWeek(ctx, self, pupils[0], last), diary.EFORBIDDEN)
	grandma := f.Account() // invited by mum: reads the diary, never signs it
	f.Insert(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	      SELECT $1, $2, 'trusted', id, '2026-09-01' FROM account_links WHERE account_id = $3 AND person_id = $2
	      RETURNING id`, grandma, pupils[0], mum)
	wantCode(t, f.store.SignWeek(ctx, grandma, pupils[0], day("2026-11-09")), diary.EFORBIDDEN)
}
