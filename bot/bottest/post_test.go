package bottest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dnevnik/dnevnik/bot/bottest"
)

// A load test posts updates on its own schedule; like Telegram, the fake opens
// at most max_connections posts at once, and hands back the webhook's status.
func TestPostTextKeepsToMaxConnections(t *testing.T) {
	fake := newFake(t)
	if _, _, err := fake.PostText(context.Background(), parent, "early"); !errors.Is(err, bottest.ErrNoWebhook) {
		t.Errorf("PostText without a webhook: %v", err)
	}
	var open, most atomic.Int32
	release := make(chan struct{})
	arrived := make(chan struct{}, 10)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := open.Add(1)
		defer open.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		arrived <- struct{}{}
		<-release
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(endpoint.Close)
	post(t, fake, "/bot"+token+"/setWebhook", url.Values{"url": {endpoint.URL}, "secret_token": {"s3cret"}, "max_connections": {"2"}})

	var wg sync.WaitGroup
	statuses := make(chan int, 5)
	for range 5 {
		wg.Go(func() {
			status, _, err := fake.PostText(context.Background(), parent, "/today")
			if err == nil {
				t.Error("a 503 is an error")
			}
			statuses <- status
		})
	}
	<-arrived
	<-arrived
	close(release)
	wg.Wait()
	close(statuses)
	for status := range statuses {
		if status != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", status)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("%d posts open at once, want max_connections 2", m)
	}
}

// Observe sees every call as it is answered; with forget the fake keeps none.
func TestObserveWithoutKeeping(t *testing.T) {
	fake := newFake(t)
	var seen atomic.Int32
	fake.Observe(func(c bottest.Call) {
		if c.Method == "sendMessage" && c.Message != nil && c.Message.ChatID == parent.ID {
			seen.Add(1)
		}
	}, true)
	b := newBot(t, fake)
	for range 3 {
		if err := send(context.Background(), b, parent.ID, "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if n := seen.Load(); n != 3 {
		t.Errorf("observed %d sends, want 3", n)
	}
	if calls := fake.Calls(""); len(calls) != 0 {
		t.Errorf("kept %d calls with forget", len(calls))
	}
}
