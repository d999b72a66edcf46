package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// dnevnik bot, polling, serves the calendar feeds on HTTP_ADDR when
// PUBLIC_URL is set: /calendar gives an address under PUBLIC_URL, and that
// address, asked over HTTP, is an iCalendar feed of the child's lessons in
// the school's zone, until the link is revoked (404).
func TestBotServesCalendarFeeds(t *testing.T) {
	t.Parallel()
	fake, env := liveEnv(t, "424242:CALENDAR-token-for-the-fake-api")
	addr := freeAddr(t)
	env["HTTP_ADDR"], env["PUBLIC_URL"], env["SHUTDOWN_TIMEOUT"] = addr, "http://"+addr, "10s"
	pool, err := pgxpool.New(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	diarytest.SeedDemo(t, pool, diary.Date(time.Now(), time.UTC))
	store := diary.NewStore(pool)
	store.UseCodeSecrets(env["DNEVNIK_SECRET"])
	codes, err := store.IssueClassCodes(context.Background(), demo.Class7A, diary.RoleGuardian, time.Hour)
	if err != nil || len(codes) == 0 {
		t.Fatal(codes, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int, 1)
	log := io.MultiWriter(&stderr, processLog(t, env))
	go func() { done <- run(ctx, []string{"bot"}, envFrom(env), io.Discard, log) }()
	defer func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("bot exited %d:\n%s", code, stderr.String())
		}
	}()

	mum := bottest.User{ID: 7, FirstName: "Ольга", LanguageCode: "ru"}
	fake.SendText(mum, diary.FormatCode(codes[0].Code))
	if _, err := fake.WaitSent(mum.ID, 1, 10*time.Second); err != nil {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
	fake.SendText(mum, "/calendar")
	feedAddress := regexp.MustCompile(`http://` + regexp.QuoteMeta(addr) + `/calendar/[A-Za-z0-9_-]{43}\.ics`)
	var address string
	for deadline := time.Now().Add(10 * time.Second); address == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("/calendar gave no address: %+v", fake.Sent(mum.ID))
		}
		for _, m := range fake.Sent(mum.ID) {
			address += feedAddress.FindString(m.Text)
		}
	}

	resp, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("the feed: %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	lessons := 0
	for _, e := range cal.Events() {
		if start := e.Props.Get(ical.PropDateTimeStart); start.Params.Get(ical.PropTimezoneID) == "Europe/Moscow" {
			lessons++
		}
	}
	if lessons < 50 {
		t.Errorf("the feed has %d events in the school's zone", lessons)
	}

	if _, err := pool.Exec(context.Background(), `UPDATE account_links SET revoked_at = now(), revoked_by = 'school'`); err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the feed of a revoked link: %s, want 404", resp.Status)
	}
}

// PUBLIC_URL is an https address (http only for this machine) with no query,
// and needs HTTP_ADDR, which serves the feeds.
func TestPublicURLSetting(t *testing.T) {
	for value, problem := range map[string]string{
		"https://dnevnik.school.example":  "",
		"http://127.0.0.1:8080":           "",
		"http://localhost:8080/dnevnik":   "",
		"http://dnevnik.school.example":   "must start with https://",
		"https://dnevnik.example/?x=1":    "no ?query",
		"dnevnik.school.example/calendar": "must start with https:// or http://",
	} {
		cfg, errs := loadConfig(envFrom(map[string]string{"PUBLIC_URL": value, "HTTP_ADDR": ":8080"}), needPublic|needHTTP)
		switch {
		case problem == "" && (len(errs) != 0 || cfg.PublicURL != value):
			t.Errorf("%s: %q, %v", value, cfg.PublicURL, errs)
		case problem != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), problem)):
			t.Errorf("%s: %v, want %q", value, errs, problem)
		}
	}
	_, errs := loadConfig(envFrom(map[string]string{"PUBLIC_URL": "https://dnevnik.school.example"}), needPublic|needHTTP)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "HTTP_ADDR is required with PUBLIC_URL") {
		t.Errorf("PUBLIC_URL without HTTP_ADDR: %v", errs)
	}
}
