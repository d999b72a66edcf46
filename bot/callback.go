package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// Buttons carry a short kind and a few integer arguments (ids, days), signed with
// a key derived from the bot token: "d:1kx:k3v~Zm9vYmFy". A tampered or forged
// button fails the signature and shows nothing; a genuine one still goes through
// the diary's access check on every press, so a stale button for a child the
// account lost access to shows nothing either.

// maxCallbackData is Telegram's limit on a button's data, in bytes.
const maxCallbackData = 64

const macLength = 6 // bytes of HMAC-SHA256 kept: 48 bits, 8 characters

type codec struct{ key []byte }

func newCodec(token string) codec {
	k := sha256.Sum256([]byte("dnevnik callback key\x00" + token))
	return codec{key: k[:]}
}

type callback struct {
	kind string
	args []int64
}

func (c codec) mac(payload string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:macLength])
}

// encode makes a button's data. It panics past Telegram's 64 bytes: buttons are
// built by our code, so that is a bug, caught by the codec's tests.
func (c codec) encode(kind string, args ...int64) string {
	var b strings.Builder
	b.WriteString(kind)
	for _, a := range args {
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(a, 36))
	}
	payload := b.String()
	data := payload + "~" + c.mac(payload)
	if len(data) > maxCallbackData {
		panic("bot: callback data over 64 bytes: " + kind)
	}
	return data
}

var errBadCallback = errors.New("bad callback data")

// decode checks a button's signature and reads it back.
func (c codec) decode(data string) (callback, error) {
	payload, sig, ok := strings.Cut(data, "~")
	if !ok || !hmac.Equal([]byte(sig), []byte(c.mac(payload))) {
		return callback{}, errBadCallback
	}
	fields := strings.Split(payload, ":")
	cb := callback{kind: fields[0]}
	for _, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 36, 64)
		if err != nil {
			return callback{}, errBadCallback
		}
		cb.args = append(cb.args, n)
	}
	return cb, nil
}
