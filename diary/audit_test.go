package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestAudit(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	f.Exec(`UPDATE people SET sourced_id = 't-ivanova' WHERE id = $1`, f.ivanovaID)
	if _, err := f.store.Announce(ctx, f.teaching(f.volkova, f.c7a), diary.Announcement{Body: "Экскурсия"}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Hour)
	id := f.meeting(f.ivanova, f.c7b)

	all, err := f.store.Audit(ctx, diary.AuditFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("the whole log: %+v, %v", all, err)
	}
	if a := all[0]; a.Action != "announce" || a.Class != "7А" || a.Teacher.FamilyName != "Волкова" || a.Detail == "" {
		t.Errorf("first record: %+v", a)
	}
	if m := all[1]; m.Action != "meeting.create" || m.Class != "7Б" || m.Ref != id || m.TeacherSourcedID != "t-ivanova" ||
		!m.At.Equal(f.now) {
		t.Errorf("second record: %+v", m)
	}
	for name, c := range map[string]struct {
		filter diary.AuditFilter
		want   int
	}{
		"since":   {diary.AuditFilter{Since: f.now}, 1},
		"teacher": {diary.AuditFilter{Teacher: "t-ivanova"}, 1},
		"class":   {diary.AuditFilter{Class: "7А"}, 1},
		"both":    {diary.AuditFilter{Teacher: "t-ivanova", Class: "7А"}, 0},
	} {
		if got, err := f.store.Audit(ctx, c.filter); err != nil || len(got) != c.want {
			t.Errorf("%s: %d records (%v), want %d", name, len(got), err, c.want)
		}
	}
	_, err = f.store.Audit(ctx, diary.AuditFilter{Teacher: "t-nobody"})
	wantCode(t, err, diary.ENOTFOUND)
	_, err = f.store.Audit(ctx, diary.AuditFilter{Class: "11Я"})
	wantCode(t, err, diary.ENOTFOUND)
}
