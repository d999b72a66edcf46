package bottest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// visibleText returns what the user sees of text sent with parseMode, or the
// error Telegram answers. Markdown is not checked: Dnevnik sends HTML.
func visibleText(text, parseMode string) (string, error) {
	switch strings.ToLower(parseMode) {
	case "", "markdown", "markdownv2":
		return text, nil
	case "html":
		return parseHTML(text)
	default:
		return "", badRequest("unsupported parse_mode")
	}
}

// supportedTags are the HTML tags this fake accepts, a subset of Telegram's
// (https://core.telegram.org/bots/api#html-style) without span and tg-emoji.
var supportedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"tg-spoiler": true, "blockquote": true,
}

var (
	// attributesEnd matches what follows a start tag's name: attributes,
	// valueless or with a plain or quoted value, up to the closing '>'.
	attributesEnd = regexp.MustCompile(`^(?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*>`)
	// characterReference matches what Telegram decodes: four named references
	// and numeric ones, the ';' optional.
	characterReference = regexp.MustCompile(`^&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));?`)
	namedReferences    = map[string]rune{"lt": '<', "gt": '>', "amp": '&', "quot": '"'}
)

// parseHTML returns text without its markup, or Telegram's error for
// markup it would refuse: an unsupported, unclosed or mismatched tag. Like
// Telegram, it takes an '&' that starts no known reference literally.
func parseHTML(text string) (string, error) {
	var plain strings.Builder
	var open []string // start tags not closed yet, innermost last
	for i := 0; i < len(text); {
		switch {
		case text[i] == '&':
			r, size := decodeReference(text[i:])
			plain.WriteRune(r)
			i += size
		case strings.HasPrefix(text[i:], "</"):
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", entityError("Unclosed end tag at byte offset %d", i)
			}
			if len(open) == 0 {
				return "", entityError("Unexpected end tag at byte offset %d", i)
			}
			name, innermost := strings.ToLower(strings.TrimSpace(text[i+2:i+end])), open[len(open)-1]
			if name != "" && name != innermost { // Telegram accepts "</>" for any tag
				return "", entityError("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, innermost, name)
			}
			open = open[:len(open)-1]
			i += end + 1
		case text[i] == '<':
			name, next, err := startTag(text, i)
			if err != nil {
				return "", err
			}
			open = append(open, name)
			i = next
		default:
			plain.WriteByte(text[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", entityError("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return plain.String(), nil
}

// startTag reads the start tag at text[i:] and returns its name and the offset after it.
func startTag(text string, i int) (string, int, error) {
	nameLength := strings.IndexFunc(text[i+1:], func(r rune) bool { return r == '>' || unicode.IsSpace(r) })
	if nameLength < 0 {
		return "", 0, entityError("Unclosed start tag at byte offset %d", i)
	}
	nameEnd := i + 1 + nameLength
	name := strings.ToLower(text[i+1 : nameEnd])
	if !supportedTags[name] {
		return "", 0, entityError("Unsupported start tag \"%s\" at byte offset %d", name, i)
	}
	attributes := attributesEnd.FindStringIndex(text[nameEnd:])
	if attributes == nil {
		return "", 0, entityError("Can't parse the attributes of the tag \"%s\" at byte offset %d", name, i)
	}
	return name, nameEnd + attributes[1], nil
}

// decodeReference decodes the character reference text starts with and
// returns it and its length; an unknown one is a literal '&'.
func decodeReference(text string) (rune, int) {
	m := characterReference.FindStringSubmatch(text)
	if m == nil {
		return '&', 1
	}
	if m[1] != "" {
		return namedReferences[m[1]], len(m[0])
	}
	number, base := m[2], 10
	if number == "" {
		number, base = m[3], 16
	}
	code, _ := strconv.ParseInt(number, base, 32) // the pattern admits digits only, at most 0xFFFFFF
	if code == 0 || code > unicode.MaxRune {
		return '&', 1
	}
	return rune(code), len(m[0])
}

func entityError(format string, args ...any) error {
	return badRequest("can't parse entities: " + fmt.Sprintf(format, args...))
}
