package bot_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

const token = "123456:TEST-token-for-the-fake-api-0123"

// thursday is the pinned "now": 10:00 in Moscow on Thursday 26 November 2026.
// Tomorrow, in the demo school, has a substitute and a cancelled lesson.
var thursday = time.Date(2026, 11, 26, 10, 0, 0, 0, mustZone("Europe/Moscow"))

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// world is the demo school in a fresh database, the bot polling a fake Telegram.
type world struct {
	t      *testing.T
	db     *pgxpool.Pool
	store  *diary.Store
	fake   *bottest.Server
	bot    *bot.Bot
	school demo.School
	now    time.Time
	stop   func() // stops the bot and waits for it

	linkReads linkReads     // the statements that read account links: the access rule's
	handled   atomic.Int64  // updates the bot has finished with
	failed    atomic.Int64  // of which ended in an error (a bug, or Telegram refusing us)
	handledCh chan struct{} // signalled after each; holds one pending signal
}

func newWorld(t *testing.T) *world { t.Helper(); return newWorldWith(t, nil) }

// newWorldWith is newWorld with the bot's options changed by with.
func newWorldWith(t *testing.T, with func(*bot.Options)) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	w := &world{t: t, fake: bottest.New(token), now: thursday, handledCh: make(chan struct{}, 1)}
	w.db = diarytest.Traced(t, diarytest.New(t), &w.linkReads)
	t.Cleanup(w.fake.Close)
	w.store = diary.NewStore(w.db)
	w.store.SetClock(func() time.Time { return w.now })
	w.school = diarytest.SeedDemo(t, w.db, diary.Date(thursday, thursday.Location()))
	opts := bot.Options{Token: token, APIURL: w.fake.URL(), PollTimeout: 2 * time.Second,
		Logger: diarytest.Logger(t, w.db, token), CalendarURL: calendarURL,
		AfterUpdate: func(_ string, _ time.Duration, err error) {
			if err != nil {
				w.failed.Add(1)
				t.Logf("update failed: %v", err)
			}
			w.handled.Add(1)
			select {
			case w.handledCh <- struct{}{}:
			default:
			}
		}}
	if with != nil {
		with(&opts)
	}
	var err error
	w.bot, err = bot.New(ctx, w.store, opts)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.bot.Poll(runCtx) }()
	w.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("poll: %v", err)
		}
	}
	t.Cleanup(func() {
		if runCtx.Err() == nil {
			w.stop()
		}
	})
	return w
}

// code issues a fresh guardian code for one of the demo pupils.
func (w *world) code(pupil string) string {
	w.t.Helper()
	class := demo.Class7A
	if pupil == demo.Maxim {
		class = demo.Class7B
	}
	codes, err := w.store.IssueClassCodes(context.Background(), class, diary.RoleGuardian, 24*time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range codes {
		if int64(c.Person.ID) == w.school.Pupils[pupil] {
			return diary.FormatCode(c.Code)
		}
	}
	w.t.Fatalf("no code for %s", pupil)
	return ""
}

// person is someone chatting with the bot.
type person struct {
	w    *world
	user bottest.User
}

func (w *world) person(id int64, name, lang string) *person {
	return &person{w: w, user: bottest.User{ID: id, FirstName: name, LanguageCode: lang}}
}

// say types text and returns the messages the bot sends in answer.
func (p *person) say(text string) []bottest.Message {
	p.w.t.Helper()
	before, n := len(p.w.fake.Sent(p.user.ID)), p.w.handled.Load()
	p.w.fake.SendText(p.user, text)
	p.w.waitHandled(n + 1)
	return p.w.fake.Sent(p.user.ID)[before:]
}

// waitHandled waits until the bot has finished with n updates in all.
func (w *world) waitHandled(n int64) {
	w.t.Helper()
	deadline := time.After(5 * time.Second)
	for w.handled.Load() < n {
		select {
		case <-w.handledCh:
		case <-deadline:
			w.t.Fatalf("the bot did not finish update %d in 5 s", n)
		}
	}
}

// press presses a button of a message by its label and returns the message as
// it is afterwards, with any new messages.
func (p *person) press(msg bottest.Message, label string) (bottest.Message, []bottest.Message) {
	p.w.t.Helper()
	btn, ok := msg.Button(label)
	if !ok {
		p.w.t.Fatalf("no button %q in %s", label, buttons(msg))
	}
	return p.pressData(msg, btn.CallbackData)
}

func (p *person) pressData(msg bottest.Message, data string) (bottest.Message, []bottest.Message) {
	p.w.t.Helper()
	before, n := len(p.w.fake.Sent(p.user.ID)), p.w.handled.Load()
	if _, err := p.w.fake.PressButton(p.user, msg, data); err != nil {
		p.w.t.Fatal(err)
	}
	p.w.waitHandled(n + 1)
	sent := p.w.fake.Sent(p.user.ID)
	for _, m := range sent {
		if m.ID == msg.ID {
			msg = m
		}
	}
	return msg, sent[before:]
}

// lastNotice is the text of the last answer to a button press.
func (w *world) lastNotice() string {
	calls := w.fake.Calls("answerCallbackQuery")
	if len(calls) == 0 {
		return ""
	}
	return calls[len(calls)-1].Params["text"]
}

// buttons lists a message's buttons as a person sees them.
func buttons(m bottest.Message) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	var rows []string
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		var labels []string
		for _, b := range row {
			labels = append(labels, "["+b.Text+"]")
		}
		rows = append(rows, strings.Join(labels, " "))
	}
	return strings.Join(rows, "\n")
}

// transcript records a conversation for a golden file.
type transcript struct{ strings.Builder }

var codeLike = regexp.MustCompile(`\b[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}\b`)

func (tr *transcript) add(said string, answers ...bottest.Message) {
	fmt.Fprintf(tr, "> %s\n", codeLike.ReplaceAllString(said, "CODE"))
	for _, m := range answers {
		tr.WriteString(codeLike.ReplaceAllString(m.Text, "CODE"))
		tr.WriteString("\n")
		if b := buttons(m); b != "" {
			tr.WriteString(b + "\n")
		}
		tr.WriteString("\n")
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", path, diffLines(string(want), got))
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, a, b)
		}
	}
	return ""
}
