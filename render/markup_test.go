package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// telegramTags are the tags Telegram's HTML parse mode accepts that render may use.
var telegramTags = map[string]bool{"b": true, "i": true, "u": true, "s": true, "code": true, "pre": true,
	"a": true, "blockquote": true, "tg-spoiler": true}

var (
	tagPattern       = regexp.MustCompile(`^</?([a-z-]+)(?:\s[^<>]*)?>`)
	referencePattern = regexp.MustCompile(`^&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)
)

// lineMarkupError says what is wrong with a line's markup: a tag Telegram does
// not know, a tag left open or closed out of turn, a bare '<', '>' or '&'.
func lineMarkupError(line string) error {
	var open []string
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '<':
			m := tagPattern.FindStringSubmatch(line[i:])
			if m == nil || !telegramTags[m[1]] {
				return fmt.Errorf("bad tag at byte %d", i)
			}
			if strings.HasPrefix(m[0], "</") {
				if len(open) == 0 || open[len(open)-1] != m[1] {
					return fmt.Errorf("</%s> at byte %d closes nothing open", m[1], i)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, m[1])
			}
			i += len(m[0]) - 1
		case '>':
			return fmt.Errorf("bare '>' at byte %d", i)
		case '&':
			if !referencePattern.MatchString(line[i:]) {
				return fmt.Errorf("bare '&' at byte %d", i)
			}
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("unclosed %v", open)
	}
	return nil
}

// checkMarkup fails the test on any line of text with bad markup.
func checkMarkup(t *testing.T, text string) {
	t.Helper()
	for n, line := range strings.Split(text, "\n") {
		if err := lineMarkupError(line); err != nil {
			t.Errorf("line %d %q: %v", n+1, line, err)
		}
	}
}

func TestLineMarkupError(t *testing.T) {
	for line, ok := range map[string]bool{
		"<b>Математика</b> · каб. 214": true,
		"<s><b>x</b></s> &amp; &#39;":  true,
		"<b>open":                      false,
		"<b><s>x</b></s>":              false,
		"</b>":                         false,
		"<script>x</script>":           false,
		"a < b":                        false,
		"a > b":                        false,
		"Q&A":                          false,
	} {
		if err := lineMarkupError(line); (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", line, err, ok)
		}
	}
}
