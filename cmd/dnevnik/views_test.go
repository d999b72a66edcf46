package main

import (
	"strings"
	"testing"
)

// DATABASE_READ_URL is read by the commands that answer families, checked
// like DATABASE_URL, and connected to at the start: a replica that cannot be
// reached stops `dnevnik bot` with one line naming the setting.
func TestDatabaseReadURL(t *testing.T) {
	_, errs := loadConfig(envFrom(map[string]string{"DATABASE_READ_URL": "postgres://u:p@db:port/x"}), needViews)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "DATABASE_READ_URL is not a PostgreSQL connection string") {
		t.Errorf("a malformed DATABASE_READ_URL: %v", errs)
	}
	_, env := liveEnv(t, "535353:REPLICA-token-for-the-fake-api-0")
	env["DATABASE_READ_URL"] = "postgres://postgres@127.0.0.1:1/none?connect_timeout=1"
	code, _, stderr := dnevnik(t, env, "bot")
	if code != exitFailure || !strings.Contains(stderr, "cannot reach PostgreSQL at 127.0.0.1:1/none (DATABASE_READ_URL)") {
		t.Errorf("bot with an unreachable replica: %d\n%s", code, stderr)
	}
}
