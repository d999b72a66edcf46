package diary_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

func TestPupilAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.homeroom("7А"), f.homeroom("7Б")
	dasha := f.pupil("Алёшина", "Дарья", c7a)
	petya := f.pupil("Ёлкин", "Пётр", c7b)
	mum := f.guardian(dasha)

	t.Run("a guardian sees their child", func(t *testing.T) {
		a, err := f.store.PupilAccess(ctx, mum, dasha)
		if err != nil {
			t.Fatal(err)
		}
		if a.Role != diary.RoleGuardian || a.Pupil.GivenName != "Дарья" || !a.CanSign() || a.School.Location.String() != "Europe/Moscow" {
			t.Errorf("access = %+v", a)
		}
	})
	t.Run("another family's pupil", func(t *testing.T) {
		_, err := f.store.PupilAccess(ctx, mum, petya)
		wantCode(t, err, diary.EFORBIDDEN)
	})
	t.Run("a revoked link", func(t *testing.T) {
		gran := f.guardian(petya)
		f.exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, gran)
		_, err := f.store.PupilAccess(ctx, gran, petya)
		wantCode(t, err, diary.EREVOKED)
	})
	t.Run("an expired school year", func(t *testing.T) {
		dad := f.guardian(dasha)
		f.exec(`UPDATE account_links SET valid_from = '2025-09-01', valid_until = '2026-08-31' WHERE account_id = $1`, dad)
		_, err := f.store.PupilAccess(ctx, dad, dasha)
		wantCode(t, err, diary.EEXPIRED)
	})
	t.Run("a link that ends exactly now", func(t *testing.T) {
		aunt := f.guardian(dasha)
		f.exec(`UPDATE account_links SET valid_until = $2 WHERE account_id = $1`, aunt, f.now)
		_, err := f.store.PupilAccess(ctx, aunt, dasha)
		wantCode(t, err, diary.EEXPIRED)
	})
	t.Run("a pupil's own account reads but cannot sign", func(t *testing.T) {
		self := f.account()
		f.link(self, dasha, diary.RoleStudent)
		a, err := f.store.PupilAccess(ctx, self, dasha)
		if err != nil || a.CanSign() {
			t.Fatalf("access %+v, %v", a, err)
		}
	})
	t.Run("a pupil who left the school", func(t *testing.T) {
		left := f.pupil("Семёнов", "Фёдор", c7a)
		dad := f.guardian(left)
		f.exec(`UPDATE people SET active = false WHERE id = $1`, left)
		_, err := f.store.PupilAccess(ctx, dad, left)
		wantCode(t, err, diary.EEXPIRED)
	})
}

func TestTrustedPersonAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dasha := f.pupil("Алёшина", "Дарья", f.homeroom("7А"))
	mum := f.account()
	mumLink := f.link(mum, dasha, diary.RoleGuardian)
	grandma := f.account()
	grandmaLink := f.id(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from, valid_until)
	                     VALUES ($1, $2, 'trusted', $3, '2026-11-01', '2027-08-31') RETURNING id`, grandma, dasha, mumLink)

	a, err := f.store.PupilAccess(ctx, grandma, dasha)
	if err != nil {
		t.Fatal(err)
	}
	if a.Role != diary.RoleTrusted || a.CanSign() {
		t.Errorf("trusted access = %+v", a)
	}

	// The guardian's link ends: so does the access that hangs on it.
	f.exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE id = $1`, mumLink)
	_, err = f.store.PupilAccess(ctx, grandma, dasha)
	wantCode(t, err, diary.EREVOKED)

	// A revoked trusted person, with the guardian linked again.
	f.link(mum, dasha, diary.RoleGuardian)
	f.exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE id = $1`, grandmaLink)
	_, err = f.store.PupilAccess(ctx, grandma, dasha)
	wantCode(t, err, diary.EREVOKED)
}

func TestTeacherClassAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.homeroom("7А"), f.homeroom("7Б")
	math7a := f.section("7А Математика", "Математика")
	teacher := f.teacher("Иванова", "Мария", c7a, math7a)
	acc := f.account()
	f.link(acc, teacher, diary.RoleTeacher)

	for _, c := range []diary.ClassID{c7a, math7a} {
		a, err := f.store.TeacherClassAccess(ctx, acc, c)
		if err != nil || a.Teacher.ID != teacher {
			t.Errorf("class %d: %+v, %v", c, a, err)
		}
	}
	_, err := f.store.TeacherClassAccess(ctx, acc, c7b)
	wantCode(t, err, diary.EFORBIDDEN)

	parent := f.guardian(f.pupil("Ёлкин", "Пётр", c7b))
	_, err = f.store.TeacherClassAccess(ctx, parent, c7b)
	wantCode(t, err, diary.EFORBIDDEN)

	f.exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, acc)
	_, err = f.store.TeacherClassAccess(ctx, acc, c7a)
	wantCode(t, err, diary.EREVOKED)
}

// Every view takes the PupilAccess (or a teacher's read, the TeacherAccess)
// the request holds, and only the access rule makes one: a value made
// anywhere else (a forged one naming another family's pupil or another
// teacher's class, or the zero value) is refused by every method of the store
// that takes one, found by reflection, so a new view is covered the day it is
// written.
func TestEveryViewChecksAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7b := f.homeroom("7Б")
	petya := f.pupil("Ёлкин", "Пётр", c7b)
	f.homework(c7b, "2026-11-26", "2026-11-27", "§5")
	stranger := f.guardian(f.pupil("Алёшина", "Дарья", f.homeroom("7А")))
	_, err := f.store.PupilAccess(ctx, stranger, petya)
	wantCode(t, err, diary.EFORBIDDEN)

	teacher := f.account()
	f.link(teacher, f.teacher("Иванова", "Мария", f.homeroom("7В")), diary.RoleTeacher)
	forgeries := map[reflect.Type][]any{
		reflect.TypeFor[diary.PupilAccess](): {
			diary.PupilAccess{Account: stranger, LinkID: 1, Role: diary.RoleGuardian, Pupil: diary.Person{ID: petya}},
			diary.PupilAccess{},
		},
		reflect.TypeFor[diary.TeacherAccess](): {
			diary.TeacherAccess{Account: teacher, LinkID: 1, Class: c7b},
			diary.TeacherAccess{},
		},
	}
	store := reflect.ValueOf(f.store)
	views := 0
	for i := range store.NumMethod() {
		m := store.Type().Method(i)
		at := slices.IndexFunc(slices.Collect(m.Type.Ins()), func(in reflect.Type) bool { return forgeries[in] != nil })
		if at < 0 {
			continue
		}
		views++
		for _, forged := range forgeries[m.Type.In(at)] {
			args := make([]reflect.Value, m.Type.NumIn()-1) // without the receiver
			for j := range args {
				args[j] = reflect.Zero(m.Type.In(j + 1))
			}
			args[0], args[at-1] = reflect.ValueOf(ctx), reflect.ValueOf(forged)
			out := store.Method(i).Call(args)
			err, _ := out[len(out)-1].Interface().(error)
			if diary.ErrorCode(err) != diary.EFORBIDDEN {
				t.Errorf("%s with a forged access: error %v, want %s", m.Name, err, diary.EFORBIDDEN)
			}
			if len(out) == 2 && !out[0].IsZero() {
				t.Errorf("%s returned data with its error: %+v", m.Name, out[0])
			}
		}
	}
	if views < 15 {
		t.Errorf("found %d methods taking an access value, want the 10 family views and 5 teacher reads at least", views)
	}
}
