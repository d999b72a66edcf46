package webapp_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/jobs"
	"github.com/dnevnik/dnevnik/jobs/jobstest"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
	"github.com/dnevnik/dnevnik/webapp"
	"github.com/dnevnik/dnevnik/webapp/browsertest"
)

// The app in a real browser: headless Chromium (webapp/browsertest) opens the
// page as Telegram does, with initData and the theme in the address, against
// the real server on the demo school in PostgreSQL. Nothing but the loopback
// resolves, so telegram-web-app.js never loads: the app must work without it.

func TestMain(m *testing.M) { browsertest.Main(m) }

// browserApp is the demo school served as the web app, with a clock the test
// moves, for a browser to open.
type browserApp struct {
	*app
	store *diary.Store
	mu    sync.Mutex
	clock time.Time
}

func newBrowserApp(t *testing.T) *browserApp {
	t.Parallel()
	db, d := diarytest.Demo(t, today)
	b := &browserApp{store: diary.NewStore(db), clock: now}
	b.store.SetClock(b.now)
	srv := httptest.NewServer(webapp.New(b.store, webapp.Options{Token: token, Log: slog.New(slog.DiscardHandler), Now: b.now}))
	t.Cleanup(srv.Close)
	b.app = &app{t: t, srv: srv, pupils: d.Pupils,
		school: diarytest.SchoolOf[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role](t, db, demo.SchoolSourcedID)}
	return b
}

func (b *browserApp) now() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.clock
}

func (b *browserApp) wait(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clock = b.clock.Add(d)
}

// teacher links a new account to the demo teacher (a sourced id) and returns
// its Telegram user.
func (b *browserApp) teacher(sourcedID string) webapp.User {
	b.t.Helper()
	var person diary.PersonID
	if err := b.school.DB.QueryRow(b.t.Context(), `SELECT id FROM people WHERE sourced_id = $1`, sourcedID).Scan(&person); err != nil {
		b.t.Fatal(err)
	}
	account := b.school.Account()
	b.school.Link(account, person, diary.RoleTeacher)
	if err := b.store.SetActingAs(b.t.Context(), account, diary.ActingTeacher); err != nil { // as redeeming a teacher's code does
		b.t.Fatal(err)
	}
	return b.user(account)
}

// user is the Telegram user of an account, speaking Russian.
func (b *browserApp) user(account diary.AccountID) webapp.User {
	b.t.Helper()
	u := webapp.User{LanguageCode: "ru"}
	if err := b.school.DB.QueryRow(b.t.Context(), `SELECT telegram_user_id FROM accounts WHERE id = $1`, account).Scan(&u.ID); err != nil {
		b.t.Fatal(err)
	}
	return u
}

// open opens the app in a new tab as Telegram opens it: initData and the
// theme after #, and waits for the first screen.
func (b *browserApp) open(initData string, theme string) *browsertest.Page {
	b.t.Helper()
	p := browsertest.Shared(b.t).Page(b.t)
	p.Open(browsertest.TelegramURL(b.srv.URL+webapp.Path, initData, theme))
	p.Status(webapp.Path + "home")
	return p
}

// A mother opens the app in a browser without telegram-web-app.js (it cannot
// load): her only child's week is the first screen, no other child is on it,
// and the page asked no host but ours and Telegram's for its script.
func TestBrowserFamilyHome(t *testing.T) {
	a := newBrowserApp(t)
	p := a.open(webapp.Sign(a.guardian(demo.Dasha), token, now), browsertest.LightTheme)
	if status := p.Status(webapp.Path + "home"); status != http.StatusOK {
		t.Fatalf("the first screen: %d", status)
	}
	p.WaitFor("main#app table.week")
	text := p.Text("main#app")
	if !strings.Contains(text, "Дарья") || strings.Contains(text, "Максим") || strings.Contains(text, "Пётр") {
		t.Errorf("the mother's first screen: %q", text)
	}
	if browsertest.Eval[bool](p, "typeof window.Telegram !== 'undefined'") {
		t.Error("telegram-web-app.js loaded: the test no longer shows the app works without it")
	}
	for _, u := range p.Requested() {
		if !strings.HasPrefix(u, a.srv.URL+"/") && u != "https://telegram.org/js/telegram-web-app.js" {
			t.Errorf("the page asked another host: %s", u)
		}
	}
}

