package paper_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/paper"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// BenchmarkPrintClassWeek prints the demo's busy week of 7А grown to 30
// pupils, each in all of 7А's classes: the class's reads (ClassWeekOf, one
// batch) and the PDF (Week), as dnevnik print and /print do them.
func BenchmarkPrintClassWeek(b *testing.B) {
	ctx := context.Background()
	db, _ := diarytest.Demo(b, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	_, err := db.Exec(ctx, `
WITH p AS (INSERT INTO people (sourced_id, school_id, role, family_name, given_name, middle_name)
           SELECT 'bench-' || i, s.id, 'student', 'Ученикова', 'Ученица ' || i, 'Ивановна'
           FROM schools s, generate_series(1, 24) i RETURNING id)
INSERT INTO enrollments (class_id, person_id, role)
SELECT c.id, p.id, 'student' FROM p, classes c WHERE c.sourced_id = $1 OR c.sourced_id LIKE $1 || '-%'`, demo.Class7A)
	if err != nil {
		b.Fatal(err)
	}
	store := diary.NewStore(db)
	ru := locales.For("ru")
	b.ResetTimer()
	for b.Loop() {
		week, err := store.ClassWeekOf(ctx, demo.Class7A, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		if len(week.Pupils) != 30 {
			b.Fatalf("%d pupils, want 30", len(week.Pupils))
		}
		if err := paper.Week(io.Discard, week, ru); err != nil {
			b.Fatal(err)
		}
	}
}
