package csvin

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// open writes a file with the content and opens it.
func open(t *testing.T, name, content string) (*Reader, *Problems) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var ps Problems
	r, err := Open(path, &ps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, &ps
}

func strs[T fmt.Stringer](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = v.String()
	}
	return strings.Join(s, "\n")
}

// read returns the file's records as "line:a|b" with the problems found.
func read(t *testing.T, content string, required ...string) (records, problems string) {
	t.Helper()
	r, ps := open(t, "f.csv", content)
	for _, name := range required {
		r.Required(name)
	}
	a, b := r.Optional("a", "alpha"), r.Optional("b")
	var rs []string
	for r.Next() {
		rs = append(rs, fmt.Sprintf("%d:%s|%s", r.Line(), r.Value(a), r.Value(b)))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rs, " "), strs(ps.List())
}

func TestReader(t *testing.T) {
	for _, c := range []struct {
		name, content string
		required      []string
		records       string
		problems      string
	}{
		{"plain", "a,b\n1,2\n", nil, "2:1|2", ""},
		{"byte order mark and CRLF", "\uFEFFa,b\r\n1,2\r\n3,4\r\n", []string{"a"}, "2:1|2 3:3|4", ""},
		{"no trailing newline", "a,b\n1,2", nil, "2:1|2", ""},
		{"header only", "a,b", []string{"a", "b"}, "", ""},
		{"quoted comma and newline", "a,b\n\"1, 2\",\"x\ny\"\n3,4\n", nil, "2:1, 2|x\ny 4:3|4", ""},
		{"header by name, any case, with an alias", "B,extra,Alpha\n 2 ,x,1\n", []string{"b"}, "2:1|2", ""},
		{"missing column", "a\n1\n", []string{"b"}, "", "f.csv:1: b: required column missing from the header"},
		{"empty file", "", []string{"a"}, "", "f.csv:1: the file is empty: the first line must be the header"},
		{"ragged row", "a,b\n1,2\n3\n4,5\n", nil, "2:1|2", "f.csv:3: the row has 1 fields, the header 2"},
		{"bad quote", "a,b\n1,\"2\n", nil, "", "f.csv:2: malformed CSV: extraneous or missing \" in quoted-field"},
	} {
		records, problems := read(t, c.content, c.required...)
		if records != c.records {
			t.Errorf("%s: records %q, want %q", c.name, records, c.records)
		}
		if problems != c.problems {
			t.Errorf("%s: problems %q, want %q", c.name, problems, c.problems)
		}
	}
}

func TestSeen(t *testing.T) {
	r, ps := open(t, "ids.csv", "id\nx\ny\nx\nz\ny\nx\n")
	id := r.Optional("id")
	s := NewSeen(r)
	for r.Next() {
		s.Add(r.Value(id))
	}
	s.Report(id, "as on line %d")
	want := "ids.csv:4: id: as on line 2\nids.csv:6: id: as on line 3\nids.csv:7: id: as on line 2"
	if got := strs(ps.List()); got != want {
		t.Errorf("problems:\n%s\nwant\n%s", got, want)
	}
}

// TestSeenPairs: a pair is its two keys, not their concatenation, whatever bytes
// they hold.
func TestSeenPairs(t *testing.T) {
	r, ps := open(t, "pairs.csv", "a,b\nx,yz\nxy,z\n\"x\x00\",y\nx,\"\x00y\"\nx,yz\n")
	a, b := r.Optional("a"), r.Optional("b")
	s := NewSeen(r)
	for r.Next() {
		s.AddPair(r.Value(a), r.Value(b))
	}
	s.Report(b, "as on line %d")
	if got, want := strs(ps.List()), "pairs.csv:6: b: as on line 2"; got != want {
		t.Errorf("problems:\n%s\nwant\n%s", got, want)
	}
}

// TestSeenGrowsToTheFile: the set grows at once to about the rows the file
// holds, rather than by doubling.
func TestSeenGrowsToTheFile(t *testing.T) {
	var content strings.Builder
	content.WriteString("id\n")
	for i := range 10_000 {
		fmt.Fprintf(&content, "id-%05d\n", i)
	}
	r, _ := open(t, "ids.csv", content.String())
	id := r.Optional("id")
	s := NewSeen(r)
	grown := 0
	for r.Next() {
		before := cap(s.keys)
		s.Add(r.Value(id))
		if cap(s.keys) != before {
			grown++
		}
	}
	if grown > 2 || cap(s.keys) > 11_000 {
		t.Errorf("grew %d times to %d keys for 10,000 rows", grown, cap(s.keys))
	}
}

func TestProblemsLimit(t *testing.T) {
	ps := Problems{Limit: 2}
	for line := 5; line > 0; line-- {
		ps.Add(Problem{File: "f.csv", Line: line, Message: "bad"})
	}
	err := ps.Err().(*Error)
	if err.Total != 5 || err.Error() != "f.csv:4: bad\nf.csv:5: bad\n… and 3 more problems" {
		t.Errorf("%d problems: %q", err.Total, err.Error())
	}
}
