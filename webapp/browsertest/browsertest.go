// Package browsertest drives a headless Chromium over the DevTools protocol
// (chromedp) for the web app's tests and the README's screenshots: one
// browser per test package or command, a tab per test at a phone's size, and
// no host reachable but the loopback, as on a machine without internet, so
// telegram-web-app.js never loads and the app must work without it.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The phone a page is shown on: a common Android's viewport, at its density.
const (
	PhoneWidth  = 412
	PhoneHeight = 915
	PhoneScale  = 2
)

// StepTimeout bounds each step of a page (opening, waiting, clicking): a
// screen that never comes fails the test in seconds, not at go test's timeout.
const StepTimeout = 10 * time.Second

// Telegram's default day and night themes, as it passes them to a Mini App
// (tgWebAppThemeParams).
const (
	LightTheme = `{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#999999","link_color":"#2481cc",` +
		`"button_color":"#2481cc","button_text_color":"#ffffff","secondary_bg_color":"#efeff3"}`
	DarkTheme = `{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#708499","link_color":"#6ab3f3",` +
		`"button_color":"#5288c1","button_text_color":"#ffffff","secondary_bg_color":"#232e3c"}`
)

// TelegramURL is the address Telegram opens a Mini App's page at: initData
// and the theme after #, where the app's script reads them when
// telegram-web-app.js cannot load.
func TelegramURL(page, initData, theme string) string {
	return page + "#tgWebAppData=" + url.QueryEscape(initData) + "&tgWebAppThemeParams=" + url.QueryEscape(theme)
}

// Browser is one headless Chromium with its own throwaway profile.
type Browser struct {
	ctx    context.Context // the browser's first tab: pages are new tabs of it
	cancel context.CancelFunc
}

// Start starts Chromium headless, in a temporary profile that Close removes,
// without its sandbox when running as root (Chromium refuses to start
// otherwise), with every host name but the loopback's unresolvable.
func Start() (*Browser, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, errors.New("chromium is missing: run the tests with make test, or devenv --tools chromium, or apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(PhoneWidth, PhoneHeight),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, cancel: func() { cancelCtx(); cancelAlloc() }}
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout, or it would end it
		b.Close()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() { b.cancel() }

var shared struct {
	sync.Mutex
	b *Browser
}

// Shared is the test package's browser, started by the first test that asks
// (a package whose tests need none starts none); Main stops it. A missing
// chromium fails the test, saying how to install it.
func Shared(t testing.TB) *Browser {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if shared.b == nil {
		b, err := Start()
		if err != nil {
			t.Fatal(err)
		}
		shared.b = b
	}
	return shared.b
}

// Main runs a test package's tests and then stops its shared browser: call
// it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	shared.Lock()
	if shared.b != nil {
		shared.b.Close()
	}
	shared.Unlock()
	os.Exit(code)
}

// Failer is what a page reports a failed step to: a *testing.T, or a
// command's stand-in.
type Failer interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Page is a tab at a phone's size. Each method waits for what it needs up
// to StepTimeout and reports a failure to its Failer.
type Page struct {
	f      Failer
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	requested []string       // every URL the tab asked for, in order
	statuses  map[string]int // the last status of each URL answered
}

// Page opens a tab, closed when the test ends.
func (b *Browser) Page(t testing.TB) *Page {
	t.Helper()
	p := b.NewPage(t)
	t.Cleanup(p.Close)
	return p
}

// NewPage opens a tab that the caller closes.
func (b *Browser) NewPage(f Failer) *Page {
	f.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	p := &Page{f: f, ctx: ctx, cancel: cancel, statuses: map[string]int{}}
	if err := chromedp.Do(ctx); err != nil { // opens the tab, for as long as ctx lives
		cancel()
		f.Fatalf("open a tab: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			p.requested = append(p.requested, ev.Request.URL)
		case *network.EventResponseReceived:
			p.statuses[ev.Response.URL] = int(ev.Response.Status)
		}
	})
	if err == nil {
		err = p.run(chromedp.EmulateViewport(PhoneWidth, PhoneHeight, chromedp.EmulateScale(PhoneScale)))
	}
	if err != nil {
		cancel()
		f.Fatalf("set up a tab: %v", err)
	}
	return p
}

// Close closes the tab.
func (p *Page) Close() { p.cancel() }

// run runs steps within StepTimeout.
func (p *Page) run(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// value runs one action that returns a value within StepTimeout.
func value[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.f.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.f.Fatalf("%s: %v", what, err)
	}
	return v
}

// Open loads address in the tab.
func (p *Page) Open(address string) {
	p.f.Helper()
	if err := p.run(chromedp.Navigate(address)); err != nil {
		p.f.Fatalf("open %s: %v", address, err)
	}
}

// Reload loads the tab's page again, as a person reopening the app.
func (p *Page) Reload() {
	p.f.Helper()
	if err := p.run(chromedp.Reload()); err != nil {
		p.f.Fatalf("reload: %v", err)
	}
}

// WaitFor waits until an element that css selects is shown.
func (p *Page) WaitFor(css string) {
	p.f.Helper()
	if err := p.run(chromedp.WaitVisible(chromedp.CSS(css))); err != nil {
		p.f.Fatalf("wait for %s: %v", css, err)
	}
}

// WaitUntil waits until a JavaScript expression in the page is true: a
// screen's answer shown, say.
func (p *Page) WaitUntil(expression string) {
	p.f.Helper()
	value(p, "wait until "+expression, chromedp.Poll[bool](expression))
}

// Click waits for the element css selects and clicks it.
func (p *Page) Click(css string) {
	p.f.Helper()
	if err := p.run(chromedp.Click(chromedp.CSS(css))); err != nil {
		p.f.Fatalf("click %s: %v", css, err)
	}
}

// Text is the text a person sees in the element css selects, once shown.
func (p *Page) Text(css string) string {
	p.f.Helper()
	return value(p, "the text of "+css, chromedp.Text(chromedp.CSS(css)))
}

// Attr is the element's attribute name ("" when it has none).
func (p *Page) Attr(css, name string) string {
	p.f.Helper()
	return value(p, "attribute "+name+" of "+css, chromedp.AttributeValue(chromedp.CSS(css), name)).Value
}

// Eval is the value of a JavaScript expression in the page, as JSON decodes
// it into T.
func Eval[T any](p *Page, expression string) T {
	p.f.Helper()
	return value(p, expression, chromedp.Evaluate[T](expression))
}

// Count is how many elements css selects now (no waiting).
func (p *Page) Count(css string) int {
	p.f.Helper()
	return Eval[int](p, fmt.Sprintf("document.querySelectorAll(%q).length", css))
}

// Status waits for the answer to the request whose address ends with suffix
// (a path and its query) and returns its HTTP status, the last one when the
// address was asked for again.
func (p *Page) Status(suffix string) int {
	p.f.Helper()
	deadline := time.Now().Add(StepTimeout)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		for u, status := range p.statuses {
			if strings.HasSuffix(u, suffix) {
				p.mu.Unlock()
				return status
			}
		}
		p.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	p.f.Fatalf("no answer to a request for …%s in %s", suffix, StepTimeout)
	return 0
}

// Requested is every address the tab asked for, in order.
func (p *Page) Requested() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requested...)
}

// Screenshot is a PNG of the whole page, as tall as its content, at the
// phone's width and density.
func (p *Page) Screenshot() []byte {
	p.f.Helper()
	return value(p, "a screenshot", chromedp.FullScreenshot(100))
}
