package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGen(t *testing.T) {
	out := filepath.Join(t.TempDir(), "district")
	code, stdout, stderr := dnevnik(t, nil, "gen", "--schools", "2", "--pupils-per-school", "30", "--seed", "7", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, name := range []string{"manifest.csv", "orgs.csv", "academicSessions.csv", "categories.csv", "courses.csv",
		"classes.csv", "users.csv", "enrollments.csv", "lineItems.csv", "results.csv", "timetable.csv"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "school 2/2") || !strings.Contains(stdout, "schools 2, pupils 60,") {
		t.Errorf("no progress or summary:\n%s", stdout)
	}
}

func TestGenRefusesAFullDirectory(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"gen", "--pupils-per-school", "20", "--out", out}
	if code, _, stderr := dnevnik(t, nil, args...); code != exitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("into a full directory: exit %d, %s", code, stderr)
	}
	if code, _, stderr := dnevnik(t, nil, append(args, "--force")...); code != exitOK {
		t.Errorf("with --force: exit %d, %s", code, stderr)
	}
}

func TestGenBadFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "district")
	for _, args := range [][]string{
		{"gen"},
		{"gen", "--out", out, "extra"},
		{"gen", "--out", out, "--schools", "0"},
		{"gen", "--out", out, "--pupils-per-school", "-5"},
		{"gen", "--out", out, "--graded-terms", "5"},
		{"gen", "--out", out, "--schools", "many"},
		{"gen", "--out", out, "--bogus"},
	} {
		if code, _, stderr := dnevnik(t, nil, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d (%s)", args, code, exitUsage, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused gen created its directory")
	}
}
