package render

import (
	"strings"
	"unicode/utf8"
)

// Split cuts text into parts of at most limit characters each, to send as
// separate messages. It cuts at a line boundary, preferring a blank line
// between blocks when that leaves the part at least half full; a single line
// longer than limit is cut at a rune boundary, not inside a tag or a character
// reference where the line allows. The newlines at a cut are dropped, as are
// those at the ends of text, so no part starts or ends with one; there are no
// empty parts, and the parts joined again give back the text but for the
// newlines at the cuts. Split panics when limit is below 1.
//
// Characters are counted as runes (utf8.RuneCountInString) of the HTML as sent.
// Telegram counts UTF-16 code units of the text after parsing markup: tags and
// references make this count higher, and a character outside the Basic
// Multilingual Plane (most emoji) counts two there and one here. Leave a
// margin, as telegram.MessageLimit does.
func Split(text string, limit int) []string {
	if limit < 1 {
		panic("render.Split: limit below 1")
	}
	var parts []string
	text = strings.Trim(text, "\n")
	for text != "" {
		if utf8.RuneCountInString(text) <= limit {
			return append(parts, text)
		}
		part := text[:cutAt(text, limit)]
		parts = append(parts, part)
		text = strings.TrimLeft(text[len(part):], "\n")
	}
	return parts
}

// cutAt is the byte length of the first part of text, which is longer than
// limit runes and starts with no newline. The part never ends with a newline.
func cutAt(text string, limit int) int {
	end := runeOffset(text, limit)
	// A newline just past the window ends a part that fits.
	window := text[:end+1]
	if i := strings.LastIndex(window, "\n\n"); i > 0 && utf8.RuneCountInString(text[:i]) >= limit/2 {
		return len(strings.TrimRight(text[:i], "\n"))
	}
	if i := strings.LastIndex(window, "\n"); i > 0 {
		return len(strings.TrimRight(text[:i], "\n"))
	}
	return hardCut(text[:end])
}

// runeOffset is the byte offset after the first n runes of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// hardCut shortens a part cut inside a line so that it does not end inside a
// tag ("<b") or a character reference ("&am"), unless that would leave it empty.
func hardCut(part string) int {
	for _, open := range []struct{ start, end string }{{"<", ">"}, {"&", ";"}} {
		if i := strings.LastIndex(part, open.start); i > 0 && !strings.Contains(part[i:], open.end) {
			part = part[:i]
		}
	}
	return len(part)
}
