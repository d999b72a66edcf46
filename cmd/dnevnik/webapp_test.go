package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/webapp"
)

// WEBAPP_URL is an https address (http only for this machine) whose path is
// the app's, and needs HTTP_ADDR, which serves the app.
func TestWebAppURLSetting(t *testing.T) {
	for value, want := range map[string]string{
		"https://dnevnik.school.example/app/": "https://dnevnik.school.example/app/",
		"https://dnevnik.school.example/app":  "https://dnevnik.school.example/app/",
		"https://dnevnik.school.example":      "https://dnevnik.school.example/app/",
		"http://127.0.0.1:8080/app/":          "http://127.0.0.1:8080/app/",
		"http://dnevnik.school.example/app/":  "must start with https://",
		"https://dnevnik.example/diary/":      "its path must be /app/",
		"https://dnevnik.example/app/?x=1":    "no ?query",
	} {
		cfg, errs := loadConfig(envFrom(map[string]string{"WEBAPP_URL": value, "HTTP_ADDR": ":8080"}), needPublic|needHTTP)
		switch {
		case strings.HasPrefix(want, "http") && (len(errs) != 0 || cfg.WebAppURL != want):
			t.Errorf("%s: %q, %v", value, cfg.WebAppURL, errs)
		case !strings.HasPrefix(want, "http") && (len(errs) != 1 || !strings.Contains(errs[0].Error(), want)):
			t.Errorf("%s: %v, want %q", value, errs, want)
		}
	}
	_, errs := loadConfig(envFrom(map[string]string{"WEBAPP_URL": "https://dnevnik.school.example/app/"}), needPublic|needHTTP)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "HTTP_ADDR is required with WEBAPP_URL") {
		t.Errorf("WEBAPP_URL without HTTP_ADDR: %v", errs)
	}
}

// dnevnik bot with WEBAPP_URL serves the Mini App on HTTP_ADDR, gzipped, and
// sets the menu button to open it; the app answers only signed initData.
func TestBotServesWebApp(t *testing.T) {
	t.Parallel()
	const token = "424243:WEBAPP-token-for-the-fake-api-0"
	fake, env := liveEnv(t, token)
	addr := freeAddr(t)
	env["HTTP_ADDR"], env["WEBAPP_URL"], env["SHUTDOWN_TIMEOUT"] = addr, "http://"+addr+webapp.Path, "10s"
	pool, err := pgxpool.New(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	diarytest.SeedDemo(t, pool, diary.Date(time.Now(), time.UTC))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"bot"}, envFrom(env), io.Discard, processLog(t, env)) }()
	defer func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("bot exited %d", code)
		}
	}()

	for deadline := time.Now().Add(10 * time.Second); fake.MenuButton().Type == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no menu button set")
		}
	}
	if b := fake.MenuButton(); b.Type != models.MenuButtonTypeWebApp || b.WebApp.WebApp.URL != env["WEBAPP_URL"] {
		t.Errorf("the menu button: %+v", b)
	}
	get := func(path, initData string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set(webapp.InitDataHeader, initData)
		resp, err := http.DefaultClient.Do(req)
		for deadline := time.Now().Add(5 * time.Second); err != nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			resp, err = http.DefaultClient.Do(req) // HTTP_ADDR may open a moment after the menu is set
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(webapp.Path, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the page: %s", resp.Status)
	}
	if resp := get(webapp.Path+"home", "hash=00"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: %s", resp.Status)
	}
	signed := webapp.Sign(webapp.User{ID: 9001, LanguageCode: "ru"}, token, time.Now())
	if resp := get(webapp.Path+"home", signed); resp.StatusCode != http.StatusOK {
		t.Errorf("a signed home screen: %s", resp.Status)
	}
	if resp := get(webapp.Path+"assets/app.css", ""); resp.StatusCode != http.StatusOK || !resp.Uncompressed {
		t.Errorf("the stylesheet: %s, gzipped %v", resp.Status, resp.Uncompressed)
	}
}
