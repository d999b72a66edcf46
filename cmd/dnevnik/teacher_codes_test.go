package main

import (
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// teachersSchool is codesSchool with two active teachers, the homeroom
// teacher of 5Б and one who has left.
func teachersSchool(t *testing.T) (map[string]string, *pgxpool.Pool) {
	t.Helper()
	env, pool := codesSchool(t)
	_, err := pool.Exec(context.Background(), `
WITH p AS (INSERT INTO people (sourced_id, school_id, role, family_name, given_name, middle_name, active)
           SELECT v.sourced_id, s.id, 'teacher', v.family, v.given, v.middle, v.active FROM schools s, (VALUES
             ('t-1', 'Иванова', 'Мария', 'Петровна', true),
             ('t-2', 'Волкова', 'Елена', '', true),
             ('t-3', 'Ушедшая', 'Анна', '', false)) v (sourced_id, family, given, middle, active)
           RETURNING id, sourced_id)
INSERT INTO enrollments (class_id, person_id, role)
SELECT c.id, p.id, 'teacher' FROM p, classes c WHERE p.sourced_id = 't-1' AND c.sourced_id = 'c-5b'`)
	if err != nil {
		t.Fatalf("seed the teachers: %v", err)
	}
	return env, pool
}

func TestCodesForTeachers(t *testing.T) {
	env, pool := teachersSchool(t)
	code, out, stderr := dnevnik(t, env, "codes", "--teachers", "--school", "s1", "--bot", "dnevnik_school_bot")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Join(records[0], ",")
	if header != "teacher_sourced_id,teacher_name,classes,role,code,link,expires_at" {
		t.Errorf("header %q", header)
	}
	if readme, err := os.ReadFile("../../README.md"); err != nil || !strings.Contains(string(readme), "`"+strings.Join(records[0][:3], ",")+",...`") {
		t.Errorf("the README does not name the header the binary prints, %q (%v)", header, err)
	}
	if len(records) != 3 || records[1][0] != "t-2" || records[2][0] != "t-1" || records[2][1] != "Иванова Мария Петровна" ||
		records[2][2] != "5Б" || records[2][3] != "teacher" || !strings.HasPrefix(records[2][5], "https://t.me/dnevnik_school_bot?start=") {
		t.Errorf("rows %q", records[1:])
	}
	var stored int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM link_codes WHERE role = 'teacher'`).Scan(&stored); err != nil || stored != 2 {
		t.Errorf("%d teacher codes stored (%v), want 2", stored, err)
	}

	code, out, _ = dnevnik(t, env, "codes", "--teachers", "--school", "s1", "--format", "html", "--bot", "dnevnik_school_bot")
	if code != exitOK || strings.Count(out, `<section class="card">`) != 2 || !strings.Contains(out, "Код для учителя") ||
		!strings.Contains(out, "<title>Коды подключения учителей к Дневнику: Школа №1</title>") || strings.Contains(out, "Ушедшая") {
		t.Errorf("teachers' sheet: exit %d", code)
	}
	code, out, _ = dnevnik(t, env, "codes", "--teachers", "--school", "s1", "--format", "html", "--lang", "en", "--bot", "dnevnik_school_bot")
	if code != exitOK || !strings.Contains(out, "Code for a teacher") {
		t.Errorf("English teachers' sheet: exit %d", code)
	}
}

func TestCodesForTeachersFailures(t *testing.T) {
	env, _ := codesSchool(t)
	bot := "--bot=dnevnik_school_bot"
	for _, c := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"--teachers", bot}, exitUsage, "--school is required with --teachers"},
		{[]string{"--teachers", "--school", "s1", "--class", "c-5b", bot}, exitUsage, "--teachers takes --school, not --class or --role"},
		{[]string{"--school", "s1", "--class", "c-5b", "--role", "guardian", bot}, exitUsage, "--school goes with --teachers"},
		{[]string{"--teachers", "--school", "s1", "--ttl", "0s", bot}, exitUsage, "--ttl is 0s"},
		{[]string{"--teachers", "--school", "nope", bot}, exitFailure, `no active school has the sourced id "nope"`},
		{[]string{"--teachers", "--school", "s1", bot}, exitFailure, `school "s1" has no active teachers: no codes issued`},
	} {
		code, out, stderr := dnevnik(t, env, append([]string{"codes"}, c.args...)...)
		if code != c.exit || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, stderr, c.exit, c.want)
		}
	}
}
