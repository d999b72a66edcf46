// Package papertest reads a printed PDF's text back for tests, with pdftotext
// from Debian's poppler-utils: no Go reader that resolves here decodes the
// two-byte text of an embedded TrueType font as fpdf writes it (one read
// every Cyrillic letter by its low byte only).
package papertest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

var install struct {
	once sync.Once
	err  error
}

// Pages returns the text of each page of the PDF, as pdftotext lays it out.
// pdftotext is installed from Debian first when it is missing and the tests
// run as root (as cmd/devenv installs Redis); otherwise the test fails saying
// what to install.
func Pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		install.once.Do(func() { install.err = installPoppler() })
		if install.err != nil {
			t.Fatalf("pdftotext is missing (sudo apt-get install poppler-utils): %v", install.err)
		}
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	// A form feed ends each page.
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1]
}

// Text is the text of every page, each line's runs of spaces made one.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	var lines []string
	for _, page := range Pages(t, pdf) {
		for _, line := range strings.Split(page, "\n") {
			lines = append(lines, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(lines, "\n")
}

func installPoppler() error {
	if os.Geteuid() != 0 {
		return exec.ErrNotFound
	}
	for _, args := range [][]string{
		{"update", "-qq"},
		{"install", "-y", "-qq", "--no-install-recommends", "poppler-utils"},
	} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("apt-get %s: %w: %s", args[0], err, out)
		}
	}
	return nil
}
