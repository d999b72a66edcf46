package diarytest

import (
	"strings"
	"testing"
)

// The scan finds what a log must never hold, wherever it stands in a line,
// and passes a log of ids.
func TestScanLog(t *testing.T) {
	forbidden := []string{"Алёшина", "Отличная работа", "424242:SECRET-token"}
	log := strings.Join([]string{
		`time=2026-11-27T19:00:00Z level=INFO msg="notice fanned out" notice=42 recipients=25`,
		`{"level":"WARN","msg":"send failed","pupil":"Дарья Алёшина"}`,
		`level=DEBUG msg=composed text="Отличная работа у доски"`,
		`level=ERROR msg="telegram" url=https://api.telegram.org/bot424242:SECRET-token/sendMessage`,
		`level=INFO msg="code typed" code=K7QM-2XHP-9TVA`,
		`level=INFO msg="code typed" code=K7QM2XHP9TVA`,
		`{"level":"INFO","msg":"grade","score":5}`,
		`level=INFO msg=grade score=5`,
		`level=INFO msg="task done" task=send:1234567890123 id=ABCDEF0123456789`,
	}, "\n")
	findings := scanLog(log, forbidden)
	for _, want := range []string{"line 2 ", "line 3 ", "line 4 ", "line 5 ", "line 6 ", "line 7 ", "line 8 "} {
		if !strings.Contains(strings.Join(findings, "\n"), "log "+want) {
			t.Errorf("the scan missed %s:\n%s", want, strings.Join(findings, "\n"))
		}
	}
	if len(findings) != 7 {
		t.Errorf("%d findings, want 7 (lines 1 and 9 hold ids only):\n%s", len(findings), strings.Join(findings, "\n"))
	}
}
