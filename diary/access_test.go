package diary_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestPupilAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.Homeroom("7А"), f.Homeroom("7Б")
	dasha := f.Pupil("Алёшина", "Дарья", c7a)
	petya := f.Pupil("Ёлкин", "Пётр", c7b)
	mum := f.Guardian(dasha)

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
		gran := f.Guardian(petya)
		f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, gran)
		_, err := f.store.PupilAccess(ctx, gran, petya)
		wantCode(t, err, diary.EREVOKED)
	})
	t.Run("an expired school year", func(t *testing.T) {
		dad := f.Guardian(dasha)
		f.Exec(`UPDATE account_links SET valid_from = '2025-09-01', valid_until = '2026-08-31' WHERE account_id = $1`, dad)
		_, err := f.store.PupilAccess(ctx, dad, dasha)
		wantCode(t, err, diary.EEXPIRED)
	})
	t.Run("a link that ends exactly now", func(t *testing.T) {
		aunt := f.Guardian(dasha)
		f.Exec(`UPDATE account_links SET valid_until = $2 WHERE account_id = $1`, aunt, f.now)
		_, err := f.store.PupilAccess(ctx, aunt, dasha)
		wantCode(t, err, diary.EEXPIRED)
	})
	t.Run("a pupil's own account reads but cannot sign", func(t *testing.T) {
		self := f.Account()
		f.Link(self, dasha, diary.RoleStudent)
		a, err := f.store.PupilAccess(ctx, self, dasha)
		if err != nil || a.CanSign() {
			t.Fatalf("access %+v, %v", a, err)
		}
	})
	t.Run("a pupil who left the school", func(t *testing.T) {
		left := f.Pupil("Семёнов", "Фёдор", c7a)
		dad := f.Guardian(left)
		f.Exec(`UPDATE people SET active = false WHERE id = $1`, left)
		_, err := f.store.PupilAccess(ctx, dad, left)
		wantCode(t, err, diary.EEXPIRED)
	})
}

func TestTrustedPersonAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dasha := f.Pupil("Алёшина", "Дарья", f.Homeroom("7А"))
	mum := f.Account()
	mumLink := f.Link(mum, dasha, diary.RoleGuardian)
	grandma := f.Account()
	grandmaLink := f.Insert(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from, valid_until)
	                     VALUES ($1, $2, 'trusted', $3, '2026-11-01', '2027-08-31') RETURNING id`, grandma, dasha, mumLink)

	a, err := f.store.PupilAccess(ctx, grandma, dasha)
	if err != nil {
		t.Fatal(err)
	}
	if a.Role != diary.RoleTrusted || a.CanSign() {
		t.Errorf("trusted access = %+v", a)
	}

	// The guardian's link ends: so does the access that hangs on it.
	f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE id = $1`, mumLink)
	_, err = f.store.PupilAccess(ctx, grandma, dasha)
	wantCode(t, err, diary.EREVOKED)

	// A revoked trusted person, with the guardian linked again.
	f.Link(mum, dasha, diary.RoleGuardian)
	f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE id = $1`, grandmaLink)
	_, err = f.store.PupilAccess(ctx, grandma, dasha)
	wantCode(t, err, diary.EREVOKED)
}

func TestTeacherClassAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.Homeroom("7А"), f.Homeroom("7Б")
	math7a := f.Section("7А Математика", "Математика")
	teacher := f.Teacher("Иванова", "Мария", c7a, math7a)
	acc := f.Account()
	f.Link(acc, teacher, diary.RoleTeacher)

	for _, c := range []diary.ClassID{c7a, math7a} {
		a, err := f.store.TeacherClassAccess(ctx, acc, c)
		if err != nil || a.Teacher.ID != teacher {
			t.Errorf("class %d: %+v, %v", c, a, err)
		}
	}
	_, err := f.store.TeacherClassAccess(ctx, acc, c7b)
	wantCode(t, err, diary.EFORBIDDEN)

	parent := f.Guardian(f.Pupil("Ёлкин", "Пётр", c7b))
	_, err = f.store.TeacherClassAccess(ctx, parent, c7b)
	wantCode(t, err, diary.EFORBIDDEN)

	f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, acc)
	_, err = f.store.TeacherClassAccess(ctx, acc, c7a)
	wantCode(t, err, diary.EREVOKED)
}

// Every view takes the PupilAccess the request holds, a teacher's read of or
// write to a class the TeacherAccess, at a lesson the LessonAccess, to a
// meeting the MeetingAccess; and only the access rule makes one: a value made
// anywhere else (a forged one naming another family's pupil, another
// teacher's class, lesson or meeting, or the zero value) is refused by every
// method of the store that takes one, found by reflection, so a new view or
// write is covered the day it is written; and nothing is written.
func TestEveryViewChecksAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7b := f.Homeroom("7Б")
	petya := f.Pupil("Ёлкин", "Пётр", c7b)
	f.Homework(c7b, "2026-11-26", "2026-11-27", "§5")
	meeting := f.Insert(`INSERT INTO events (school_id, class_id, kind, title, starts_at) VALUES ($1, $2, 'meeting', 'Собрание', $3) RETURNING id`,
		f.ID, c7b, f.now.Add(24*time.Hour))
	stranger := f.Guardian(f.Pupil("Алёшина", "Дарья", f.Homeroom("7А")))
	_, err := f.store.PupilAccess(ctx, stranger, petya)
	wantCode(t, err, diary.EFORBIDDEN)

	teacher := f.Account()
	link := f.Link(teacher, f.Teacher("Иванова", "Мария", f.Homeroom("7В")), diary.RoleTeacher)
	forgedClass := diary.TeacherAccess{Account: teacher, LinkID: link, Class: c7b}
	forgeries := map[reflect.Type][]any{
		reflect.TypeFor[diary.PupilAccess](): {
			diary.PupilAccess{Account: stranger, LinkID: 1, Role: diary.RoleGuardian, Pupil: diary.Person{ID: petya}},
			diary.PupilAccess{},
		},
		reflect.TypeFor[diary.TeacherAccess](): {forgedClass, diary.TeacherAccess{}},
		reflect.TypeFor[diary.LessonAccess](): {
			diary.LessonAccess{Account: teacher, LinkID: link, Lesson: diary.TeacherLesson{Lesson: diary.Lesson{Class: c7b, Date: day("2026-11-27"), Period: 1}}},
			diary.LessonAccess{},
		},
		reflect.TypeFor[diary.MeetingAccess](): {
			diary.MeetingAccess{Access: forgedClass, Meeting: diary.Meeting{Event: diary.Event{ID: meeting, Starts: f.now.Add(24 * time.Hour)}, ClassID: c7b}},
			diary.MeetingAccess{},
		},
	}
	before := f.teacherRows()
	store := reflect.ValueOf(f.store)
	takers := map[reflect.Type]int{}
	for i := range store.NumMethod() {
		m := store.Type().Method(i)
		at := slices.IndexFunc(slices.Collect(m.Type.Ins()), func(in reflect.Type) bool { return forgeries[in] != nil })
		if at < 0 {
			continue
		}
		takers[m.Type.In(at)]++
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
	// The 11 family views (a subject's page of grades the 11th); 5 teacher reads of a class and 4 writes to it; the
	// class list and 5 marks of a lesson; 2 changes of a meeting.
	for access, want := range map[reflect.Type]int{
		reflect.TypeFor[diary.PupilAccess](): 11, reflect.TypeFor[diary.TeacherAccess](): 9,
		reflect.TypeFor[diary.LessonAccess](): 6, reflect.TypeFor[diary.MeetingAccess](): 2,
	} {
		if takers[access] < want {
			t.Errorf("found %d methods taking a %s, want %d at least", takers[access], access, want)
		}
	}
	if after := f.teacherRows(); !maps.Equal(after, before) {
		t.Errorf("forged accesses changed the rows from %v to %v", before, after)
	}
}
