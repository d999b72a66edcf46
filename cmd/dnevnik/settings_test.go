package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's table of settings from settings.go")

// The README's table of settings is the table in settings.go, rendered: a
// variable added, renamed or read by another command changes both or the
// test fails (go test ./cmd/dnevnik -run TestREADME -update-readme rewrites it).
func TestREADMEListsEverySetting(t *testing.T) {
	const readme = "../../README.md"
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "| variable | default | read by | meaning |")
	if start < 0 {
		t.Fatal("the README has no table of settings")
	}
	end := start + strings.Index(text[start:], "\n\n") + 1
	got, want := text[start:end], settingsTable(commands())
	if got == want {
		return
	}
	if *updateREADME {
		if err := os.WriteFile(readme, []byte(text[:start]+want+text[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's table of settings differs from settings.go (-update-readme rewrites it):\n%s\nwant:\n%s", got, want)
}

// Each command's --help lists exactly the variables it reads.
func TestHelpListsTheSettingsACommandReads(t *testing.T) {
	for _, c := range []struct {
		command  string
		has, not []string
	}{
		{"worker", []string{"TELEGRAM_SEND_RATE", "TELEGRAM_PAID_BROADCAST", "RETENTION_DAYS", "HTTP_ADDR"},
			[]string{"TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "DNEVNIK_SECRET"}},
		{"serve", []string{"TELEGRAM_SEND_RATE", "TELEGRAM_PAID_BROADCAST", "TELEGRAM_WEBHOOK_URL", "DNEVNIK_SECRET, required"}, nil},
		{"bot", []string{"TELEGRAM_WEBHOOK_URL", "DNEVNIK_SECRET, required"}, []string{"TELEGRAM_SEND_RATE", "RETENTION_DAYS"}},
		{"import", []string{"REDIS_URL, optional"}, []string{"TELEGRAM_TOKEN"}},
		{"codes", []string{"TELEGRAM_TOKEN, optional", "DNEVNIK_SECRET, required"}, []string{"REDIS_URL"}},
		{"demo", []string{"TELEGRAM_TOKEN, optional", "REDIS_URL, optional", "DNEVNIK_SECRET, optional"}, nil},
		{"version", []string{"LOG_LEVEL"}, []string{"DATABASE_URL"}},
	} {
		code, out, _ := dnevnik(t, nil, c.command, "--help")
		if code != exitOK {
			t.Fatalf("%s --help: exit %d", c.command, code)
		}
		for _, want := range c.has {
			if !strings.Contains(out, "  "+want) {
				t.Errorf("%s --help lacks %q:\n%s", c.command, want, out)
			}
		}
		for _, unwanted := range c.not {
			if strings.Contains(out, "  "+unwanted) {
				t.Errorf("%s --help lists %q, which it does not read", c.command, unwanted)
			}
		}
	}
}
