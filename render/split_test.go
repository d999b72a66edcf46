package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnevnik/dnevnik/locales"
)

// messageLimit is telegram.MessageLimit, the limit the bot and the worker
// split at; render does not import telegram.
const messageLimit = 4000

// checkSplit fails unless parts are what Split promises for text and limit:
// none empty, none over limit, none starting or ending with a newline, valid
// UTF-8 where text is, and the text again when joined but for newlines at cuts.
func checkSplit(t *testing.T, text string, limit int, parts []string) {
	t.Helper()
	rest := strings.Trim(text, "\n")
	for i, part := range parts {
		switch {
		case part == "":
			t.Fatalf("part %d is empty", i)
		case utf8.RuneCountInString(part) > limit:
			t.Fatalf("part %d has %d runes, limit %d", i, utf8.RuneCountInString(part), limit)
		case strings.HasPrefix(part, "\n") || strings.HasSuffix(part, "\n"):
			t.Fatalf("part %d %q starts or ends with a newline", i, part)
		case utf8.ValidString(text) && !utf8.ValidString(part):
			t.Fatalf("part %d %q cuts a rune", i, part)
		case !strings.HasPrefix(rest, part):
			t.Fatalf("part %d %q is not the next piece of the text %q", i, part, rest)
		}
		rest = strings.TrimLeft(rest[len(part):], "\n")
	}
	if rest != "" {
		t.Fatalf("parts end before the text: %q left", rest)
	}
}

func TestSplit(t *testing.T) {
	block := strings.Repeat("строка\n", 4) + "строка" // 34 runes
	for _, c := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"empty", "", 10, nil},
		{"only newlines", "\n\n\n", 10, nil},
		{"fits", "<b>Математика</b>\n5  4", 100, []string{"<b>Математика</b>\n5  4"}},
		{"exactly the limit", "абв\nгде", 7, []string{"абв\nгде"}},
		{"ends trimmed", "\nабв\n\n", 3, []string{"абв"}},
		{"at a blank line", block + "\n\n" + block, 60, []string{block, block}},
		{"a newline when the blank line is too early", "аб\n\nвгдежз\nийклмн", 14, []string{"аб\n\nвгдежз", "ийклмн"}},
		{"a newline just past the limit", "абв\nгде", 3, []string{"абв", "где"}},
		{"a long line at runes", "абвгдежзий", 4, []string{"абвг", "дежз", "ий"}},
		{"not inside a tag", "ab<b>cd</b>", 4, []string{"ab", "<b>c", "d", "</b>"}},
		{"not inside a reference", "абв &amp; где", 7, []string{"абв ", "&amp; г", "де"}},
		{"emoji", "😀😀😀", 2, []string{"😀😀", "😀"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Split(c.text, c.limit)
			checkSplit(t, c.text, c.limit, got)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", c.text, c.limit, got, c.want)
			}
		})
	}
}

func TestSplitHugeLine(t *testing.T) {
	line := strings.Repeat("Задание &amp; ", 1000) // 14,000 runes without a newline
	text := "<b>Математика</b>\n" + line + "\nконец"
	parts := Split(text, messageLimit)
	checkSplit(t, text, messageLimit, parts)
	if len(parts) != 5 || parts[0] != "<b>Математика</b>" || !strings.HasSuffix(parts[4], "\nконец") {
		t.Errorf("%d parts, first %.40q, last %.40q", len(parts), parts[0], parts[len(parts)-1])
	}
	for _, part := range parts[1:4] {
		if err := lineMarkupError(part); err != nil {
			t.Errorf("%.40q…: %v", part, err)
		}
	}
}

// A rendered text split anywhere keeps every part's markup valid.
func TestSplitRenderedText(t *testing.T) {
	p := locales.For("ru")
	text := Week(p, week(), child) + "\n\n" + Day(p, friday(), child) + "\n\n" + Grades(p, termGrades(), child)
	for _, limit := range []int{120, 300, 1000, messageLimit} {
		parts := Split(text, limit)
		checkSplit(t, text, limit, parts)
		for _, part := range parts {
			checkMarkup(t, part)
		}
		if limit == messageLimit && len(parts) != 1 {
			t.Errorf("a week, a day and grades take %d messages", len(parts))
		}
	}
}

func TestSplitRefusesNoLimit(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Split with limit 0 did not panic")
		}
	}()
	Split("текст", 0)
}

func FuzzSplit(f *testing.F) {
	f.Add("", uint16(1))
	f.Add("абв\n\nгде\nжзи", uint16(4))
	f.Add("\n\n\nx\n\n\n", uint16(1))
	f.Add("<b>Математика</b> &amp; <s>физика</s>", uint16(5))
	f.Add(strings.Repeat("😀 ", 50)+"\n\n"+strings.Repeat("я", 70), uint16(33))
	f.Add("\xff\xfe\n\xc3", uint16(2))
	f.Fuzz(func(t *testing.T, text string, n uint16) {
		limit := int(n%512) + 1
		checkSplit(t, text, limit, Split(text, limit))
	})
}
