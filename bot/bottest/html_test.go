package bottest

import (
	"strings"
	"testing"
)

func TestParseHTML(t *testing.T) {
	good := []struct{ html, plain string }{
		{"plain", "plain"},
		{"<b>Math</b>: 5 &lt; 6 &amp;&amp; A&B &#1071;&#x44F; &nbsp;", "Math: 5 < 6 && A&B Яя &nbsp;"},
		{`<a href="https://example.org/?a=1&amp;b=2">link</a>`, "link"},
		{`<pre><code class="language-go">x := 1</code></pre>`, "x := 1"},
		{"<blockquote expandable>quote</blockquote>", "quote"},
		{"<B>loud</B><i>x</>", "loudx"},
		{"<tg-spoiler><s><u>x</u></s></tg-spoiler>", "x"},
	}
	for _, tt := range good {
		if plain, err := parseHTML(tt.html); err != nil || plain != tt.plain {
			t.Errorf("parseHTML(%q) = %q, %v; want %q", tt.html, plain, err, tt.plain)
		}
	}
	bad := []struct{ html, want string }{
		{"<b>bold", `Can't find end tag corresponding to start tag "b"`},
		{"<b>x</i>", `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{"x</b>", "Unexpected end tag at byte offset 1"},
		{"<br/>", `Unsupported start tag "br/" at byte offset 0`},
		{"<span class=\"tg-spoiler\">x</span>", `Unsupported start tag "span"`},
		{"a < b", `Unsupported start tag "" at byte offset 2`},
		{"<b", "Unclosed start tag at byte offset 0"},
		{"<b>x</b", "Unclosed end tag at byte offset 4"},
		{`<a href="x>y</a>`, `Can't parse the attributes of the tag "a"`},
	}
	for _, tt := range bad {
		_, err := parseHTML(tt.html)
		if err == nil || !strings.HasPrefix(err.Error(), "Bad Request: can't parse entities: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseHTML(%q) error %v; want %q", tt.html, err, tt.want)
		}
	}
}

func TestCommandEntitiesCountUTF16(t *testing.T) {
	entities := commandEntities("😀 /start CODE and/not /grades@dnevnik_bot")
	if len(entities) != 2 {
		t.Fatalf("entities: %+v", entities)
	}
	// The emoji is two UTF-16 code units.
	if e := entities[0]; e.Offset != 3 || e.Length != 6 {
		t.Errorf("/start: %+v", e)
	}
	if e := entities[1]; e.Offset != 23 || e.Length != 19 {
		t.Errorf("/grades@dnevnik_bot: %+v", e)
	}
}
