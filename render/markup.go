package render

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sep separates the items of one line: subject, room, teacher.
const sep = " · "

// bullet starts an item of a list whose items may run over several lines.
const bullet = "• "

// indent sets a lesson's details under its headline.
const indent = "    "

// message collects a text line by line.
type message struct{ lines []string }

func (m *message) add(lines ...string) { m.lines = append(m.lines, lines...) }

// block starts a new block with a blank line, where Split prefers to cut.
func (m *message) block() {
	if n := len(m.lines); n > 0 && m.lines[n-1] != "" {
		m.lines = append(m.lines, "")
	}
}

func (m *message) String() string {
	return strings.TrimRight(strings.Join(m.lines, "\n"), "\n")
}

// field escapes a short datum (a name, a subject, a room) and folds it onto one
// line, so that it may stand inside a tag without unbalancing a line.
func field(s string) string { return html.EscapeString(strings.Join(strings.Fields(s), " ")) }

// text escapes free text (homework, a remark, an agenda), keeping its line
// breaks (Windows ones made plain, as imported files often have them). It never
// goes inside a tag: a line of it would open what another closes.
func text(s string) string {
	return html.EscapeString(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")))
}

func bold(s string) string   { return "<b>" + s + "</b>" }
func strike(s string) string { return "<s>" + s + "</s>" }

// join puts the non-empty items on one line.
func join(items ...string) string {
	kept := items[:0:0]
	for _, it := range items {
		if it != "" {
			kept = append(kept, it)
		}
	}
	return strings.Join(kept, sep)
}

// iconLine prefixes a line with its icon.
func iconLine(icon, line string) string { return icon + " " + line }

// heading is a text's first line: "📊 <b>Оценки</b> · 2 четверть · Дарья, 7А".
// details are markup already; child is the caller's plain label of the pupil.
func heading(icon, title, child string, details ...string) string {
	return iconLine(icon, join(append(append([]string{bold(title)}, details...), field(child))...))
}

// capitalize upper-cases the first letter, for a phrase that starts a line.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
