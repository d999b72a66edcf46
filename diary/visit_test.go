package diary_test

import (
	"context"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

// A visit is the account and the children the access rule lets it see now,
// as Children has them, in one statement; a visit without children, an
// account acting as a teacher and a new one get none (and read no links).
func TestVisit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a := f.Homeroom("7А")
	dasha, petya, left := f.Pupil("Алёшина", "Дарья", c7a), f.Pupil("Ёлкин", "Пётр", c7a), f.Pupil("Семёнов", "Фёдор", c7a)
	mum := f.Guardian(dasha)
	f.Link(mum, petya, diary.RoleGuardian)
	f.Link(mum, left, diary.RoleGuardian)
	f.Exec(`UPDATE people SET active = false WHERE id = $1`, left)
	f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'self' WHERE account_id = $1 AND person_id = $2`, mum, petya)
	var tg int64
	if err := f.db.QueryRow(ctx, `SELECT telegram_user_id FROM accounts WHERE id = $1`, mum).Scan(&tg); err != nil {
		t.Fatal(err)
	}

	v, err := f.store.Visit(ctx, tg, tg, "en", true)
	if err != nil {
		t.Fatal(err)
	}
	children, err := f.store.Children(ctx, mum)
	if err != nil {
		t.Fatal(err)
	}
	if v.Account.ID != mum || !v.Family || len(v.Children) != 2 || len(children) != 2 {
		t.Fatalf("visit %+v, children %+v", v, children)
	}
	for i, c := range v.Children {
		want := children[i]
		want.Class = "" // Children names the class; a visit does not
		if c != want {
			t.Errorf("child %d of the visit %+v, of Children %+v", i, c, want)
		}
	}
	if a := v.Children[0].Access; a.Pupil.ID != dasha || v.Children[0].Ended != "" || v.Children[1].Ended != diary.EEXPIRED {
		t.Errorf("children %+v: Даша live, Фёдор ended", v.Children)
	}
	if _, err := f.store.Days(ctx, v.Children[0].Access, friday, friday); err != nil {
		t.Errorf("a view refuses the visit's access: %v", err)
	}

	if v, err := f.store.Visit(ctx, tg, tg, "en", false); err != nil || v.Family || v.Children != nil || v.Account.ID != mum {
		t.Errorf("without children: %+v, %v", v, err)
	}
	if err := f.store.SetActingAs(ctx, mum, diary.ActingTeacher); err != nil {
		t.Fatal(err)
	}
	if v, err := f.store.Visit(ctx, tg, tg, "en", true); err != nil || v.Family || v.Children != nil || v.Account.ID != mum {
		t.Errorf("acting as a teacher: %+v, %v", v, err)
	}
	if v, err := f.store.Visit(ctx, 777, 777, "ru", true); err != nil || !v.Family || v.Children != nil || v.Account.ID == 0 || v.Account.Language != "ru" {
		t.Errorf("first contact: %+v, %v", v, err)
	}
}
