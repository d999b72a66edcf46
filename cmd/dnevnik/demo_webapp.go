package main

import (
	"context"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/webapp"
)

// The demo serves the Mini App on a local address, with a page at /demo/
// that opens it as the demo's parent or teacher would from Telegram: the
// address carries initData signed with the fake bot's token
// (#tgWebAppData=, as Telegram opens an app). Only the demo signs initData
// for anyone: bot and serve never serve this page.

// Telegram users of the demo's browser side: the father of Дарья and Максим,
// and Мария Ивановна; apart from the terminal's Ольга, so the page works
// before she links.
var (
	demoAppParent  = webapp.User{ID: 100600, FirstName: "Сергей"}
	demoAppTeacher = webapp.User{ID: 100700, FirstName: "Мария"}
)

// serveDemoApp links the browser's parent and teacher with codes of their
// own, serves the app and the signing page on addr until ctx ends, and
// returns the page's address.
func serveDemoApp(ctx context.Context, g *errgroup.Group, e *env, store *diary.Store, addr, lang string) (string, error) {
	if err := linkDemoApp(ctx, store, lang); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on --app-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(webapp.Path, webapp.New(store, webapp.Options{Token: fakeToken, Log: e.log}))
	mux.HandleFunc("GET /demo/{$}", func(w http.ResponseWriter, r *http.Request) {
		p := locales.For(lang)
		open := func(u webapp.User) template.URL {
			u.LanguageCode = lang
			return template.URL(webapp.Path + "#tgWebAppData=" + url.QueryEscape(webapp.Sign(u, fakeToken, time.Now())))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store") // signed anew each time
		err := demoAppPage.Execute(w, map[string]any{"Title": p.T("webapp_family_demo_title"),
			"Parent": open(demoAppParent), "Teacher": open(demoAppTeacher),
			"ParentLabel": p.T("webapp_family_demo_parent"), "TeacherLabel": p.T("webapp_family_demo_teacher")})
		if err != nil {
			e.log.Error("demo app page", "err", err)
		}
	})
	g.Go(func() error { return serveOn(ctx, e, "--app-addr", ln, mux) })
	return "http://" + ln.Addr().String() + "/demo/", nil
}

// linkDemoApp links the browser's parent to Дарья and Максим and the
// browser's teacher to Мария Ивановна, with fresh codes as people do.
func linkDemoApp(ctx context.Context, store *diary.Store, lang string) error {
	var codes []diary.IssuedCode
	for _, class := range []string{demo.Class7A, demo.Class7B} {
		issued, err := store.IssueClassCodes(ctx, class, diary.RoleGuardian, demoCodeTTL)
		if err != nil {
			return fmt.Errorf("issue codes for class %s: %w", class, err)
		}
		codes = append(codes, issued...)
	}
	teacher, err := demoTeacherCode(ctx, store)
	if err != nil {
		return err
	}
	redeem := func(u webapp.User, code string) (diary.AccountID, error) {
		v, err := store.Visit(ctx, u.ID, u.ID, lang, false)
		if err != nil {
			return 0, fmt.Errorf("the demo app's account %d: %w", u.ID, err)
		}
		if _, err := store.Redeem(ctx, v.Account.ID, u.ID, code); err != nil {
			return 0, fmt.Errorf("link the demo app's account %d: %w", u.ID, err)
		}
		return v.Account.ID, nil
	}
	for _, c := range codes {
		if c.PersonSourceID == demo.Dasha || c.PersonSourceID == demo.Maxim {
			if _, err := redeem(demoAppParent, c.Code); err != nil {
				return err
			}
		}
	}
	account, err := redeem(demoAppTeacher, teacher)
	if err != nil {
		return err
	}
	return store.SetActingAs(ctx, account, diary.ActingTeacher) // as the bot does after a teacher's code
}

var demoAppPage = template.Must(template.New("demo").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:24px}a{display:block;margin:12px 0;font-size:20px}</style>
</head><body><h1>{{.Title}}</h1>
<a id="parent" href="{{.Parent}}">{{.ParentLabel}}</a>
<a id="teacher" href="{{.Teacher}}">{{.TeacherLabel}}</a>
</body></html>
`))
