package timetable_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
	"github.com/dnevnik/dnevnik/imports/oneroster"
	"github.com/dnevnik/dnevnik/imports/timetable"
)

const ruTimetable = "testdata/ru.csv"

// school is a database with the Russian OneRoster sample and its timetable.
func school(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := diarytest.New(t)
	if _, err := oneroster.Import(context.Background(), pool, "../oneroster/testdata/ru", oneroster.Options{}); err != nil {
		t.Fatal(err)
	}
	importFile(t, pool, ruTimetable)
	return pool
}

func importFile(t *testing.T, pool *pgxpool.Pool, path string) timetable.Summary {
	t.Helper()
	s, err := timetable.Import(context.Background(), pool, path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return *s
}

// writeTimetable writes a timetable file with the header and these rows.
func writeTimetable(t *testing.T, rows ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "timetable.csv")
	content := "classSourcedId,weekday,period,startTime,endTime,subject,teacherSourcedId,room,validFrom,validTo\n" +
		strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// entries lists a class's timetable as "weekday/period room [from,to)" by date and slot.
func entries(t *testing.T, pool *pgxpool.Pool, class string) string {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `
SELECT format('%s/%s %s %s', e.weekday, e.period, e.room, e.valid)
FROM timetable_entries e JOIN classes c ON c.id = e.class_id
WHERE c.sourced_id = $1 ORDER BY lower(e.valid), e.weekday, e.period`, class)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(list, "; ")
}

func TestImportRussianTimetable(t *testing.T) {
	t.Parallel()
	pool := school(t)
	rows, _ := pool.Query(context.Background(), `
SELECT format('%s %s %s-%s %s %s %s %s', c.sourced_id, e.weekday, e.starts_at, e.ends_at, s.name, p.sourced_id, e.room, e.valid)
FROM timetable_entries e JOIN classes c ON c.id = e.class_id JOIN subjects s ON s.id = e.subject_id
JOIN people p ON p.id = e.teacher_id WHERE e.period = 1 ORDER BY e.weekday`)
	firsts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"class-7a-math 1 08:30:00-09:15:00 Математика t-ivanova каб. 21 [2026-09-01,2027-06-01)",
		"class-7a-rus 2 08:30:00-09:15:00 Русский язык t-petrov каб. 14 [2026-09-01,2027-06-01)",
		"class-7a-math 3 08:30:00-09:15:00 Математика t-ivanova каб. 21 [2026-09-01,2027-06-01)",
		"class-7a-eng 4 08:30:00-09:15:00 Английский язык t-smirnova каб. 32 [2026-09-01,2027-06-01)",
		"class-7a-math 5 08:30:00-09:15:00 Математика t-ivanova каб. 21 [2026-09-01,2027-06-01)",
	}
	if strings.Join(firsts, "\n") != strings.Join(want, "\n") {
		t.Errorf("first lessons:\n%s\nwant\n%s", strings.Join(firsts, "\n"), strings.Join(want, "\n"))
	}

	again := importFile(t, pool, ruTimetable)
	if want := (timetable.Summary{Rows: 17, Unchanged: 17}); again != want {
		t.Errorf("re-import: %+v, want %+v", again, want)
	}
}

func TestReimportTrimsAndSplits(t *testing.T) {
	t.Parallel()
	pool := school(t)

	// From January 7А has two lessons of mathematics a week, in another room:
	// the year-long entries keep September to December.
	s := importFile(t, pool, writeTimetable(t,
		"class-7a-math,пн,1,08:30,09:15,Математика,t-ivanova,каб. 25,2027-01-11,2027-05-31",
		"class-7a-math,ср,1,08:30,09:15,Математика,t-ivanova,каб. 25,2027-01-11,2027-05-31"))
	if want := (timetable.Summary{Rows: 2, Created: 2, Trimmed: 6}); s != want {
		t.Errorf("from January: %+v, want %+v", s, want)
	}
	want := "1/1 каб. 21 [2026-09-01,2027-01-11); 2/2 каб. 21 [2026-09-01,2027-01-11); 3/1 каб. 21 [2026-09-01,2027-01-11); " +
		"3/4 каб. 21 [2026-09-01,2027-01-11); 4/2 каб. 21 [2026-09-01,2027-01-11); 5/1 каб. 21 [2026-09-01,2027-01-11); " +
		"1/1 каб. 25 [2027-01-11,2027-06-01); 3/1 каб. 25 [2027-01-11,2027-06-01)"
	if got := entries(t, pool, "class-7a-math"); got != want {
		t.Errorf("mathematics:\n%s\nwant\n%s", got, want)
	}

	// One week of Russian on Monday only: each year-long entry is split around it.
	s = importFile(t, pool, writeTimetable(t, "class-7a-rus,1,2,09:25,10:10,Русский язык,t-petrov,каб. 30,16.11.2026,22.11.2026"))
	if want := (timetable.Summary{Rows: 1, Created: 1, Trimmed: 5}); s != want {
		t.Errorf("one week: %+v, want %+v", s, want)
	}
	want = "1/2 каб. 14 [2026-09-01,2026-11-16); 2/1 каб. 14 [2026-09-01,2026-11-16); 3/3 каб. 14 [2026-09-01,2026-11-16); " +
		"4/3 каб. 14 [2026-09-01,2026-11-16); 5/2 каб. 14 [2026-09-01,2026-11-16); 1/2 каб. 30 [2026-11-16,2026-11-23); " +
		"1/2 каб. 14 [2026-11-23,2027-06-01); 2/1 каб. 14 [2026-11-23,2027-06-01); 3/3 каб. 14 [2026-11-23,2027-06-01); " +
		"4/3 каб. 14 [2026-11-23,2027-06-01); 5/2 каб. 14 [2026-11-23,2027-06-01)"
	if got := entries(t, pool, "class-7a-rus"); got != want {
		t.Errorf("Russian:\n%s\nwant\n%s", got, want)
	}

	// A new literature timetable for the whole year replaces the old one.
	path := writeTimetable(t, "class-7a-lit,Monday,3,10:30,11:15,Литература,,,2026-09-01,2027-05-31")
	s = importFile(t, pool, path)
	if want := (timetable.Summary{Rows: 1, Created: 1, Removed: 3}); s != want {
		t.Errorf("whole year: %+v, want %+v", s, want)
	}
	if got, want := entries(t, pool, "class-7a-lit"), "1/3  [2026-09-01,2027-06-01)"; got != want {
		t.Errorf("literature: %s, want %s", got, want)
	}
	if s := importFile(t, pool, path); s != (timetable.Summary{Rows: 1, Unchanged: 1}) {
		t.Errorf("the same file again: %+v", s)
	}
	if got := entries(t, pool, "class-7a-eng"); strings.Count(got, ";") != 2 || strings.Contains(got, "2027-01-11") {
		t.Errorf("English, in no file since the first, changed: %s", got)
	}
}

