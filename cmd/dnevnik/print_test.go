package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/paper/papertest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// printSchool is the demo school on Thursday 26 November 2026, with a
// grade of Даша's commented on Tuesday; Даша was off ill on Monday.
func printSchool(t *testing.T) map[string]string {
	t.Helper()
	t.Parallel()
	url := diarytest.NewURL(t)
	pool, err := openPool(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	diarytest.SeedDemo(t, pool, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if _, err := diarytest.AddGrade(context.Background(), pool, "demo-7a-0", demo.Dasha, 5, "2026-11-24", "Аккуратно оформлено"); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"DATABASE_URL": url}
}

// dnevnik print writes a page per pupil of the class, and each page says the
// pupil's week as the bot does, in Russian and in English: the pupil, a
// subject, a homework, a grade's comment, an absence, and the line for the
// parent's signature.
func TestPrintWeek(t *testing.T) {
	env := printSchool(t)
	for lang, want := range map[string][]string{
		"ru": {"Алёшина Дарья Сергеевна", "Класс 7А", "Математика", "ДЗ: §12, упр. 5, 6 и 7", "Оценка 5", "Аккуратно оформлено",
			"весь день: Пропуск по уважительной причине (болезнь)", "Подпись родителя", "Дата"},
		"en": {"Алёшина Дарья Сергеевна", "Class 7А", "Математика", "Homework: §12, упр. 5, 6 и 7", "Grade 5", "Аккуратно оформлено",
			"whole day: Absent, excused (болезнь)", "Parent's signature", "Date"},
	} {
		code, out, stderr := dnevnik(t, env, "print", "--class", demo.Class7A, "--week", "2026-11-25", "--lang", lang)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", lang, code, stderr)
		}
		pages := papertest.Pages(t, []byte(out))
		if len(pages) != 6 {
			t.Errorf("%s: %d pages, want 6: one for each pupil of 7А", lang, len(pages))
		}
		dasha := strings.Join(strings.Fields(pages[0]), " ")
		for _, w := range want {
			if !strings.Contains(dasha, strings.Join(strings.Fields(w), " ")) {
				t.Errorf("%s: Даша's page has no %q:\n%s", lang, w, pages[0])
			}
		}
		if strings.Contains(pages[1], "Алёшина") || !strings.Contains(pages[1], "Борисов Иван") {
			t.Errorf("%s: the second page is not Иван's alone:\n%s", lang, pages[1])
		}
	}
}

// Bad input is a clear line naming the flag and nothing on standard output.
func TestPrintBadInput(t *testing.T) {
	env := printSchool(t)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--class", "no-such-class", "--week", "2026-11-25"}, exitFailure, `--class: no active homeroom class has the sourced id "no-such-class"`},
		{[]string{"--class", "demo-7a-0", "--week", "2026-11-25"}, exitFailure, `--class: no active homeroom class`}, // a section
		{[]string{"--class", demo.Class7A, "--week", "25.11.2026"}, exitUsage, `--week is "25.11.2026"; it must be a date, YYYY-MM-DD`},
		{[]string{"--class", demo.Class7A}, exitUsage, "--week is required"},
		{[]string{"--week", "2026-11-25"}, exitUsage, "--class is required"},
		{[]string{"--class", demo.Class7A, "--week", "2026-11-25", "--lang", "de"}, exitUsage, `--lang is "de"`},
	} {
		code, out, stderr := dnevnik(t, env, append([]string{"print"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.says) || out != "" {
			t.Errorf("print %v: exit %d, stdout %d bytes, stderr %q; want exit %d saying %q", c.args, code, len(out), stderr, c.code, c.says)
		}
	}
}
