package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestTrustedLinks(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	mum, dad := f.account(), f.account()
	f.link(mum, pupils[0], diary.RoleGuardian)
	f.link(dad, pupils[0], diary.RoleGuardian)
	invite, _ := f.store.Invite(ctx, mum, pupils[0])
	grandma := f.account()
	if _, err := f.store.Redeem(ctx, grandma, 901, invite.Code); err != nil {
		t.Fatal(err)
	}

	links, err := f.store.TrustedLinks(ctx, mum, pupils[0])
	if err != nil || len(links) != 1 || !links[0].Since.Equal(f.now) {
		t.Fatalf("mum's invitations = %+v, %v", links, err)
	}
	if others, _ := f.store.TrustedLinks(ctx, dad, pupils[0]); len(others) != 0 {
		t.Errorf("dad sees mum's invitations: %+v", others)
	}
	_, err = f.store.TrustedLinks(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EFORBIDDEN)
	// Dad cannot revoke what mum granted.
	wantCode(t, f.store.RevokeTrusted(ctx, dad, pupils[0], links[0].LinkID), diary.ENOTFOUND)

	if err := f.store.RevokeTrusted(ctx, mum, pupils[0], links[0].LinkID); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.PupilAccess(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EREVOKED)
}

func TestSignWeek(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	mum := f.guardian(pupils[0])
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
	self := f.account()
	f.link(self, pupils[0], diary.RoleStudent)
	wantCode(t, f.store.SignWeek(ctx, self, pupils[0], last), diary.EFORBIDDEN)
	grandma := f.account() // invited by mum: reads the diary, never signs it
	f.id(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	      SELECT $1, $2, 'trusted', id, '2026-09-01' FROM account_links WHERE account_id = $3 AND person_id = $2
	      RETURNING id`, grandma, pupils[0], mum)
	wantCode(t, f.store.SignWeek(ctx, grandma, pupils[0], day("2026-11-09")), diary.EFORBIDDEN)
}
