package diary_test

import (
	"context"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

func TestClassSignatures(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	monday := day("2026-11-16")
	if err := f.store.SignWeek(ctx, f.mum, f.dasha, monday); err != nil {
		t.Fatal(err)
	}
	f.Exec(`INSERT INTO diary_signatures (pupil_id, week_start, account_id) VALUES ($1, '2026-11-09', $2)`, f.petya, f.mum)

	list, err := f.store.ClassSignatures(ctx, f.teaching(f.ivanova, f.c7a), monday)
	if err != nil || len(list) != 3 {
		t.Fatalf("signatures: %+v, %v", list, err)
	}
	// By name: Алёшина, Ёлкин, Львов; only Даша's week is signed.
	if list[0].Pupil.ID != f.dasha || list[0].Signed != 1 || !list[0].SignedAt.Equal(f.now) {
		t.Errorf("Даша: %+v", list[0])
	}
	if list[1].Pupil.ID != f.petya || list[1].Signed != 0 || !list[1].SignedAt.IsZero() || list[2].Signed != 0 {
		t.Errorf("Петя and Лев: %+v", list[1:])
	}
	_, err = f.store.TeacherClassAccess(ctx, f.volkova, f.c7b)
	wantCode(t, err, diary.EFORBIDDEN)
	_, err = f.store.ClassSignatures(ctx, f.teaching(f.ivanova, f.c7a), day("2026-11-17"))
	wantCode(t, err, diary.EINVALID)
}
