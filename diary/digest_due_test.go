package diary_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// A digest is due at the account's chosen time in its child's school's zone, or
// in the account's own zone when it chose one.
func TestDueDigests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a := f.Homeroom("7А")
	moscowMum := f.Guardian(f.Pupil("Алёшина", "Дарья", c7a))
	f.Exec(`INSERT INTO schools (sourced_id, name, time_zone) VALUES ('s2', 'Школа №2', 'Asia/Yekaterinburg')`)
	ekbPupil := f.Pupil("Ёлкин", "Пётр", c7a)
	f.Exec(`UPDATE people SET school_id = (SELECT id FROM schools WHERE sourced_id = 's2') WHERE id = $1`, ekbPupil)
	ekbDad := f.Guardian(ekbPupil)
	traveller := f.Guardian(f.Pupil("Борисов", "Иван", c7a))
	f.Exec(`UPDATE accounts SET time_zone = 'Asia/Vladivostok' WHERE id = $1`, traveller)
	blocked := f.Guardian(f.Pupil("Григорьева", "Софья", c7a))
	f.Exec(`UPDATE accounts SET blocked_at = now() WHERE id = $1`, blocked)
	f.Account() // linked to nobody

	due := func(at time.Time) []diary.AccountID {
		list, err := f.store.DueDigests(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var ids []diary.AccountID
		for _, d := range list {
			ids = append(ids, d.Account)
		}
		return ids
	}
	utc := func(h, m, s int) time.Time { return time.Date(2026, 11, 27, h, m, s, 0, time.UTC) }
	// 19:00 in Moscow is 16:00 UTC; in Yekaterinburg 14:00 UTC; in Vladivostok 09:00 UTC.
	if got := due(utc(16, 0, 30)); len(got) != 1 || got[0] != moscowMum {
		t.Errorf("16:00 UTC: %v, want Moscow's account only", got)
	}
	if got := due(utc(14, 0, 0)); len(got) != 1 || got[0] != ekbDad {
		t.Errorf("14:00 UTC: %v, want Yekaterinburg's", got)
	}
	if got := due(utc(9, 0, 59)); len(got) != 1 || got[0] != traveller {
		t.Errorf("09:00 UTC: %v, want the account in its own zone", got)
	}
	if got := due(utc(16, 1, 0)); len(got) != 0 {
		t.Errorf("16:01 UTC: %v, want none", got)
	}
}
