// Package papertest reads a printed PDF's text back for tests, with pdftotext
// from Debian's poppler-utils: no Go reader that resolves here decodes the
// two-byte text of an embedded TrueType font as fpdf writes it (one read
// every Cyrillic letter by its low byte only).
package papertest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Pages returns the text of each page of the PDF, as pdftotext lays it out.
// make test installs pdftotext when it is missing (cmd/devenv --tools);
// otherwise the test fails saying how to.
func Pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is missing: run the tests with make test, or devenv --tools pdftotext, or apt-get install poppler-utils")
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