func TestImportNewSubject(t *testing.T) {
	t.Parallel()
	pool := school(t)
	s := importFile(t, pool, writeTimetable(t, "class-7a,пт,5,12:30,13:15,Классный час,t-ivanova,каб. 21,2026-09-01,2027-05-31"))
	if s.Subjects != 1 || s.Created != 1 {
		t.Errorf("%+v, want one subject and one entry created", s)
	}
}

// TestImportBadRows corrupts one line of the sample at a time: the import must
// name file, line, column and problem, and leave the database as it was.
func TestImportBadRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, old, new string
		line           string // a text on the line the error names, after the change
		want           string // the error line, with %d for the line number
	}{
		{"bad weekday", "class-7a-eng,пн,4", "class-7a-eng,пнд,4", "class-7a-eng,пнд,4",
			`ru.csv:%d: weekday: "пнд": expected a weekday as 1–7 (Monday is 1), пн…вс or mon…sun`},
		{"bad period", "class-7a-eng,пн,4", "class-7a-eng,пн,четвёртый", "class-7a-eng,пн,",
			`ru.csv:%d: period: "четвёртый": expected a period from 0 to 20`},
		{"bad time", "class-7a-eng,пн,4,11:35,12:20", "class-7a-eng,пн,4,11:35,12.20", "class-7a-eng,пн,4",
			`ru.csv:%d: endTime: "12.20": expected a time as HH:MM`},
		{"end before start", "class-7a-eng,пн,4,11:35,12:20", "class-7a-eng,пн,4,12:35,12:20", "class-7a-eng,пн,4",
			`ru.csv:%d: endTime: 12:20 is not after startTime 12:35`},
		{"bad date", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova,каб. 32,2026-09-01", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova,каб. 32,2026-09-31", "class-7a-eng,пн,4",
			`ru.csv:%d: validFrom: "2026-09-31": expected a date as YYYY-MM-DD or DD.MM.YYYY`},
		{"ends before it starts", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova,каб. 32,2026-09-01,2027-05-31", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova,каб. 32,2026-09-01,31.08.2026", "class-7a-eng,пн,4",
			`ru.csv:%d: validTo: 31.08.2026 is before validFrom 2026-09-01`},
		{"missing column", "room", "cabinet", "cabinet",
			`ru.csv:%d: room: required column missing from the header`},
		{"unknown class", "class-7a-eng,пн,4", "class-7z,пн,4", "class-7z,пн,4",
			`ru.csv:%d: classSourcedId: class "class-7z" not found`},
		{"unknown teacher", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-nobody", "class-7a-eng,пн,4",
			`ru.csv:%d: teacherSourcedId: person "t-nobody" not found`},
		{"a pupil as teacher", "class-7a-eng,пн,4,11:35,12:20,Английский язык,t-smirnova", "class-7a-eng,пн,4,11:35,12:20,Английский язык,s-7a-01", "class-7a-eng,пн,4",
			`ru.csv:%d: teacherSourcedId: person "s-7a-01" is a student, not a teacher`},
		{"overlapping rows", "class-7a-eng,вт,3", "class-7a-eng,пн,4", "class-7a-eng,пн,4,10:30",
			`ru.csv:%d: period: class "class-7a-eng" already has period 4 on weekday 1 on some of these dates (line 5)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := school(t)
			path := filepath.Join(t.TempDir(), "ru.csv")
			b, err := os.ReadFile(ruTimetable)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			importtest.Replace(t, path, c.old, c.new)
			want := fmt.Sprintf(c.want, importtest.LineOf(t, path, c.line))
			importtest.FailsCleanly(t, pool, want, func() error {
				_, err := timetable.Import(context.Background(), pool, path)
				return err
			})
		})
	}
}
