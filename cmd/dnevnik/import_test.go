package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

const (
	ruSample    = "../../imports/oneroster/testdata/ru"
	ruTimetable = "../../imports/timetable/testdata/ru.csv"
)

func TestImportOneRosterAndTimetable(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": diarytest.NewURL(t)}

	code, out, stderr := dnevnik(t, env, "import", "oneroster", ruSample)
	if code != exitOK {
		t.Fatalf("import oneroster: exit %d\n%s%s", code, out, stderr)
	}
	// Progress, then the summary: a row per file and table.
	for _, want := range []string{"results.csv: 27 rows read", "file rows table created updated deactivated",
		"users.csv 16 people 16 0 0", "guardianships 5 0 0", "results.csv 27 grades 27 0 0"} {
		if !hasLine(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, stderr = dnevnik(t, env, "import", "timetable", ruTimetable)
	if code != exitOK || !strings.Contains(out, "17 rows: entries created 17, unchanged 0, trimmed 0, removed 0") {
		t.Errorf("import timetable: exit %d\n%s%s", code, out, stderr)
	}
}

// hasLine reports whether out has a line with the words of want, however spaced.
func hasLine(out, want string) bool {
	for line := range strings.Lines(out) {
		if strings.Join(strings.Fields(line), " ") == want || strings.HasPrefix(line, want) {
			return true
		}
	}
	return false
}

// The homework categories flag may come before or after `oneroster`.
func TestImportHomeworkCategoriesFlag(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"import", "--homework-categories", "Работа на уроке, дз", "oneroster", ruSample},
		{"import", "oneroster", "--homework-categories=Работа на уроке,дз", ruSample},
	} {
		url := diarytest.NewURL(t)
		if code, out, stderr := dnevnik(t, map[string]string{"DATABASE_URL": url}, args...); code != exitOK {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
		pool, err := pgxpool.New(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		var kinds string
		err = pool.QueryRow(context.Background(),
			`SELECT string_agg(DISTINCT kind, ',') FROM assignments WHERE title IN ('Работа на уроке', 'Домашнее задание')`).Scan(&kinds)
		pool.Close()
		if err != nil || kinds != "classwork,homework" {
			t.Errorf("%q: kinds %q (%v), want classwork for Домашнее задание and homework for Работа на уроке", args, kinds, err)
		}
	}
}

func TestImportBadRowExitsOne(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	users := "sourcedId,status,role,givenName,familyName\nu1,,student,Алёна,Фёдорова\nu2,,pupil,Пётр,Петров\n"
	if err := os.WriteFile(filepath.Join(dir, "users.csv"), []byte(users), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := dnevnik(t, map[string]string{"DATABASE_URL": diarytest.NewURL(t)}, "import", "oneroster", dir)
	if code != exitFailure || stderr != "dnevnik import: users.csv:3: role: unknown role \"pupil\"\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	bad := filepath.Join(dir, "timetable.csv")
	timetable := "classSourcedId,weekday,period,startTime,endTime,subject,teacherSourcedId,room,validFrom,validTo\n" +
		"class-7a-math,пн,1,08:30,08:15,Математика,,,2026-09-01,2027-05-31\n"
	if err := os.WriteFile(bad, []byte(timetable), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = dnevnik(t, map[string]string{"DATABASE_URL": diarytest.NewURL(t)}, "import", "timetable", bad)
	if code != exitFailure || stderr != "dnevnik import: timetable.csv:2: endTime: 08:15 is not after startTime 08:30\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestImportUsageErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://localhost/x"}
	for _, args := range [][]string{
		{"import"},
		{"import", "roster", ruSample},
		{"import", "oneroster"},
		{"import", "oneroster", ruSample, ruSample},
		{"import", "oneroster", "no/such/folder"},
		{"import", "oneroster", ruTimetable},
		{"import", "oneroster", "--bogus", ruSample},
		{"import", "--bogus", "oneroster", ruSample},
		{"import", "timetable"},
		{"import", "timetable", ruSample},
		{"import", "timetable", "no/such/file.csv"},
	} {
		code, _, stderr := dnevnik(t, env, args...)
		if code != exitUsage || !strings.Contains(stderr, "Usage: dnevnik import oneroster") {
			t.Errorf("%q: exit %d, want %d with the usage\n%s", args, code, exitUsage, stderr)
		}
	}
}
