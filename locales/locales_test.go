package locales

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// messages reads a language's files as id → plural forms ("other" for a plain
// string).
func messages(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	names, err := fs.Glob(files, "*."+lang+".toml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no message files for %s: %v", lang, err)
	}
	raw := map[string]any{}
	for _, name := range names {
		var part map[string]any
		if _, err := toml.DecodeFS(files, name, &part); err != nil {
			t.Fatal(err)
		}
		for id, v := range part {
			if _, dup := raw[id]; dup {
				t.Errorf("%s: message %q is defined in two files", name, id)
			}
			raw[id] = v
		}
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = map[string]string{"other": v}
		case map[string]any:
			forms := map[string]string{}
			for form, text := range v {
				forms[form] = fmt.Sprint(text)
			}
			out[id] = forms
		}
	}
	return out
}

// usedIDs finds the message ids the code passes as literals to T and N.
func usedIDs(t *testing.T) map[string]string {
	t.Helper()
	root := ".."
	used := map[string]string{} // id → where
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "N") {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, _ := strconv.Unquote(lit.Value)
				used[id] = fset.Position(lit.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

// A message id used in code but missing from a locale fails here.
func TestEveryMessageIDExists(t *testing.T) {
	used := usedIDs(t)
	for i := range 7 {
		used[fmt.Sprintf("weekday_short_%d", i)] = "Printer.Weekday"
	}
	for m := 1; m <= 12; m++ {
		used[fmt.Sprintf("month_of_%d", m)] = "Printer.Date"
	}
	for _, lang := range Languages {
		have := messages(t, lang)
		for id, where := range used {
			if _, ok := have[id]; !ok {
				t.Errorf("%s: message %q is missing from the %s files", where, id, lang)
			}
		}
	}
}

// Both languages say everything, and every plural message has the forms its
// language needs.
func TestLocalesAreComplete(t *testing.T) {
	forms := map[string][]string{"ru": {"few", "many", "one", "other"}, "en": {"one", "other"}}
	all := map[string]map[string]map[string]string{}
	for _, lang := range Languages {
		all[lang] = messages(t, lang)
	}
	for _, lang := range Languages {
		for id, msg := range all[lang] {
			for _, other := range Languages {
				if _, ok := all[other][id]; !ok {
					t.Errorf("%q is in %s but not in %s", id, lang, other)
				}
			}
			if len(msg) == 1 {
				continue
			}
			var got []string
			for f := range msg {
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, forms[lang]) {
				t.Errorf("%s %q has plural forms %v, want %v", lang, id, got, forms[lang])
			}
		}
	}
}

func TestPluralsAndDates(t *testing.T) {
	ru, en := For("ru"), For("en")
	for n, want := range map[int]string{1: "1 оценка", 2: "2 оценки", 5: "5 оценок", 11: "11 оценок", 21: "21 оценка", 22: "22 оценки", 111: "111 оценок"} {
		if got := ru.N("grades_count", n); got != want {
			t.Errorf("ru %d: %q, want %q", n, got, want)
		}
	}
	if got := en.N("grades_count", 1) + ", " + en.N("grades_count", 21); got != "1 grade, 21 grades" {
		t.Errorf("en: %q", got)
	}
	d := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	if got := ru.Date(d); got != "сб, 28 ноября" {
		t.Errorf("ru date %q", got)
	}
	if got := en.Date(d); got != "Sat, 28 November" {
		t.Errorf("en date %q", got)
	}
	if got := ru.DateYear(d); got != "сб, 28 ноября 2026" {
		t.Errorf("ru date with year %q", got)
	}
	if For("de").Lang() != "ru" || Pick("en-GB") != "en" || Pick("uk") != "ru" || Pick("") != "ru" {
		t.Error("language choice")
	}
}

func TestMain(m *testing.M) {
	// usedIDs walks the module from here.
	if _, err := os.Stat("../go.mod"); err != nil {
		fmt.Fprintln(os.Stderr, "locales tests must run from the locales folder")
		os.Exit(1)
	}
	os.Exit(m.Run())
}