// initData altered in the address gets the screen's 401 and shows no data.
func TestBrowserTamperedInitData(t *testing.T) {
	a := newBrowserApp(t)
	good := webapp.Sign(a.guardian(demo.Dasha), token, now)
	p := a.open(strings.Replace(good, "auth_date=", "auth_date=1", 1), browsertest.LightTheme)
	if status := p.Status(webapp.Path + "home"); status != http.StatusUnauthorized {
		t.Errorf("the first screen with tampered initData: %d, want 401", status)
	}
	p.WaitFor("main#app")
	if text := p.Text("main#app"); strings.Contains(text, "Дарья") || strings.Contains(text, "Алёшина") {
		t.Errorf("tampered initData shows %q", text)
	}
}

// With Telegram's dark theme in the address, the page is dark: the body's
// background and text are the theme's colours, not the light defaults.
func TestBrowserDarkTheme(t *testing.T) {
	a := newBrowserApp(t)
	p := a.open(webapp.Sign(a.guardian(demo.Dasha), token, now), browsertest.DarkTheme)
	p.WaitFor("main#app table.week")
	style := browsertest.Eval[[]string](p, "(s => [s.backgroundColor, s.color])(getComputedStyle(document.body))")
	if style[0] != "rgb(23, 33, 43)" || style[1] != "rgb(245, 245, 245)" {
		t.Errorf("dark theme: background %s, text %s; want rgb(23, 33, 43) and rgb(245, 245, 245)", style[0], style[1])
	}
}

// The page speaks the person's language, as the bot does: a first visit's
// from Telegram (language_code), then the one the account keeps (the bot's
// settings).
func TestBrowserLanguages(t *testing.T) {
	a := newBrowserApp(t)
	mother := a.guardian(demo.Dasha)
	var account diary.AccountID
	if err := a.school.DB.QueryRow(t.Context(), `SELECT id FROM accounts WHERE telegram_user_id = $1`, mother.ID).Scan(&account); err != nil {
		t.Fatal(err)
	}
	for i, lang := range []string{"ru", "en"} {
		heading := map[string]string{"ru": "Дети", "en": "Children"}[lang]
		newcomer := webapp.User{ID: int64(9000 + i), LanguageCode: lang}
		if got := a.open(webapp.Sign(newcomer, token, now), browsertest.LightTheme).Text("main#app h1"); got != heading {
			t.Errorf("a first visit in %s: the heading is %q, want %q", lang, got, heading)
		}
		if err := a.store.SetLanguage(t.Context(), account, lang); err != nil {
			t.Fatal(err)
		}
		// Her only child's week: its first tab names the week in her language.
		week := map[string]string{"ru": "Неделя", "en": "Week"}[lang]
		p := a.open(webapp.Sign(mother, token, now), browsertest.LightTheme)
		p.WaitFor("main#app table.week")
		if got := p.Text("main#app nav.tabs a"); got != week || !strings.Contains(p.Text("main#app"), "Дарья") {
			t.Errorf("the mother, her language set to %s: the first tab is %q, want %q", lang, got, week)
		}
	}
}

// screen follows the link css selects and waits for the screen it asks for.
func screen(t *testing.T, p *browsertest.Page, css string) {
	t.Helper()
	p.WaitFor(css)
	path := p.Attr(css, "data-get")
	p.Click(css)
	if status := p.Status(webapp.Path + path); status != http.StatusOK {
		t.Fatalf("%s: %d", path, status)
	}
}

