package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestIssueTeacherCodes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.Homeroom("7А"), f.Homeroom("7Б")
	ivanova := f.Teacher("Иванова", "Мария", c7b, c7a, f.Section("7А Физика", "Физика"))
	f.Teacher("Волкова", "Елена", f.Section("7Б Физика", "Физика"))
	f.Exec(`UPDATE people SET active = false WHERE id = $1`, f.Teacher("Ушедшая", "Анна"))
	f.Pupil("Ёлкин", "Пётр", c7a)

	codes, err := f.store.IssueTeacherCodes(ctx, "s1", 72*time.Hour)
	if err != nil || len(codes) != 2 {
		t.Fatalf("codes: %+v, %v; want one per active teacher", codes, err)
	}
	if c := codes[1]; c.Person.ID != ivanova || c.Class != "7А, 7Б" || c.Role != diary.RoleTeacher || c.School != "Школа №1" ||
		!c.ExpiresAt.Equal(f.now.Add(72*time.Hour)) {
		t.Errorf("Иванова's code: %+v", c)
	}
	if codes[0].Person.FamilyName != "Волкова" || codes[0].Class != "" {
		t.Errorf("Волкова's code: %+v", codes[0])
	}
	// The code links the teacher's own account, and she acts on her classes
	// until the end of their school year, as every link does.
	f.Terms()
	acc := f.Account()
	r, err := f.store.Redeem(ctx, acc, 4242, codes[1].Code)
	if err != nil || r.Role != diary.RoleTeacher || r.Person.ID != ivanova ||
		!r.Until.Equal(time.Date(2027, 6, 1, 0, 0, 0, 0, moscow)) {
		t.Fatalf("redeem: %+v, %v", r, err)
	}
	if _, err := f.store.TeacherClassAccess(ctx, acc, c7b); err != nil {
		t.Errorf("the linked teacher may not act on her class: %v", err)
	}
	now := f.now
	f.now = time.Date(2027, 6, 2, 9, 0, 0, 0, moscow)
	_, err = f.store.TeacherClassAccess(ctx, acc, c7b)
	wantCode(t, err, diary.EEXPIRED)
	f.now = now

	_, err = f.store.IssueTeacherCodes(ctx, "nope", time.Hour)
	wantCode(t, err, diary.ENOTFOUND)
	_, err = f.store.IssueTeacherCodes(ctx, "s1", 0)
	wantCode(t, err, diary.EINVALID)
	f.Exec(`INSERT INTO schools (sourced_id, name) VALUES ('s2', 'Пустая')`)
	if codes, err := f.store.IssueTeacherCodes(ctx, "s2", time.Hour); err != nil || len(codes) != 0 {
		t.Errorf("a school without teachers: %+v, %v", codes, err)
	}
}
