package telegram

import (
	"strings"
	"testing"
	"time"
)

func TestCallbackCodec(t *testing.T) {
	c := NewCodec("123:secret")
	data := c.Encode(ButtonDay, 4242, DateArg(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)))
	cb, err := c.Decode(data)
	if err != nil || cb.Kind != ButtonDay || len(cb.Args) != 2 || cb.Args[0] != 4242 {
		t.Fatalf("decode(%q) = %+v, %v", data, cb, err)
	}
	if got := ArgDate(cb.Args[1]); !got.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day round trip = %v", got)
	}
	// Another pupil's id with the old signature, a signature from another bot,
	// garbage: all refused.
	tampered := strings.Replace(data, ":39u:", ":39v:", 1)
	if tampered == data {
		t.Fatalf("test did not tamper with %q", data)
	}
	for _, bad := range []string{tampered, NewCodec("999:other").Encode(ButtonDay, 4242, 1), "d:1:2", "", "~", "d:zz~AAAAAAAA"} {
		if _, err := c.Decode(bad); err == nil {
			t.Errorf("decode(%q) accepted", bad)
		}
	}
	// The longest buttons we make fit Telegram's 64 bytes.
	if long := c.Encode(ButtonSign, 1<<62, 1<<62); len(long) > MaxCallbackData {
		t.Errorf("%q is %d bytes", long, len(long))
	}
}

func FuzzCallbackDecode(f *testing.F) {
	c := NewCodec("123:secret")
	for _, s := range []string{c.Encode(ButtonDay, 1, 2), c.Encode(ButtonSetting, 3, 3), "d:1~", "~~~", "s:-1:-1~xxxxxxxx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cb, err := c.Decode(data)
		if err != nil {
			return
		}
		// Anything accepted must be what we would have made.
		if again := c.Encode(cb.Kind, cb.Args...); again != data {
			t.Fatalf("decode(%q) accepted something encode makes as %q", data, again)
		}
	})
}
