package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/webapp"
)

// The terminal demo prints a local address whose page opens the Mini App as
// the demo's parent and as its teacher, initData signed in the address as
// Telegram would: the parent sees Дарья and Максим, the teacher her classes.
func TestDemoWebApp(t *testing.T) {
	typing, out, stderr, exited := startTerminalDemo(t)
	defer func() {
		typing.Close() // the end of the input ends the demo
		if status := <-exited; status != exitOK {
			t.Errorf("exit %d\n%s", status, stderr)
		}
	}()
	page := out.await(t, regexp.MustCompile(`без Telegram: (http://127\.0\.0\.1:\d+/demo/)`), exited, stderr)

	get := func(address, initData string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, address, nil)
		if initData != "" {
			req.Header.Set(webapp.InitDataHeader, initData)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s\n%s", address, resp.Status, body)
		}
		return string(body)
	}
	links := get(page, "")
	base, _ := url.Parse(page)
	for who, want := range map[string][]string{"parent": {"Дарья", "Максим"}, "teacher": {"7А Математика", "7Б Математика"}} {
		m := regexp.MustCompile(`id="` + who + `" href="([^"]+)"`).FindStringSubmatch(links)
		if m == nil {
			t.Fatalf("no %s link:\n%s", who, links)
		}
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		app, _ := base.Parse(href)
		fragment, _ := url.ParseQuery(app.EscapedFragment()) // as app.js reads location.hash
		if app.Path != webapp.Path || fragment.Get("tgWebAppData") == "" {
			t.Fatalf("the %s link opens %q", who, href)
		}
		home := get(base.ResolveReference(&url.URL{Path: webapp.Path + "home"}).String(), fragment.Get("tgWebAppData"))
		for _, w := range want {
			if !strings.Contains(home, w) {
				t.Errorf("the %s's first screen lacks %q:\n%s", who, w, home)
			}
		}
	}
}
