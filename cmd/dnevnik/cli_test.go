package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// dnevnik runs the command line in-process and returns its exit status and output.
func dnevnik(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, envFrom(env), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := dnevnik(t, nil, "--help")
	if code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("overview does not list %s:\n%s", c.name, out)
		}
		code, out, _ := dnevnik(t, nil, c.name, "--help")
		if code != exitOK || !strings.HasPrefix(out, "Usage: dnevnik "+c.name) {
			t.Errorf("%s --help: exit %d\n%s", c.name, code, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"version", "extra"}, {"migrate", "--bogus"}} {
		code, _, stderr := dnevnik(t, map[string]string{"DATABASE_URL": "postgres://localhost/x"}, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := dnevnik(t, nil, "version")
	if code != exitOK || !strings.HasPrefix(out, "dnevnik dev (commit ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestMigrateUpTwiceDownUp(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": diarytest.NewEmptyURL(t)}

	code, out, stderr := dnevnik(t, env, "migrate", "up")
	if code != exitOK || !strings.Contains(out, "applied 00001_school.sql") {
		t.Fatalf("first up: exit %d\n%s%s", code, out, stderr)
	}
	latest := lastApplied(t, out)

	code, out, _ = dnevnik(t, env, "migrate", "up")
	if code != exitOK || strings.Contains(out, "applied") || !strings.Contains(out, "schema is up to date") {
		t.Fatalf("second up is not a no-op: exit %d\n%s", code, out)
	}

	code, out, _ = dnevnik(t, env, "migrate", "down")
	if code != exitOK || !strings.Contains(out, "rolled back "+latest) {
		t.Fatalf("down: exit %d\n%s (want %s rolled back)", code, out, latest)
	}
	code, out, _ = dnevnik(t, env, "migrate", "status")
	if code != exitOK || !regexp.MustCompile(regexp.QuoteMeta(latest)+`\s+pending`).MatchString(out) {
		t.Fatalf("status after down: exit %d\n%s", code, out)
	}
	code, out, _ = dnevnik(t, env, "migrate", "up")
	if code != exitOK || strings.Count(out, "applied ") != 1 || !strings.Contains(out, "applied "+latest) {
		t.Fatalf("up after down should re-apply only %s: exit %d\n%s", latest, code, out)
	}
	code, out, _ = dnevnik(t, env, "migrate", "status")
	if code != exitOK || strings.Contains(out, "pending") {
		t.Fatalf("status after round trip: exit %d\n%s", code, out)
	}
}

func lastApplied(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) < 2 {
		t.Fatalf("unexpected output %q", out)
	}
	return f[1]
}

func TestMigrateUnreachableDatabase(t *testing.T) {
	code, _, stderr := dnevnik(t, map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, "migrate", "status")
	if code != exitFailure || !strings.Contains(stderr, "cannot reach PostgreSQL at 127.0.0.1:1/none") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
