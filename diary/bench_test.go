package diary

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// The view benchmarks run on an imported district (see BENCHMARKS.md, `make bench`):
// DNEVNIK_BENCH_DATABASE_URL names its database. They link accounts to a sample of
// pupils, pin the clock to a school day of the first term, and report the median
// and 99th percentile of each view next to Go's mean.

// benchDay is a Wednesday of term 1, when the generated district has grades.
var benchDay = time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)

type benchPupil struct {
	account AccountID
	pupil   PersonID
}

func benchStore(b *testing.B) (*Store, []benchPupil) {
	b.Helper()
	db, linked := diarytest.BenchDistrict(b)
	pupils := make([]benchPupil, len(linked))
	for i, l := range linked {
		pupils[i] = benchPupil{account: AccountID(l.Account), pupil: PersonID(l.Pupil)}
	}
	s := NewStore(db)
	s.SetClock(func() time.Time { return benchDay.Add(9 * time.Hour) })
	return s, pupils
}

// benchView runs view round-robin over the pupils, each after the access
// check that a request makes once, and reports latency percentiles.
func benchView(b *testing.B, s *Store, pupils []benchPupil, show func(ctx context.Context, a PupilAccess) error) {
	ctx := context.Background()
	view := func(ctx context.Context, p benchPupil) error {
		a, err := s.PupilAccess(ctx, p.account, p.pupil)
		if err != nil {
			return err
		}
		return show(ctx, a)
	}
	for _, p := range pupils[:min(len(pupils), 20)] { // warm the pool and caches
		if err := view(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := view(ctx, pupils[i%len(pupils)]); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkViews(b *testing.B) {
	s, pupils := benchStore(b)
	b.Run("Day", func(b *testing.B) {
		benchView(b, s, pupils, func(ctx context.Context, a PupilAccess) error {
			_, err := s.Days(ctx, a, benchDay, benchDay)
			return err
		})
	})
	b.Run("Week", func(b *testing.B) {
		benchView(b, s, pupils, func(ctx context.Context, a PupilAccess) error {
			_, err := s.Week(ctx, a, benchDay)
			return err
		})
	})
	b.Run("TermGrades", func(b *testing.B) {
		benchView(b, s, pupils, func(ctx context.Context, a PupilAccess) error {
			r, err := s.TermGrades(ctx, a, benchDay)
			if err == nil && len(r.Subjects) == 0 {
				b.Fatalf("pupil %d has no grades in the term: is the district generated with grades?", a.Pupil.ID)
			}
			return err
		})
	})
	b.Run("SubjectGrades", func(b *testing.B) {
		pages := subjectPages(b, s, pupils)
		benchView(b, s, pupils, func(ctx context.Context, a PupilAccess) error {
			page := pages[a.Pupil.ID]
			r, err := s.SubjectGrades(ctx, a, page.class, page.term)
			if err == nil && len(r.Grades.Grades) == 0 {
				b.Fatalf("pupil %d has no grades in class %d", a.Pupil.ID, page.class)
			}
			return err
		})
	})
	b.Run("HomeworkWeek", func(b *testing.B) {
		benchView(b, s, pupils, func(ctx context.Context, a PupilAccess) error {
			monday, sunday := WeekOf(benchDay)
			_, err := s.Homework(ctx, a, monday, sunday)
			return err
		})
	})
}

// subjectPage is the class and term of a pupil's subject page.
type subjectPage struct {
	class ClassID
	term  int64
}

// subjectPages picks, before the clock starts, each pupil's subject of the
// term with the most grades: the largest page of theirs.
func subjectPages(b *testing.B, s *Store, pupils []benchPupil) map[PersonID]subjectPage {
	ctx := context.Background()
	pages := map[PersonID]subjectPage{}
	for _, p := range pupils {
		a, err := s.PupilAccess(ctx, p.account, p.pupil)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.TermGrades(ctx, a, benchDay)
		if err != nil {
			b.Fatal(err)
		}
		most := slices.MaxFunc(r.Subjects, func(x, y SubjectGrades) int { return len(x.Grades) - len(y.Grades) })
		pages[p.pupil] = subjectPage{class: most.Class, term: r.Period.ID}
	}
	return pages
}

// seqScan finds the tables a plan reads whole.
var seqScan = regexp.MustCompile(`Seq Scan on (\w+)`)

// bigTable is how many rows make a table one that must not be read whole: below
// that, a sequential scan is the planner's right choice.
const bigTable = 10_000

// BenchmarkViewPlans asks PostgreSQL for the plan of each view query on the
// benchmark district and fails on a sequential scan of a table of bigTable rows
// or more.
func BenchmarkViewPlans(b *testing.B) {
	s, pupils := benchStore(b)
	ctx := context.Background()
	p := pupils[0]
	term, err := s.termAt(ctx, p.pupil, benchDay)
	if err != nil {
		b.Fatal(err)
	}
	var day, wholeTerm pupilDays
	day.add(p.pupil, benchDay, benchDay)
	wholeTerm.add(p.pupil, term.Start, term.End)
	page := subjectPages(b, s, pupils[:1])[p.pupil]
	checkPlans(b, s, map[string][]any{
		lessonsSQL:        day.args(),
		homeworkSQL:       day.args(),
		gradesSQL:         wholeTerm.args(),
		finalGradesSQL:    {p.pupil, term.Start, term.End},
		classAveragesSQL:  {p.pupil, term.Start, term.End, MinPupilsForClassAverage},
		termAveragesSQL:   {p.pupil, term.ID, MinPupilsForClassAverage},
		attendanceSQL:     wholeTerm.args(),
		remarksSQL:        wholeTerm.args(),
		pupilTermsSQL:     {p.pupil},
		subjectClassSQL:   {p.pupil, page.class},
		subjectGradesSQL:  {p.pupil, page.class, term.ID},
		subjectFinalsSQL:  {p.pupil, page.class, term.ID},
		subjectAverageSQL: {page.class, term.ID, MinPupilsForClassAverage},
	})
}

// checkPlans explains each query with its arguments and fails on a sequential
// scan of a table of bigTable rows or more.
func checkPlans(b *testing.B, s *Store, queries map[string][]any) {
	ctx := context.Background()
	for b.Loop() {
		for q, args := range queries {
			rows, err := s.db.Query(ctx, "EXPLAIN "+q, args...)
			if err != nil {
				b.Fatal(err)
			}
			var plan string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					b.Fatal(err)
				}
				plan += line + "\n"
			}
			for _, m := range seqScan.FindAllStringSubmatch(plan, -1) {
				var rows float64
				if err := s.db.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE relname = $1`, m[1]).Scan(&rows); err != nil {
					b.Fatal(err)
				}
				if rows >= bigTable {
					b.Fatalf("a sequential scan of %s (%.0f rows) in the plan of\n%s\n%s", m[1], rows, q, plan)
				}
			}
		}
	}
}

// BenchmarkTeacherLessons reads, round-robin over the teachers of the
// benchmark day's timetable, a teacher's lessons of the day (TeacherLessons,
// /marks) and one lesson of a class (what lessonAccess reads before each mark).
func BenchmarkTeacherLessons(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	type slot struct {
		Teacher PersonID
		Class   ClassID
		Period  int
	}
	rows, _ := s.db.Query(ctx, `
SELECT DISTINCT ON (teacher_id) teacher_id, class_id, period::int FROM timetable_entries
WHERE teacher_id IS NOT NULL AND weekday = extract(isodow FROM $1::date) AND valid @> $1::date
ORDER BY teacher_id, period LIMIT 500`, benchDay)
	slots, err := pgx.CollectRows(rows, pgx.RowToStructByPos[slot])
	if err != nil || len(slots) == 0 {
		b.Fatalf("teachers of %v: %d, %v", benchDay, len(slots), err)
	}
	run := func(b *testing.B, read func(slot) ([]TeacherLesson, error)) {
		var took []time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			lessons, err := read(slots[i%len(slots)])
			if err != nil || len(lessons) == 0 {
				b.Fatalf("%d lessons, %v", len(lessons), err)
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("Day", func(b *testing.B) {
		run(b, func(t slot) ([]TeacherLesson, error) { return s.lessonsOn(ctx, t.Teacher, benchDay, 0, 0) })
	})
	b.Run("Lesson", func(b *testing.B) {
		run(b, func(t slot) ([]TeacherLesson, error) { return s.lessonsOn(ctx, 0, benchDay, t.Class, t.Period) })
	})
}
