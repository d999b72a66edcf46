// Command screenshots takes the README's pictures of the web app: the demo
// school seeded into the empty database DATABASE_URL names, served by the
// real server, opened in headless Chromium at a phone's size as Telegram
// opens it (signed initData, the theme), light and dark:
//
//	make screenshots   # devenv --postgres --tools chromium -- go run ./cmd/screenshots --out docs
//
// The family's week is a mother's first screen (she has one child); the
// teacher's journal is the first class on the teacher's.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/migrations"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/webapp"
	"github.com/dnevnik/dnevnik/webapp/browsertest"
)

// The pictures show one fixed evening, so a new run changes them only when
// the app does: Wednesday 25 November 2026, 20:00 in Moscow.
var evening = time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)

// token signs the pictures' initData; the server checks it as any bot's.
const token = "100000001:screenshots"

// themes are Telegram's day and night, with the suffix of their file.
var themes = []struct{ suffix, params string }{{"", browsertest.LightTheme}, {"-dark", browsertest.DarkTheme}}

func main() {
	out := flag.String("out", "docs", "the folder the PNGs go to")
	flag.Parse()
	if err := run(context.Background(), *out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string) (err error) {
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		return errors.New("DATABASE_URL is not set (make screenshots starts a throwaway PostgreSQL)")
	}
	if err := migrate(ctx, dbURL); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer pool.Close()
	if _, err := demo.Seed(ctx, pool, diary.Date(evening, time.UTC)); err != nil {
		return err
	}
	store := diary.NewStore(pool)
	store.SetClock(func() time.Time { return evening })
	mother, err := link(ctx, store, 1, demo.Class7A, diary.RoleGuardian, demo.Dasha)
	if err != nil {
		return err
	}
	teacher, err := link(ctx, store, 2, "", diary.RoleTeacher, demo.TeacherMat)
	if err != nil {
		return err
	}
	srv := httptest.NewServer(webapp.New(store, webapp.Options{Token: token, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return evening }}))
	defer srv.Close()

	b, err := browsertest.Start()
	if err != nil {
		return err
	}
	defer b.Close()
	// A failed step of a page ends the run through its Failer: recovered
	// here, so the deferred closes still run.
	defer func() {
		switch r := recover().(type) {
		case nil:
		case failed:
			err = r.error
		default:
			panic(r)
		}
	}()
	for _, shot := range []struct {
		user               webapp.User
		link, screen, name string
	}{
		{mother, "", "table.week", "webapp-week"}, // one child: her week is the first screen
		{teacher, `a[data-get^='journal']`, "table.journal", "webapp-journal"},
	} {
		for _, theme := range themes {
			file := filepath.Join(out, shot.name+theme.suffix+".png")
			if err := capture(b, srv.URL, shot.user, theme.params, shot.link, shot.screen, file); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrate brings the empty database up to the schema.
func migrate(ctx context.Context, dbURL string) error {
	db, provider, err := migrations.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// link makes the Telegram user's account and links it the way a person
// does, with the code the school issues (a teacher's, or the class's for a
// guardian); a teacher's account then acts as one, as the bot sets it.
func link(ctx context.Context, store *diary.Store, telegramUserID int64, class string, role diary.Role, sourcedID string) (webapp.User, error) {
	user := webapp.User{ID: telegramUserID, LanguageCode: "ru"}
	visit, err := store.Visit(ctx, user.ID, user.ID, user.LanguageCode, false)
	if err != nil {
		return user, err
	}
	var codes []diary.IssuedCode
	if role == diary.RoleTeacher {
		codes, err = store.IssueTeacherCodes(ctx, demo.SchoolSourcedID, time.Hour)
	} else {
		codes, err = store.IssueClassCodes(ctx, class, role, time.Hour)
	}
	if err != nil {
		return user, err
	}
	for _, c := range codes {
		if c.PersonSourceID != sourcedID {
			continue
		}
		if _, err := store.Redeem(ctx, visit.Account.ID, user.ID, c.Code); err != nil {
			return user, fmt.Errorf("redeem the code of %s: %w", sourcedID, err)
		}
		if role == diary.RoleTeacher {
			return user, store.SetActingAs(ctx, visit.Account.ID, diary.ActingTeacher)
		}
		return user, nil
	}
	return user, fmt.Errorf("no code issued for %s", sourcedID)
}

// capture opens the app as the user in the theme, follows the first
// screen's link if one is named, waits for the screen and saves it as a PNG.
func capture(b *browsertest.Browser, server string, user webapp.User, theme, link, screen, file string) error {
	p := b.NewPage(failer{})
	defer p.Close()
	p.Open(browsertest.TelegramURL(server+webapp.Path, webapp.Sign(user, token, evening), theme))
	if link != "" {
		p.WaitFor("main#app " + link)
		p.Click("main#app " + link)
	}
	p.WaitFor("main#app " + screen)
	if err := os.WriteFile(file, p.Screenshot(), 0o644); err != nil {
		return err
	}
	fmt.Println(file)
	return nil
}

// failed is a page's failed step, carried to run by a panic.
type failed struct{ error }

// failer ends the run at a page's failed step, as t.Fatalf ends a test.
type failer struct{}

func (failer) Helper() {}

func (failer) Fatalf(format string, args ...any) { panic(failed{fmt.Errorf(format, args...)}) }
