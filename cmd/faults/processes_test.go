//go:build faults

package faults

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
)

// Three `dnevnik worker` processes on one Redis send one announcement to 300
// parents while the Bot API fake throttles above 30 messages a second and
// takes 100 ms a round trip: their default TELEGRAM_SEND_RATE (29.27 a
// second, 2.5 % under the limit) holds for the three together (no 429), each
// sends a share, and every parent gets the message exactly once.
func TestThreeWorkersKeepTheRateTogether(t *testing.T) {
	s := newScene(t, 150)
	const telegramLimit = 30
	s.fake.SetRateLimit(telegramLimit, 0)
	s.fake.SetLatency(100 * time.Millisecond)
	var metrics []string
	for i := range 3 {
		addr := freeAddr(t)
		metrics = append(metrics, addr)
		s.start(fmt.Sprintf("worker-%d", i+1), []string{"METRICS_ADDR=" + addr}, "worker")
	}
	for _, addr := range metrics { // all three serve before the announcement
		if !s.eventually(10*time.Second, func() bool { return up("http://" + addr + "/metrics") }) {
			t.Fatalf("a worker did not start:\n%s", s.log("worker-1")+s.log("worker-2")+s.log("worker-3"))
		}
	}
	const body = "Каникулы начинаются в пятницу"
	start := time.Now()
	s.announce(body)
	took := s.drain(3 * time.Minute)
	got := s.tally(body, s.chats)

	var shares []float64
	for _, addr := range metrics {
		shares = append(shares, metric(t, addr, "dnevnik_messages_sent_total"))
	}
	var sent []time.Time
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Status == http.StatusOK {
			sent = append(sent, c.Time)
		}
	}
	t.Logf("recipients %d; all sent %v after the announcement (%.1f a second; the default TELEGRAM_SEND_RATE in each of 3 workers, "+
		"Telegram's limit %d); the most in any one second %d; 429s %d; sent by each worker %v; missing %d, duplicates %d",
		len(s.chats), took.Round(100*time.Millisecond), float64(len(sent))/time.Since(start).Seconds(), telegramLimit,
		busiestSecond(sent), s.fake.Throttled(), shares, len(got.missing), got.duplicates)
	if n := s.fake.Throttled(); n > 0 {
		t.Errorf("Telegram answered 429 %d times: the workers did not keep the rate together", n)
	}
	if len(got.missing) > 0 || got.duplicates > 0 {
		t.Errorf("%d parents got nothing, %d got it twice: want each once", len(got.missing), len(got.twice))
	}
	for i, n := range shares {
		if n == 0 {
			t.Errorf("worker %d sent nothing: the three did not share the work", i+1)
		}
	}
}

// busiestSecond is the most sends in any one-second window.
func busiestSecond(times []time.Time) int {
	most := 0
	for i, j := 0, 0; j < len(times); j++ {
		for times[j].Sub(times[i]) >= time.Second {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}

// Three `dnevnik bot` processes behind one webhook address (a round-robin
// reverse proxy, as a load balancer would be): 120 parents ask /today; each
// process answers its share, and every parent is answered exactly once.
func TestThreeBotsBehindOneWebhook(t *testing.T) {
	s := newScene(t, 60)
	const webhookSecret = "faults-webhook-secret"
	var backends []*url.URL
	for range 3 {
		backends = append(backends, &url.URL{Scheme: "http", Host: freeAddr(t)})
	}
	proxy := newRoundRobin(backends)
	t.Cleanup(proxy.Close)
	for i, b := range backends {
		s.start(fmt.Sprintf("bot-%d", i+1), []string{"HTTP_ADDR=" + b.Host, "TELEGRAM_WEBHOOK_URL=" + proxy.URL + "/telegram",
			"TELEGRAM_WEBHOOK_SECRET=" + webhookSecret}, "bot")
	}
	for i, b := range backends { // all three serve before the first update
		if !s.eventually(10*time.Second, func() bool { return up(b.String() + "/healthz") }) {
			t.Fatalf("bot %d did not start:\n%s", i+1, s.log(fmt.Sprintf("bot-%d", i+1)))
		}
	}
	start := time.Now()
	for _, chat := range s.chats {
		s.fake.SendText(bottest.User{ID: chat, FirstName: "Родитель", LanguageCode: "ru"}, "/today")
	}
	if err := s.fake.WaitFor(time.Minute, func() bool { return len(s.answers()) == len(s.chats) }); err != nil {
		t.Errorf("%d of %d parents answered", len(s.answers()), len(s.chats))
	}
	took := time.Since(start)
	time.Sleep(time.Second) // a second answer to anyone would come by now
	got := s.tally("", s.chats)
	served := proxy.served()
	t.Logf("updates %d, all answered in %v; updates each bot process answered %v; missing %d, duplicates %d",
		len(s.chats), took.Round(10*time.Millisecond), served, len(got.missing), got.duplicates)
	if len(got.missing) > 0 || got.duplicates > 0 {
		t.Errorf("%d parents got no answer, %d got more than one: want one each", len(got.missing), len(got.twice))
	}
	for i, n := range served {
		if n < len(s.chats)/len(backends)/2 {
			t.Errorf("bot %d answered %d updates, not its share of %d", i+1, n, len(s.chats))
		}
	}
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Message != nil && strings.Contains(c.Message.Text, "Что-то пошло не так") {
			t.Errorf("chat %d was told of an internal error", c.Message.ChatID)
		}
	}
}

// up tells whether a GET of the URL answers 200.
func up(u string) bool {
	resp, err := http.Get(u)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// roundRobin is a reverse proxy that hands each request to the next backend
// in turn, counting the updates each answered with 2xx.
type roundRobin struct {
	*httptest.Server
	mu     sync.Mutex
	next   int
	counts []int
}

func newRoundRobin(backends []*url.URL) *roundRobin {
	rr := &roundRobin{counts: make([]int, len(backends))}
	rr.Server = httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			rr.mu.Lock()
			i := rr.next
			rr.next = (rr.next + 1) % len(backends)
			rr.mu.Unlock()
			r.SetURL(backends[i])
			r.Out.Header.Set("X-Backend", fmt.Sprint(i))
		},
		ModifyResponse: func(resp *http.Response) error {
			if resp.StatusCode/100 == 2 {
				var i int
				fmt.Sscan(resp.Request.Header.Get("X-Backend"), &i)
				rr.mu.Lock()
				rr.counts[i]++
				rr.mu.Unlock()
			}
			return nil
		},
	})
	return rr
}

// served is how many updates each backend answered.
func (rr *roundRobin) served() []int {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return append([]int(nil), rr.counts...)
}