// The family's week: Даша's lessons in a grid, nothing of another child; ▶
// shows the next week's dates.
func TestBrowserFamilyWeek(t *testing.T) {
	a := newBrowserApp(t)
	p := a.open(webapp.Sign(a.guardian(demo.Dasha), token, now), browsertest.LightTheme)
	screen(t, p, `main#app a[data-get^="week"]`)
	p.WaitFor("table.week[data-child]")
	week := p.Text("table.week")
	// Физика is 7А's, not 7Б's (Максим's); Пётр is in Даша's class.
	if !strings.Contains(week, "Физика") || strings.Contains(week, "Максим") || strings.Contains(week, "Ёлкин") {
		t.Errorf("Даша's week:\n%s", week)
	}
	if got := p.Attr("table.week", "data-child"); got != strconv.FormatInt(a.pupils[demo.Dasha], 10) {
		t.Errorf("the week is of child %s, want Даша's %d", got, a.pupils[demo.Dasha])
	}
	p.Click("a#next-week")
	p.WaitUntil("(w => w !== null && w.innerText !== " + strconv.Quote(week) + ")(document.querySelector('table.week'))")
	if next := p.Text("table.week"); next == week {
		t.Error("▶ left the week as it was")
	}
}

// A teacher sets a grade in the class journal with two taps; after the grace
// period the worker tells the family in their chat, as a grade set with
// /marks does.
func TestBrowserJournalGrade(t *testing.T) {
	a := newBrowserApp(t)
	mother := a.guardian(demo.Dasha)
	fake := bottest.New(token)
	t.Cleanup(fake.Close)
	enqueue := startWorker(t, a.store, fake)
	p := a.open(webapp.Sign(a.teacher(demo.TeacherMat), token, now), browsertest.LightTheme)
	screen(t, p, `main#app a[data-get^="journal"]`)
	p.WaitFor("table.journal")
	cell := `table.journal td[data-pupil="` + strconv.FormatInt(a.pupils[demo.Dasha], 10) + `"][data-lesson]`
	p.Click(cell)
	p.Click(`button[data-post="journal/mark"][data-value="5"]`)
	if status := p.Status(webapp.Path + "journal/mark"); status != http.StatusOK {
		t.Fatalf("the grade's POST: %d", status)
	}
	p.WaitUntil("(c => c !== null && c.innerText.includes('5'))(document.querySelector(" + strconv.Quote(cell) + "))")

	a.wait(diary.GradeGrace + time.Minute)
	if err := enqueue.NoticesDue(context.Background()); err != nil { // as the scheduler's sweep does
		t.Fatal(err)
	}
	sent, err := fake.WaitSent(mother.ID, 1, 15*time.Second)
	if err != nil {
		t.Fatalf("the mother got no push: %v", err)
	}
	if text := sent[0].PlainText; !strings.Contains(text, "Новая оценка") || !strings.Contains(text, "5") {
		t.Errorf("the mother's push: %q", text)
	}
}

// startWorker runs the worker on the store, sending into the fake Telegram,
// and returns what enqueues its tasks.
func startWorker(t *testing.T, store *diary.Store, fake *bottest.Server) *jobs.Enqueuer {
	t.Helper()
	queue := jobstest.Asynq(t)
	rdb := redis.NewClient(&redis.Options{Addr: queue.Addr, DB: queue.DB})
	t.Cleanup(func() { rdb.Close() })
	client, err := tg.New(token, tg.WithServerURL(fake.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	ac := asynq.NewClient(queue)
	t.Cleanup(func() { ac.Close() })
	enqueue := jobs.NewEnqueuer(ac)
	log := slog.New(slog.DiscardHandler)
	sender := jobs.NewSender(client, store, rdb, jobs.SenderConfig{Rate: -1, ChatInterval: -1, Log: log})
	worker := jobs.NewWorker(store, telegram.NewCodec(token), sender, enqueue, nil, log)
	srv := asynq.NewServer(queue, worker.ServerConfig(jobstest.AsynqConfig()))
	if err := srv.Start(worker.Mux()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return enqueue
}
