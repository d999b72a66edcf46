package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// sourcedID is the sourced id the fixture gave a person.
func (f *fixture) sourcedID(p diary.PersonID) string {
	f.t.Helper()
	var id string
	if err := f.db.QueryRow(context.Background(), `SELECT sourced_id FROM people WHERE id = $1`, p).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// linkedFamily is a class whose first pupil has a mother, a grandmother she
// invited and the pupil themself linked, the second a father; and a linked
// teacher of the class.
type linkedFamily struct {
	*fixture
	pupils                       []diary.PersonID
	mum, gran, petya, dad, teach diary.AccountID
	teacher                      diary.PersonID
}

func newLinkedFamily(t *testing.T) linkedFamily {
	f, pupils := codeClass(t)
	ctx := context.Background()
	lf := linkedFamily{fixture: f, pupils: pupils, mum: f.Guardian(pupils[0]), petya: f.Account(), dad: f.Guardian(pupils[1])}
	f.Link(lf.petya, pupils[0], diary.RoleStudent)
	invite, err := f.store.Invite(ctx, lf.mum, pupils[0])
	if err != nil {
		t.Fatal(err)
	}
	lf.gran = f.Account()
	if _, err := f.store.Redeem(ctx, lf.gran, 4242, invite.Code); err != nil {
		t.Fatal(err)
	}
	var class diary.ClassID
	if err := f.db.QueryRow(ctx, `SELECT id FROM classes WHERE sourced_id = '7А'`).Scan(&class); err != nil {
		t.Fatal(err)
	}
	lf.teacher = f.Teacher("Иванова", "Мария", class)
	lf.teach = f.Account()
	f.Link(lf.teach, lf.teacher, diary.RoleTeacher)
	return lf
}

func TestLinksList(t *testing.T) {
	f := newLinkedFamily(t)
	ctx := context.Background()
	all, err := f.store.Links(ctx, diary.LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Pupils' links by name (Алёшина before Ёлкин), then the teacher's.
	var got []diary.AccountID
	for _, l := range all {
		got = append(got, l.Account)
	}
	want := []diary.AccountID{f.dad, f.mum, f.petya, f.gran, f.teach}
	if len(got) != len(want) {
		t.Fatalf("links = %+v", all)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("accounts in order %v, want %v", got, want)
		}
	}
	gran := all[3]
	if gran.Role != diary.RoleTrusted || gran.InvitedBy == 0 || gran.Class != "7А" || gran.Person.FamilyName != "Ёлкин" ||
		!gran.Since.Equal(f.now) || gran.Until.IsZero() || !gran.Ended.IsZero() {
		t.Errorf("grandmother's link = %+v", gran)
	}
	for _, c := range []struct {
		filter diary.LinkFilter
		n      int
	}{
		{diary.LinkFilter{Pupil: f.sourcedID(f.pupils[0])}, 3},
		{diary.LinkFilter{Teacher: f.sourcedID(f.teacher)}, 1},
		{diary.LinkFilter{Class: "7А"}, 5},
	} {
		if links, err := f.store.Links(ctx, c.filter); err != nil || len(links) != c.n {
			t.Errorf("%+v: %d links, %v; want %d", c.filter, len(links), err, c.n)
		}
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE actor = 'school' AND action = 'links.list'`); n != 4 {
		t.Errorf("%d audit rows of looking, want 4", n)
	}
	_, err = f.store.Links(ctx, diary.LinkFilter{Pupil: "nobody"})
	wantCode(t, err, diary.ENOTFOUND)
	// A pupil's sourced id is not a teacher's.
	_, err = f.store.Links(ctx, diary.LinkFilter{Teacher: f.sourcedID(f.pupils[0])})
	wantCode(t, err, diary.ENOTFOUND)
}

func TestRevokeLinks(t *testing.T) {
	t.Run("one link, and the trusted person it invited", func(t *testing.T) {
		f := newLinkedFamily(t)
		ctx := context.Background()
		pending, _ := f.store.Invite(ctx, f.mum, f.pupils[0])
		mumLink := f.linkOf(f.mum)
		r, err := f.store.RevokeLinks(ctx, diary.LinkSelector{Link: mumLink})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Links) != 2 || r.CodesVoided != 1 || len(r.Messages) != 2 {
			t.Fatalf("revocation = %+v", r)
		}
		for _, acc := range []diary.AccountID{f.mum, f.gran} {
			_, err := f.store.PupilAccess(ctx, acc, f.pupils[0])
			wantCode(t, err, diary.EREVOKED)
		}
		// The pupil's own link and the father's stay.
		if _, err := f.store.PupilAccess(ctx, f.petya, f.pupils[0]); err != nil {
			t.Errorf("pupil lost access: %v", err)
		}
		_, err = f.store.Redeem(ctx, f.Account(), 777, pending.Code)
		wantCode(t, err, diary.EINVALID)
		// What the person is told, and only them.
		ended, err := f.store.LinkEndedBySchool(ctx, f.mum, mumLink)
		if err != nil || ended.Role != diary.RoleGuardian || ended.Person.GivenName != "Пётр" {
			t.Errorf("mum is told of %+v, %v", ended, err)
		}
		_, err = f.store.LinkEndedBySchool(ctx, f.dad, mumLink)
		wantCode(t, err, diary.ENOTFOUND)
		if n := f.count(`SELECT count(*) FROM audit_log WHERE actor = 'school' AND action = 'link.revoke' AND pupil_id = $1`,
			f.pupils[0]); n != 2 {
			t.Errorf("%d audit rows, want 2", n)
		}
		_, err = f.store.RevokeLinks(ctx, diary.LinkSelector{Link: mumLink})
		wantCode(t, err, diary.ENOTFOUND)
		list, _ := f.store.Links(ctx, diary.LinkFilter{Pupil: f.sourcedID(f.pupils[0]), Ended: true})
		for _, l := range list {
			if l.Account == f.mum && (l.EndedBy != diary.EndedBySchool || !l.Ended.Equal(f.now)) {
				t.Errorf("mum's ended link = %+v", l)
			}
		}
	})
	t.Run("every link of a pupil, and their unused codes", func(t *testing.T) {
		f := newLinkedFamily(t)
		ctx := context.Background()
		codes, err := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.store.RevokeLinks(ctx, diary.LinkSelector{Pupil: f.sourcedID(f.pupils[0])})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Links) != 3 || r.CodesVoided != 1 {
			t.Fatalf("revocation = %d links, %d codes", len(r.Links), r.CodesVoided)
		}
		for _, c := range codes {
			_, err := f.store.Redeem(ctx, f.Account(), int64(c.Person.ID)+5000, c.Code)
			if c.Person.ID == f.pupils[0] {
				wantCode(t, err, diary.EINVALID)
			} else if err != nil {
				t.Errorf("another pupil's code: %v", err)
			}
		}
		if _, err := f.store.PupilAccess(ctx, f.dad, f.pupils[1]); err != nil {
			t.Errorf("another family lost access: %v", err)
		}
	})
	t.Run("a teacher", func(t *testing.T) {
		f := newLinkedFamily(t)
		ctx := context.Background()
		r, err := f.store.RevokeLinks(ctx, diary.LinkSelector{Teacher: f.sourcedID(f.teacher)})
		if err != nil || len(r.Links) != 1 || r.Links[0].Role != diary.RoleTeacher {
			t.Fatalf("revocation = %+v, %v", r, err)
		}
		_, _, err = f.store.TeacherClasses(ctx, f.teach)
		wantCode(t, err, diary.EREVOKED)
		_, err = f.store.RevokeLinks(ctx, diary.LinkSelector{Teacher: "nobody"})
		wantCode(t, err, diary.ENOTFOUND)
	})
}

func TestUnlinkTeacher(t *testing.T) {
	f := newLinkedFamily(t)
	ctx := context.Background()
	f.Exec(`UPDATE accounts SET acting_as = 'teacher' WHERE id = $1`, f.teach)
	if err := f.store.UnlinkTeacher(ctx, f.teach); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.store.TeacherClasses(ctx, f.teach)
	wantCode(t, err, diary.EREVOKED)
	wantCode(t, f.store.UnlinkTeacher(ctx, f.teach), diary.ENOTFOUND)
	if n := f.count(`SELECT count(*) FROM accounts WHERE id = $1 AND acting_as = 'family'`, f.teach); n != 1 {
		t.Error("the chat still acts as a teacher")
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE actor = 'teacher' AND action = 'link.unlink' AND teacher_id = $1`,
		f.teacher); n != 1 {
		t.Errorf("%d audit rows", n)
	}
}

// linkOf is the live link of an account.
func (f *fixture) linkOf(a diary.AccountID) int64 {
	return int64(f.count(`SELECT id FROM account_links WHERE account_id = $1 AND revoked_at IS NULL`, a))
}
