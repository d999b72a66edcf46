package oneroster_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
	"github.com/dnevnik/dnevnik/imports/oneroster"
)

const ruSample = "testdata/ru"

// sharedDir is a folder of the shared data, which lies beside the repository
// (../shared from the folder with go.mod).
func sharedDir(t *testing.T, parts ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	path := filepath.Join(append([]string{dir, "..", "shared"}, parts...)...)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the shared data should lie beside the repository: %v", err)
	}
	return path
}

func importDir(t *testing.T, pool *pgxpool.Pool, dir string, opts oneroster.Options) *oneroster.Summary {
	t.Helper()
	var progress bytes.Buffer
	opts.Progress = &progress
	s, err := oneroster.Import(context.Background(), pool, dir, opts)
	if err != nil {
		t.Fatalf("import %s: %v\nprogress:\n%s", dir, err, progress.String())
	}
	return s
}

func printed(t *testing.T, s *oneroster.Summary) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Print(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// counts is the summary as "file table created/updated/deactivated" lines.
func counts(s *oneroster.Summary) map[string]string {
	m := map[string]string{}
	for _, f := range s.Files {
		for _, c := range f.Tables {
			m[f.File+" "+c.Table] = fmt.Sprintf("%d/%d/%d", c.Created, c.Updated, c.Deactivated)
		}
	}
	return m
}

func assertNothingChanged(t *testing.T, s *oneroster.Summary) {
	t.Helper()
	for key, c := range counts(s) {
		if c != "0/0/0" {
			t.Errorf("%s: created/updated/deactivated %s, want nothing on a re-import\n%s", key, c, printed(t, s))
		}
	}
}

func queryValue[T any](t *testing.T, pool *pgxpool.Pool, sql string, args ...any) T {
	t.Helper()
	rows, _ := pool.Query(context.Background(), sql, args...)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[T])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

// assertQuery checks the one text value the query returns.
func assertQuery(t *testing.T, pool *pgxpool.Pool, want, sql string) {
	t.Helper()
	if got := queryValue[string](t, pool, sql); got != want {
		t.Errorf("%s\ngot\n%s\nwant\n%s", sql, got, want)
	}
}

func TestImportOATSample(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	dir := sharedDir(t, "data", "oneroster", "oat-sa-v1p1")

	first := importDir(t, pool, dir, oneroster.Options{})
	want := map[string]string{
		"orgs.csv schools":                       "2/0/0",
		"academicSessions.csv academic_sessions": "0/0/0",
		"classes.csv subjects":                   "1/0/0",
		"classes.csv classes":                    "3/0/0",
		"users.csv people":                       "2/0/0",
		"users.csv guardianships":                "0/0/0",
		"enrollments.csv enrollments":            "3/0/0",
	}
	if got := counts(first); !maps.Equal(got, want) {
		t.Errorf("first import: %v, want %v\n%s", got, want, printed(t, first))
	}
	if !strings.Contains(printed(t, first), `classes.csv:2: termSourcedIds: academic session "1" not found`) {
		t.Errorf("the unknown term is not a warning:\n%s", printed(t, first))
	}
	// Empty status reads as active.
	if n := queryValue[int](t, pool, `SELECT count(*) FROM people WHERE active`); n != 2 {
		t.Errorf("%d active people, want 2", n)
	}
	assertNothingChanged(t, importDir(t, pool, dir, oneroster.Options{}))
}

func TestImportRussianSample(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	first := importDir(t, pool, ruSample, oneroster.Options{})
	if n := first.Warnings.Len(); n != 0 {
		t.Errorf("%d warnings:\n%s", n, printed(t, first))
	}

	for table, want := range map[string]int{
		"schools": 1, "academic_sessions": 5, "subjects": 4, "classes": 7, "people": 16,
		"guardianships": 5, "enrollments": 43, "grade_categories": 4, "assignments": 10, "grades": 27,
	} {
		if n := queryValue[int](t, pool, `SELECT count(*) FROM `+table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}

	t.Run("school", func(t *testing.T) {
		assertQuery(t, pool, "Школа №1 Europe/Moscow", `SELECT name || ' ' || time_zone FROM schools`)
	})
	t.Run("names keep ё", func(t *testing.T) {
		assertQuery(t, pool, "Петров Пётр Алексеевич; Фёдорова Алёна Игоревна", `
SELECT string_agg(family_name || ' ' || given_name || ' ' || middle_name, '; ' ORDER BY family_name)
FROM people WHERE sourced_id IN ('s-7a-01', 't-petrov')`)
	})
	t.Run("classes", func(t *testing.T) {
		want := "class-7a homeroom 07 - year-2026; class-7a-eng section 07 Английский язык year-2026; " +
			"class-7a-lit section 07 Литература year-2026; class-7a-math section 07 Математика year-2026; " +
			"class-7a-rus section 07 Русский язык year-2026; class-7b homeroom 07 - year-2026; " +
			"class-7b-math section 07 Математика year-2026"
		assertQuery(t, pool, want, `
SELECT string_agg(format('%s %s %s %s %s', c.sourced_id, c.kind, c.grade_level, COALESCE(s.name, '-'), y.sourced_id), '; ' ORDER BY c.sourced_id)
FROM classes c LEFT JOIN subjects s ON s.id = c.subject_id LEFT JOIN academic_sessions y ON y.id = c.school_year_id`)
	})
	t.Run("guardianships", func(t *testing.T) {
		want := "g-fedorova-o s-7a-01 parent; g-fedorova-o s-7b-01 parent; g-fedorova-z s-7a-01 relative; " +
			"g-kuznetsova s-7a-02 parent; g-volkov s-7a-03 guardian"
		assertQuery(t, pool, want, `
SELECT string_agg(g.sourced_id || ' ' || p.sourced_id || ' ' || gs.relation, '; ' ORDER BY g.sourced_id, p.sourced_id)
FROM guardianships gs JOIN people g ON g.id = gs.guardian_id JOIN people p ON p.id = gs.pupil_id`)
	})
	t.Run("homework", func(t *testing.T) {
		want := "li-7a-lit-hw1 2026-11-27 2026-11-30 Прочитать «Тараса Бульбу», главы 1–3; " +
			"li-7a-math-hw1 2026-11-25 2026-11-27 Упр. 5, 6 и 7; " +
			"li-7a-math-hw2 2026-11-27 2026-11-30 § 12, задачи 1–4; " +
			"li-7a-rus-hw1 2026-11-26 2026-11-27 Упражнение 112 (списать, вставить пропущенные буквы); " +
			"li-7b-math-hw1 2026-11-26 2026-11-30 Упр. 3 и 4"
		assertQuery(t, pool, want, `
SELECT string_agg(format('%s %s %s %s', sourced_id, assigned_on, due_on, description), '; ' ORDER BY sourced_id)
FROM assignments WHERE kind = 'homework'`)
	})
	t.Run("kinds and weights", func(t *testing.T) {
		want := "li-7a-math-check1 test 3.00; li-7a-math-cw1 classwork 1.00; li-7a-math-test1 test 2.00; " +
			"li-7a-rus-cw1 classwork 1.00; li-7b-math-cw1 classwork 1.00"
		assertQuery(t, pool, want, `
SELECT string_agg(format('%s %s %s', sourced_id, kind, weight), '; ' ORDER BY sourced_id)
FROM assignments WHERE kind <> 'homework'`)
	})
	t.Run("grades", func(t *testing.T) {
		want := "li-7a-math-cw1 class-7a-math 5.00 1.00 2026-11-09 ; " +
			"li-7a-rus-cw1 class-7a-rus 5.00 1.00 2026-11-10 Хорошо, но небрежно; " +
			"li-7a-math-check1 class-7a-math 4.00 3.00 2026-11-13 ; " +
			"li-7a-math-test1 class-7a-math 5.00 2.00 2026-11-20 "
		assertQuery(t, pool, want, `
SELECT string_agg(format('%s %s %s %s %s %s', a.sourced_id, c.sourced_id, g.score, g.weight, g.graded_on, g.comment), '; ' ORDER BY g.graded_on)
FROM grades g JOIN people p ON p.id = g.pupil_id JOIN assignments a ON a.id = g.assignment_id JOIN classes c ON c.id = g.class_id
WHERE p.sourced_id = 's-7a-01' AND g.kind = 'current'`)
	})

	assertNothingChanged(t, importDir(t, pool, ruSample, oneroster.Options{}))
}

func TestImportHomeworkCategories(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	importDir(t, pool, ruSample, oneroster.Options{HomeworkCategories: []string{"РАБОТА НА УРОКЕ"}})
	assertQuery(t, pool, "li-7a-math-cw1 homework; li-7a-math-hw1 classwork", `
SELECT string_agg(sourced_id || ' ' || kind, '; ' ORDER BY sourced_id)
FROM assignments WHERE sourced_id IN ('li-7a-math-cw1', 'li-7a-math-hw1')`)
}

// TestImportChanges re-imports the sample with a score changed, a pupil, a class
// and a result marked tobedeleted, and a guardian no longer linked.
func TestImportChanges(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	importDir(t, pool, ruSample, oneroster.Options{})

	dir := importtest.CopyDir(t, ruSample)
	importtest.Replace(t, filepath.Join(dir, "results.csv"),
		"r-7a-math-cw1-s-7a-02,active,,li-7a-math-cw1,s-7a-02,fully graded,4,", "r-7a-math-cw1-s-7a-02,active,,li-7a-math-cw1,s-7a-02,fully graded,5,")
	importtest.Replace(t, filepath.Join(dir, "results.csv"), "r-7b-math-cw1-s-7b-03,active,", "r-7b-math-cw1-s-7b-03,tobedeleted,")
	importtest.Replace(t, filepath.Join(dir, "users.csv"), "s-7a-06,active,", "s-7a-06,TOBEDELETED,")
	importtest.Replace(t, filepath.Join(dir, "classes.csv"), "class-7a-eng,active,", "class-7a-eng,tobedeleted,")
	importtest.Replace(t, filepath.Join(dir, "users.csv"), "Ивановна,,g-fedorova-z@mail.example.org,,+7 900 111-22-33,s-7a-01,",
		"Ивановна,,g-fedorova-z@mail.example.org,,+7 900 111-22-33,,")
	s := importDir(t, pool, dir, oneroster.Options{})

	got := counts(s)
	for key, want := range map[string]string{
		"results.csv grades":        "0/1/1",
		"users.csv people":          "0/0/1",
		"classes.csv classes":       "0/0/1",
		"users.csv guardianships":   "0/0/1",
		"lineItems.csv assignments": "0/0/0",
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s\n%s", key, got[key], want, printed(t, s))
		}
	}
	if n := queryValue[int](t, pool, `SELECT count(*) FROM people WHERE NOT active`); n != 1 {
		t.Errorf("%d people inactive, want 1", n)
	}
	if n := queryValue[int](t, pool, `SELECT count(*) FROM guardianships g JOIN people p ON p.id = g.pupil_id WHERE p.sourced_id = 's-7a-01'`); n != 1 {
		t.Errorf("s-7a-01 has %d guardians, want 1", n)
	}
	assertNothingChanged(t, importDir(t, pool, dir, oneroster.Options{}))
}

func TestImportSkipsAbsentFiles(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	dir := importtest.CopyDir(t, ruSample)
	importtest.Replace(t, filepath.Join(dir, "manifest.csv"), "file.results,bulk", "file.results,absent")
	if err := os.Remove(filepath.Join(dir, "categories.csv")); err != nil {
		t.Fatal(err)
	}
	// A header-only file without a trailing newline is read as empty.
	if err := os.WriteFile(filepath.Join(dir, "courses.csv"), []byte("sourcedId,status,title"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := importDir(t, pool, dir, oneroster.Options{})
	if strings.Join(s.Skipped, " ") != "categories.csv results.csv" {
		t.Errorf("skipped %v, want categories.csv and results.csv", s.Skipped)
	}
	if n := queryValue[int](t, pool, `SELECT count(*) FROM grades`); n != 0 {
		t.Errorf("%d grades from a file marked absent", n)
	}
	// Without courses the sections take their subject from nowhere but their own.
	if n := queryValue[int](t, pool, `SELECT count(*) FROM classes WHERE subject_id IS NOT NULL`); n != 1 {
		t.Errorf("%d classes with a subject, want 1 (7Б Математика names its own)", n)
	}
}

// TestImportBadRows corrupts one line of the sample at a time: the import must
// name file, line, column and problem, and leave the database as it was.
func TestImportBadRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, old, new string
		line                 string // a text on the line the error names, after the change
		want                 string // the error line, with %d for the line number
	}{
		{"bad date", "lineItems.csv", "2026-11-25,2026-11-27,class-7a-math", "2026-11-25,2026-11-31,class-7a-math", "li-7a-math-hw1",
			`lineItems.csv:%d: dueDate: "2026-11-31": expected a date as YYYY-MM-DD or an ISO 8601 date-time`},
		{"bad session date", "academicSessions.csv", "2026-09-01,2026-10-25", "2026-09-01,25.10.2026", "term-2026-1",
			`academicSessions.csv:%d: endDate: "25.10.2026": expected a date as YYYY-MM-DD`},
		{"end before start", "academicSessions.csv", "2026-11-05,2026-12-28", "2026-11-05,2026-10-28", "term-2026-2",
			`academicSessions.csv:%d: endDate: 2026-10-28 is before startDate 2026-11-05`},
		{"unknown role", "users.csv", "s-7a-04,active,,true,school-1,student", "s-7a-04,active,,true,school-1,pupil", "s-7a-04",
			`users.csv:%d: role: unknown role "pupil"`},
		{"unknown class type", "classes.csv", "homeroom,каб. 23", "form,каб. 23", "class-7b,",
			`classes.csv:%d: classType: unknown class type "form"`},
		{"unknown status", "users.csv", "s-7a-06,active,", "s-7a-06,deleted,", "s-7a-06",
			`users.csv:%d: status: unknown status "deleted": expected active or tobedeleted`},
		{"missing column", "users.csv", "givenName", "firstName", "firstName",
			`users.csv:%d: givenName: required column missing from the header`},
		{"empty required field", "users.csv", "Дарья,Морозова", "Дарья,", "s-7a-05",
			`users.csv:%d: familyName: required, but empty`},
		{"bad time zone", "orgs.csv", "Europe/Moscow", "Europe/Mordor", "school-1",
			`orgs.csv:%d: ext_timezone: unknown time zone "Europe/Mordor": expected an IANA name such as Europe/Moscow`},
		{"duplicate sourcedId", "classes.csv", "class-7a-rus,active", "class-7a-math,active", "7А Русский язык",
			`classes.csv:%d: sourcedId: duplicate sourcedId: line 4 has it too`},
		{"class of no school", "classes.csv", "7Б Математика,07,course-math-7,,scheduled,каб. 21,school-1,", "7Б Математика,07,course-math-7,,scheduled,каб. 21,district-1,", "class-7b-math",
			`classes.csv:%d: schoolSourcedId: org "district-1" is a district, not a school`},
		{"parents in a circle", "academicSessions.csv", "2027-05-31,,2027", "2027-05-31,term-2026-1,2027", "2026/2027 учебный год",
			`academicSessions.csv:%d: parentSourcedId: the parents of this session go round in a circle through "term-2026-1"`},
		{"enrollment to an unknown class", "enrollments.csv", "e-class-7b-s-7b-02,active,,class-7b,", "e-class-7b-s-7b-02,active,,class-9z,", "e-class-7b-s-7b-02",
			`enrollments.csv:%d: classSourcedId: class "class-9z" not found`},
		{"enrollment of an unknown user", "enrollments.csv", "class-7b,school-1,s-7b-02", "class-7b,school-1,s-9z-99", "e-class-7b-s-7b-02",
			`enrollments.csv:%d: userSourcedId: user "s-9z-99" not found`},
		{"enrolled twice", "enrollments.csv", "class-7b,school-1,s-7b-02", "class-7b,school-1,s-7b-01", "e-class-7b-s-7b-02",
			`enrollments.csv:%d: userSourcedId: the user is enrolled in this class on line 10 too`},
		{"bad boolean", "enrollments.csv", "e-class-7a-s-7a-01,active,,class-7a,school-1,s-7a-01,student,false", "e-class-7a-s-7a-01,active,,class-7a,school-1,s-7a-01,student,no", "e-class-7a-s-7a-01",
			`enrollments.csv:%d: primary: expected true or false, not "no"`},
		{"lineItem of an unknown class", "lineItems.csv", "class-7b-math,cat-homework", "class-7x,cat-homework", "li-7b-math-hw1",
			`lineItems.csv:%d: classSourcedId: class "class-7x" not found`},
		{"due before assigned", "lineItems.csv", "2026-11-26,2026-11-30,class-7b-math", "2026-12-26,2026-11-30,class-7b-math", "li-7b-math-hw1",
			`lineItems.csv:%d: dueDate: 2026-11-30 is before assignDate 2026-12-26`},
		{"malformed CSV", "lineItems.csv", "Упр. 3 и 4", `Упр. 3 "и" 4`, "li-7b-math-hw1",
			`lineItems.csv:%d: malformed CSV: bare " in non-quoted-field`},
		{"missing fields", "lineItems.csv", "Причастный оборот,2026-11-10,2026-11-10,class-7a-rus,cat-classwork,term-2026-2,1,5,", "Причастный оборот,2026-11-10,2026-11-10,class-7a-rus,cat-classwork,term-2026-2,1,", "li-7a-rus-cw1",
			`lineItems.csv:%d: the row has 12 fields, the header 13`},
		{"result for an unknown lineItem", "results.csv", "r-7b-math-cw1-s-7b-03,active,,li-7b-math-cw1", "r-7b-math-cw1-s-7b-03,active,,li-nope", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: lineItemSourcedId: lineItem "li-nope" not found`},
		{"result for a pupil not enrolled", "results.csv", "r-7b-math-cw1-s-7b-03,active,,li-7b-math-cw1", "r-7b-math-cw1-s-7b-03,active,,li-7a-math-cw1", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: studentSourcedId: student "s-7b-03" is not enrolled in class "class-7a-math" of lineItem "li-7a-math-cw1"`},
		{"result for a teacher", "results.csv", "li-7b-math-cw1,s-7b-03", "li-7b-math-cw1,t-ivanova", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: studentSourcedId: user "t-ivanova" is a teacher, not a student`},
		{"two results for one lineItem", "results.csv", "r-7b-math-cw1-s-7b-03,active,,li-7b-math-cw1,s-7b-03", "r-7b-math-cw1-s-7b-03,active,,li-7b-math-cw1,s-7b-02", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: studentSourcedId: the student has a result for this lineItem on line 27 too`},
		{"a second grade under another sourcedId", "results.csv", "r-7b-math-cw1-s-7b-03,active", "r-other,active", "r-other",
			`results.csv:%d: studentSourcedId: student "s-7b-03" already has grade "r-7b-math-cw1-s-7b-03" for lineItem "li-7b-math-cw1"`},
		{"a second enrollment under another sourcedId", "enrollments.csv", "e-class-7b-s-7b-02,active", "e-other,active", "e-other",
			`enrollments.csv:%d: userSourcedId: user "s-7b-02" is already enrolled in class "class-7b" (enrollment "e-class-7b-s-7b-02")`},
		{"bad score", "results.csv", "fully graded,3,2026-11-11", "fully graded,five,2026-11-11", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: score: not a number: "five"`},
		{"negative score", "results.csv", "fully graded,3,2026-11-11", "fully graded,-1,2026-11-11", "r-7b-math-cw1-s-7b-03",
			`results.csv:%d: score: -1 is out of range: expected 0 to 9999.99`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := diarytest.New(t)
			importDir(t, pool, ruSample, oneroster.Options{})
			dir := importtest.CopyDir(t, ruSample)
			path := filepath.Join(dir, c.file)
			importtest.Replace(t, path, c.old, c.new)
			want := fmt.Sprintf(c.want, importtest.LineOf(t, path, c.line))
			importtest.FailsCleanly(t, pool, want, func() error {
				_, err := oneroster.Import(context.Background(), pool, dir, oneroster.Options{})
				return err
			})
		})
	}
}

// An import never tells history: the first import's grades are a silent
// baseline; a grade changed by a later one is a notice for the pupil's family,
// unless that import is silent.
func TestImportTellsOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	pool := diarytest.New(t)
	if s := importDir(t, pool, ruSample, oneroster.Options{}); s.Notices != 0 {
		t.Errorf("the first import wrote %d notices", s.Notices)
	}
	changeScore := func(from, to string) string {
		dir := importtest.CopyDir(t, ruSample)
		importtest.Replace(t, filepath.Join(dir, "results.csv"),
			"r-7a-math-cw1-s-7a-02,active,,li-7a-math-cw1,s-7a-02,fully graded,"+from+",",
			"r-7a-math-cw1-s-7a-02,active,,li-7a-math-cw1,s-7a-02,fully graded,"+to+",")
		return dir
	}
	if s := importDir(t, pool, changeScore("4", "5"), oneroster.Options{Silent: true}); s.Notices != 0 {
		t.Errorf("a silent import wrote %d notices", s.Notices)
	}
	s := importDir(t, pool, changeScore("4", "3"), oneroster.Options{})
	if s.Notices != 1 || !strings.Contains(printed(t, s), "grades to tell families of: 1") {
		t.Errorf("%d notices, want 1\n%s", s.Notices, printed(t, s))
	}
	// The notice keeps what the grade was (5, from the silent import) for the push to say.
	assertQuery(t, pool, "grade changed s-7a-02 was 5", `
SELECT n.kind || ' ' || n.action || ' ' || p.sourced_id || ' was ' || n.old_score::float8 FROM notices n JOIN people p ON p.id = n.pupil_id`)
}
