package main

import (
	"errors"
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/dnevnik/dnevnik/"

// mayImport is ARCHITECTURE.md's direction of imports: for each of our
// packages outside cmd, the packages of ours its non-test code may import.
var mayImport = map[string][]string{
	"diary":                    nil,
	"diary/diarytest":          {"migrations", "samples/demo"},
	"imports/csvin":            nil,
	"imports/csvin/importtest": {"imports/csvin"},
	"imports/oneroster":        {"imports/csvin"},
	"imports/timetable":        {"imports/csvin"},
	"samples/district":         nil,
	"samples/demo":             nil,
	"migrations":               nil,
	"locales":                  nil,
	"render":                   {"diary", "locales"},
	"telegram":                 {"diary", "locales"},
	"paper":                    {"diary", "render", "locales"},
	"paper/papertest":          nil,
	"bot":                      {"diary", "render", "paper", "telegram", "locales"},
	"bot/bottest":              nil,
	"calendar":                 {"diary", "render", "locales"},
	"webapp":                   {"diary", "render", "locales"},
	"bot/bottest/chat":         {"bot/bottest", "locales"},
	"jobs":                     {"diary", "render", "telegram", "locales"},
	"jobs/jobstest":            nil,
}

// mayNotImport are the standard packages a package must leave to another:
// bot builds no markup (render does), so it never escapes HTML.
var mayNotImport = map[string][]string{
	"bot": {"html"},
}

// Every package imports only what ARCHITECTURE.md says it may; a new
// package outside cmd must be placed on the map first.
func TestImportsFollowTheMap(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "cmd": // cmd wires everything together
			return filepath.SkipDir
		case d.Name() == "testdata" || rel != "." && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(dir, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		allowed, known := mayImport[rel]
		if !known {
			t.Errorf("package %s is not on the map (ARCHITECTURE.md, mayImport)", rel)
			return nil
		}
		for _, imp := range pkg.Imports {
			if slices.Contains(mayNotImport[rel], imp) {
				t.Errorf("%s imports %s, which it leaves to another package (ARCHITECTURE.md)", rel, imp)
			}
			ours, ok := strings.CutPrefix(imp, module)
			if ok && !slices.Contains(allowed, ours) {
				t.Errorf("%s imports %s, against the map: it may import %v", rel, ours, allowed)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
