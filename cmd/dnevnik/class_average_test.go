package main

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
)

// The class average a family sees in the term's grades is the import's: after
// the first import, and after one that changes a grade and deletes another.
// The database keeps the averages per class and term (migration 14), and the
// importer writes grades its own way (bulk statements): this shows they follow.
func TestClassAverageFollowsTheImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := diarytest.NewURL(t)
	env := map[string]string{"DATABASE_URL": url, "LOG_LEVEL": "warn"}
	dir := importtest.CopyDir(t, ruSample)
	if code, out, stderr := dnevnik(t, env, "import", "oneroster", dir); code != exitOK {
		t.Fatalf("first import: %d\n%s%s", code, out, stderr)
	}
	const parent = 7101
	linkGuardian(t, url, "class-7a", "s-7a-01", parent)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// The link was made today; the clock below is in November.
	if _, err := pool.Exec(ctx, `UPDATE account_links SET valid_from = '2026-09-01'`); err != nil {
		t.Fatal(err)
	}
	store := diary.NewStore(pool)
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	store.SetClock(func() time.Time { return friday })

	// seen is 7А's maths class average in Алёна's term grades, as her mother
	// reads them.
	seen := func() float64 {
		t.Helper()
		acc, err := store.TouchAccount(ctx, parent, parent, "ru")
		if err != nil {
			t.Fatal(err)
		}
		var alyona diary.PersonID
		if err := pool.QueryRow(ctx, `SELECT id FROM people WHERE sourced_id = 's-7a-01'`).Scan(&alyona); err != nil {
			t.Fatal(err)
		}
		a, err := store.PupilAccess(ctx, acc.ID, alyona)
		if err != nil {
			t.Fatal(err)
		}
		r, err := store.TermGrades(ctx, a, friday)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Subjects {
			if s.Subject == "Математика" && s.ClassAverageShown {
				return s.ClassAverage
			}
		}
		t.Fatalf("no maths class average in %+v", r.Subjects)
		return 0
	}
	// Six pupils, three works weighing 1, 3 and 2: scores 23, 23 and 25 in all.
	if got, want := seen(), (23*1+23*3+25*2)/36.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("after the first import: class average %v, want %v", got, want)
	}

	results := filepath.Join(dir, "results.csv")
	importtest.Replace(t, results, "r-7a-math-test1-s-7a-06,active,,li-7a-math-test1,s-7a-06,fully graded,3,",
		"r-7a-math-test1-s-7a-06,active,,li-7a-math-test1,s-7a-06,fully graded,5,")
	importtest.Replace(t, results, "r-7a-math-check1-s-7a-05,active,", "r-7a-math-check1-s-7a-05,tobedeleted,")
	if code, out, stderr := dnevnik(t, env, "import", "oneroster", dir); code != exitOK {
		t.Fatalf("second import: %d\n%s%s", code, out, stderr)
	}
	// The test's 3 became 5 (25 → 27); a 4 of the check is gone (23 → 19, five
	// pupils weighing 3).
	if got, want := seen(), (23*1+19*3+27*2)/33.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("after an import changed a grade and deleted one: class average %v, want %v", got, want)
	}
}
