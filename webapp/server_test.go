package webapp_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/webapp"
)

var (
	today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	now   = time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
)

// app is the demo school served as the web app, and a family linked to Даша.
type app struct {
	t        *testing.T
	srv      *httptest.Server
	school   *diarytest.School[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role]
	pupils   map[string]int64
	notified notified // the app's Options.Notices
}

func newApp(t *testing.T) *app {
	db, d := diarytest.Demo(t, today)
	store := diary.NewStore(db)
	store.SetClock(func() time.Time { return now })
	a := &app{t: t, pupils: d.Pupils}
	a.srv = httptest.NewServer(webapp.New(store, webapp.Options{Token: token, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return now }, Notices: &a.notified}))
	t.Cleanup(a.srv.Close)
	a.school = diarytest.SchoolOf[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role](t, db, demo.SchoolSourcedID)
	return a
}

// notified counts the app's calls to start the fan-out of notices, as the
// worker's queue would take them.
type notified struct{ calls atomic.Int64 }

func (n *notified) NoticesDue(context.Context) error {
	n.calls.Add(1)
	return nil
}

// guardian links a new account as the pupil's guardian and returns its
// Telegram user.
func (a *app) guardian(pupil string) webapp.User {
	a.t.Helper()
	account := a.school.Guardian(diary.PersonID(a.pupils[pupil]))
	u := webapp.User{LanguageCode: "ru"}
	if err := a.school.DB.QueryRow(a.t.Context(), `SELECT telegram_user_id FROM accounts WHERE id = $1`, account).Scan(&u.ID); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// get asks for path as the app's script does, with initData.
func (a *app) get(path, initData string) (*http.Response, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
	if initData != "" {
		req.Header.Set(webapp.InitDataHeader, initData)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// post sends a form as the app's script does for a data-post button.
func (a *app) post(path, initData string, form url.Values) (*http.Response, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(webapp.InitDataHeader, initData)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// The page Telegram opens holds no one's data; every screen asks for
// initData: without it, tampered or signed for another bot, 401 and nothing.
func TestScreensNeedInitData(t *testing.T) {
	a := newApp(t)
	user := a.guardian(demo.Dasha)
	resp, body := a.get(webapp.Path, "")
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "Дарья") || !strings.Contains(body, "telegram-web-app.js") {
		t.Errorf("the page: %s\n%s", resp.Status, body)
	}
	good := webapp.Sign(user, token, now)
	for name, data := range map[string]string{
		"none":        "",
		"tampered":    strings.Replace(good, "auth_date=", "auth_date=1", 1),
		"another bot": webapp.Sign(user, "654321:OTHER", now),
		"expired":     webapp.Sign(user, token, now.Add(-webapp.DefaultMaxAge-time.Minute)),
	} {
		if resp, body := a.get(webapp.Path+"home", data); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "Дарья") {
			t.Errorf("%s: %s\n%s", name, resp.Status, body)
		}
	}
	resp, body = a.get(webapp.Path+"home", good)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Дарья") || strings.Contains(body, "Пётр") {
		t.Errorf("the mother's first screen: %s\n%s", resp.Status, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("a screen's Cache-Control: %q", cc)
	}
}

// The assets are embedded: asked for by their tag they are kept a year.
func TestAssetsAreCached(t *testing.T) {
	a := newApp(t)
	_, page := a.get(webapp.Path, "")
	i := strings.Index(page, webapp.Path+"assets/app.js?v=")
	if i < 0 {
		t.Fatalf("the page names no script:\n%s", page)
	}
	src := page[i:]
	src = src[:strings.IndexByte(src, '"')]
	resp, body := a.get(src, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(body, "initData") {
		t.Errorf("%s: %s, Cache-Control %q", src, resp.Status, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := a.get(webapp.Path+"assets/nothing.js", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown asset: %s", resp.Status)
	}
}
