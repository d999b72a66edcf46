package webapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// User is the Telegram user a Mini App's initData names.
type User struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LanguageCode string `json:"language_code"`
}

// ErrInitData is any initData the server refuses: unsigned, signed with
// another bot's token, altered, too old or naming no user. Callers answer 401
// alike and log the wrapped reason.
var ErrInitData = errors.New("initData refused")

// Check verifies initData as Telegram specifies for Mini Apps: the hash is
// the HMAC-SHA256 of the other fields, sorted by key and joined as
// key=value lines, under the key HMAC-SHA256("WebAppData", bot token); and
// auth_date is no older than maxAge at now. It returns the user it names.
func Check(initData, botToken string, maxAge time.Duration, now time.Time) (User, error) {
	values, err := url.ParseQuery(initData)
	if err != nil {
		return User{}, fmt.Errorf("%w: %v", ErrInitData, err)
	}
	got, err := hex.DecodeString(values.Get("hash"))
	if err != nil || len(got) != sha256.Size {
		return User{}, fmt.Errorf("%w: no hash", ErrInitData)
	}
	if !hmac.Equal(got, signature(values, botToken)) {
		return User{}, fmt.Errorf("%w: the hash does not match", ErrInitData)
	}
	unix, err := strconv.ParseInt(values.Get("auth_date"), 10, 64)
	if err != nil {
		return User{}, fmt.Errorf("%w: no auth_date", ErrInitData)
	}
	if age := now.Sub(time.Unix(unix, 0)); age > maxAge {
		return User{}, fmt.Errorf("%w: signed %s ago, more than %s", ErrInitData, age.Round(time.Second), maxAge)
	}
	var u User
	if err := json.Unmarshal([]byte(values.Get("user")), &u); err != nil || u.ID == 0 {
		return User{}, fmt.Errorf("%w: no user", ErrInitData)
	}
	return u, nil
}

// Sign returns initData for user as Telegram would sign it at authDate: what
// the demo's page and the tests open the app with.
func Sign(user User, botToken string, authDate time.Time) string {
	u, _ := json.Marshal(user) // a struct of strings and an int
	values := url.Values{"user": {string(u)}, "auth_date": {strconv.FormatInt(authDate.Unix(), 10)},
		"query_id": {"demo"}}
	values.Set("hash", hex.EncodeToString(signature(values, botToken)))
	return values.Encode()
}

// signature is the HMAC Telegram puts in initData's hash field.
func signature(values url.Values, botToken string) []byte {
	keys := make([]string, 0, len(values))
	for k := range values {
		if k != "hash" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + values.Get(k)
	}
	secret := hmac.New(sha256.New, []byte("WebAppData"))
	secret.Write([]byte(botToken))
	mac := hmac.New(sha256.New, secret.Sum(nil))
	mac.Write([]byte(strings.Join(lines, "\n")))
	return mac.Sum(nil)
}
