package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// The demo seeds an empty database and chats in the terminal: the parent links
// Дарья with the code from the introduction, asks for today and presses a
// button under the answer; the end of the input ends the demo.
func TestDemoChat(t *testing.T) {
	typing, out, stderr, exited := startTerminalDemo(t)
	code := out.await(t, regexp.MustCompile(`Дарья Алёшина, 7А: (\S+)`), exited, stderr)
	fmt.Fprintf(typing, "/start %s\n/today\n1\n", code)
	typing.Close()
	select {
	case status := <-exited:
		if status != exitOK {
			t.Fatalf("exit %d\n%s\n%s", status, out, stderr)
		}
	case <-time.After(time.Minute):
		t.Fatalf("the demo did not end with its input:\n%s", out)
	}
	inOrder(t, out.String(),
		"> /start "+code, "дневник ученика Дарья Алёшина подключён",
		"> /today", "📅", "[1] ◀",
		"> 1", "» ◀", "✏️ (изменено)", "📅")
}

// startTerminalDemo runs the demo on an empty database, chatting in the
// terminal, on a free port for its Mini App: typing is its input (closing it
// ends the demo), out and stderr what it prints, exited its exit status.
func startTerminalDemo(t *testing.T) (typing *io.PipeWriter, out *watchedOutput, stderr *bytes.Buffer, exited chan int) {
	env := map[string]string{"DATABASE_URL": diarytest.NewEmptyURL(t)}
	typed, typing := io.Pipe()
	demoInput = typed
	t.Cleanup(func() { demoInput = os.Stdin })
	out, stderr, exited = &watchedOutput{wrote: make(chan struct{}, 1)}, &bytes.Buffer{}, make(chan int, 1)
	go func() {
		exited <- run(context.Background(), []string{"demo", "--app-addr", "127.0.0.1:0"}, envFrom(env), out, stderr)
	}()
	return typing, out, stderr, exited
}

// With TELEGRAM_TOKEN the demo prints each parent's link to the bot and serves
// it, here on the fake, until stopped.
func TestDemoOnTelegram(t *testing.T) {
	fake := bottest.New(goodToken)
	defer fake.Close()
	env := map[string]string{"DATABASE_URL": diarytest.NewEmptyURL(t), "TELEGRAM_TOKEN": goodToken, "TELEGRAM_API_URL": fake.URL()}
	out := &watchedOutput{wrote: make(chan struct{}, 1)}
	var stderr bytes.Buffer
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"demo", "--lang", "en"}, envFrom(env), out, &stderr) }()

	link := regexp.MustCompile(`7А +Алёшина Дарья Сергеевна +\S+ +https://t\.me/dnevnik_test_bot\?start=(\S+)`)
	code := out.await(t, link, exited, &stderr)
	parent := bottest.User{ID: 7, FirstName: "Olga", LanguageCode: "en"}
	fake.SendText(parent, "/start "+code)
	sent, err := fake.WaitSent(parent.ID, 1, time.Minute)
	if err != nil || !strings.Contains(sent[0].PlainText, "Дарья Алёшина's diary is linked") {
		t.Fatalf("answer to the link: %v, %v", sent, err)
	}
	stop()
	if status := <-exited; status != exitOK {
		t.Errorf("exit %d after Ctrl-C\n%s", status, &stderr)
	}
}

func TestDemoNeedsDatabase(t *testing.T) {
	code, _, stderr := dnevnik(t, nil, "demo")
	if code != exitUsage || !strings.Contains(stderr, "DATABASE_URL is not set") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestDemoRefusesASchool(t *testing.T) {
	url := diarytest.NewURL(t)
	pool, err := openPool(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	diarytest.SeedDemo(t, pool, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	code, _, stderr := dnevnik(t, map[string]string{"DATABASE_URL": url}, "demo")
	if code != exitFailure || !strings.Contains(stderr, "the database already has a school in it") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// watchedOutput is the demo's standard output, read while the demo writes it.
type watchedOutput struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{} // signalled after a write; holds one pending signal
}

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.buf.Write(p)
	w.mu.Unlock()
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return n, err
}

func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// await waits until the output matches re and returns the first group.
func (w *watchedOutput) await(t *testing.T, re *regexp.Regexp, exited <-chan int, stderr fmt.Stringer) string {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		if m := re.FindStringSubmatch(w.String()); m != nil {
			return m[1]
		}
		select {
		case <-w.wrote:
		case status := <-exited:
			t.Fatalf("exit %d before printing %s:\n%s\n%s", status, re, w, stderr)
		case <-timeout:
			t.Fatalf("no %s in:\n%s", re, w)
		}
	}
}

// inOrder checks that text holds parts one after the other.
func inOrder(t *testing.T, text string, parts ...string) {
	t.Helper()
	rest := text
	for _, part := range parts {
		i := strings.Index(rest, part)
		if i < 0 {
			t.Fatalf("no %q after what came before in:\n%s", part, text)
		}
		rest = rest[i+len(part):]
	}
}
