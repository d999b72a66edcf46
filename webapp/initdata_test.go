package webapp_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/webapp"
)

const token = "123456:TEST-token"

// initData as Telegram signs it passes; altered, signed with another bot's
// token, too old or naming no user, it is refused.
func TestCheck(t *testing.T) {
	now := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	user := webapp.User{ID: 42, FirstName: "Ольга", LanguageCode: "ru"}
	good := webapp.Sign(user, token, now.Add(-time.Hour))
	if got, err := webapp.Check(good, token, webapp.DefaultMaxAge, now); err != nil || got != user {
		t.Fatalf("good initData: %+v, %v", got, err)
	}
	tampered, _ := url.ParseQuery(good)
	tampered.Set("user", strings.Replace(tampered.Get("user"), "42", "43", 1))
	for name, data := range map[string]string{
		"another user":      tampered.Encode(),
		"another bot":       webapp.Sign(user, "654321:OTHER", now),
		"too old":           webapp.Sign(user, token, now.Add(-webapp.DefaultMaxAge-time.Second)),
		"no user":           webapp.Sign(webapp.User{}, token, now),
		"no hash":           "user=%7B%22id%22%3A42%7D&auth_date=1",
		"not a query":       "%zz",
		"empty":             "",
		"hash of no digits": strings.Replace(good, "hash=", "hash=zz", 1),
	} {
		if _, err := webapp.Check(data, token, webapp.DefaultMaxAge, now); !errors.Is(err, webapp.ErrInitData) {
			t.Errorf("%s: %v, want ErrInitData", name, err)
		}
	}
}

// FuzzCheck: whatever arrives as initData, Check answers without panicking,
// and what passes names a user.
func FuzzCheck(f *testing.F) {
	now := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	f.Add(webapp.Sign(webapp.User{ID: 42}, token, now))
	f.Add("user=%7B%22id%22%3A42%7D&auth_date=1&hash=00")
	f.Add("")
	f.Fuzz(func(t *testing.T, data string) {
		u, err := webapp.Check(data, token, webapp.DefaultMaxAge, now)
		if err == nil && u.ID == 0 {
			t.Fatalf("initData %q passed naming no user", data)
		}
	})
}
