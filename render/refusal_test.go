package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Every reason the diary declares has a message, in every language: a new
// reason without one fails here, not in front of a teacher.
func TestEveryReasonHasAMessage(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../diary/error.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []diary.Reason
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || spec.Type == nil || len(spec.Values) != 1 {
			return true
		}
		if ident, ok := spec.Type.(*ast.Ident); ok && ident.Name == "Reason" {
			if lit, ok := spec.Values[0].(*ast.BasicLit); ok {
				v, _ := strconv.Unquote(lit.Value)
				declared = append(declared, diary.Reason(v))
			}
		}
		return true
	})
	if len(declared) < 20 {
		t.Fatalf("found %d reasons in diary/error.go: the test no longer reads it", len(declared))
	}
	for _, reason := range declared {
		m, ok := reasonMessages[reason]
		if !ok {
			t.Errorf("reason %q has no message (render/refusal.go)", reason)
			continue
		}
		err := &diary.Error{Code: diary.EINVALID, Reason: reason, Args: map[string]any{"Count": 2, "Max": 10, "Length": 11,
			"When": time.Date(2026, 12, 3, 18, 30, 0, 0, time.UTC)}}
		for _, lang := range locales.Languages {
			if text := Refusal(locales.For(lang), err); text == m.id || text == "" || strings.Contains(text, "no value") {
				t.Errorf("reason %q: message %q is missing in %s (%q)", reason, m.id, lang, text)
			}
		}
	}
	if len(reasonMessages) != len(declared) {
		t.Errorf("%d messages for %d reasons: a message for a reason that is gone", len(reasonMessages), len(declared))
	}
}
