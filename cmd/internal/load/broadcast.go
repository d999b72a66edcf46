package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary/diarytest"
)

// BroadcastOptions is what `dnevnik bench broadcast` sends.
type BroadcastOptions struct {
	Chats     int   // linked guardians the announcement reaches
	FirstUser int64 // their Telegram ids from here on
	Limit     int   // the fake's messages a second in all (Telegram's 30, or 1000 paid)
	Paid      bool  // the worker runs with TELEGRAM_PAID_BROADCAST
	Latency   time.Duration
	// Stall ends the wait for the last messages when none arrives for so long.
	Stall time.Duration
	Wake  func(ctx context.Context, notices int) error // tells the worker of the notices, as a teacher's write does
	Log   io.Writer
}

// BroadcastReport is what an announcement to Chats chats got.
type BroadcastReport struct {
	Chats      int
	Delivered  int           // chats that got the announcement
	PerSec     float64       // messages a second from the first to the last
	OfLimit    float64       // PerSec as a share of Limit, in %
	Took       time.Duration // from the announcement to the last message
	Throttled  int           // sends answered 429
	Duplicates int           // messages beyond the first in a chat
	Lost       int           // chats that never got it
	// Stalled: the wait ended because no message came for Stall, not because
	// every chat had it; what is lost may only be late.
	Stalled bool
	MaxRSS  int64 // the worker's largest resident set, bytes
}

// Broadcast links o.Chats guardians through the diary's link codes (the
// Store, as /start CODE does), starts `dnevnik worker` against the fake with
// Telegram's limit and round trip, writes an urgent announcement to each of
// their schools (as the jobs benchmarks do: a teacher's /announce reaches
// one class) and counts what arrives.
func Broadcast(ctx context.Context, t Target, d District, o BroadcastOptions) (BroadcastReport, error) {
	fake := bottest.New(token)
	defer fake.Close()
	fake.SetLatency(o.Latency)
	fake.SetRateLimit(o.Limit, 1)
	marker := fmt.Sprintf("bench %d", time.Now().UnixNano())
	tally := &broadcastTally{got: map[int64]int{}, first: o.FirstUser, last: o.FirstUser + int64(o.Chats) - 1}
	fake.Observe(func(c bottest.Call) {
		if c.Method == "sendMessage" {
			tally.add(c, marker)
		}
	}, true)

	chats := users(o.FirstUser, o.Chats)
	codes, release, err := d.claim(ctx, chats, o.Log)
	if err != nil {
		return BroadcastReport{}, err
	}
	defer release()
	fmt.Fprintf(o.Log, "bench: linking %d guardians with link codes\n", o.Chats)
	if err := d.redeem(ctx, chats, codes); err != nil {
		return BroadcastReport{}, err
	}

	addr, err := freeAddr()
	if err != nil {
		return BroadcastReport{}, err
	}
	env := []string{"TELEGRAM_TOKEN=" + token, "TELEGRAM_API_URL=" + fake.URL(), "HTTP_ADDR=" + addr, "METRICS_ADDR=off"}
	if o.Paid {
		env = append(env, "TELEGRAM_PAID_BROADCAST=true")
	}
	worker, err := start(t, env, "worker")
	if err != nil {
		return BroadcastReport{}, err
	}
	defer worker.stop()
	if err := healthy(ctx, worker, addr); err != nil {
		return BroadcastReport{}, err
	}

	fmt.Fprintf(o.Log, "bench: an announcement to %d chats, %d messages/s at most\n", o.Chats, o.Limit)
	worker.rss.take()
	announced := time.Now()
	notices, err := announce(ctx, d, codes, marker)
	if err != nil {
		return BroadcastReport{}, err
	}
	if err := o.Wake(ctx, notices); err != nil {
		return BroadcastReport{}, err
	}
	stalled, err := tally.wait(ctx, worker, o.Chats, o.Stall)
	if err != nil {
		return BroadcastReport{}, err
	}
	// A moment more for a message sent twice to show.
	if err := sleepUntil(ctx, time.Now().Add(2*time.Second)); err != nil {
		return BroadcastReport{}, err
	}
	r := tally.report(announced, o.Chats, o.Limit)
	r.MaxRSS, r.Stalled = worker.rss.take(), stalled
	return r, nil
}

// healthy waits until the worker answers /healthz, for a minute at most.
func healthy(ctx context.Context, worker *process, addr string) error {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if err := worker.alive(); err != nil {
			return err
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := sleepUntil(ctx, time.Now().Add(50*time.Millisecond)); err != nil {
			return err
		}
	}
	return errors.New("dnevnik worker did not answer /healthz within a minute")
}

// announce writes an urgent announcement to the families of each school of
// the codes and returns how many notices that is.
func announce(ctx context.Context, d District, codes []code, body string) (int, error) {
	var schools []string
	for _, c := range codes {
		if !slices.Contains(schools, c.school) {
			schools = append(schools, c.school)
		}
	}
	for _, school := range schools {
		n := diarytest.Notice{Kind: "announcement", School: school, Body: body, Urgent: true, At: time.Now()}
		if _, err := diarytest.AddNotice(ctx, d.DB, n); err != nil {
			return 0, err
		}
	}
	return len(schools), nil
}

// broadcastTally counts what the run's chats receive.
type broadcastTally struct {
	mu          sync.Mutex
	first, last int64 // the run's chats
	got         map[int64]int
	throttled   int
	from, to    time.Time // the first and the last message accepted
	changed     time.Time // when the last message was accepted
}

func (b *broadcastTally) add(c bottest.Call, marker string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case c.Status == http.StatusTooManyRequests:
		b.throttled++
	case c.Status != http.StatusOK || c.Message == nil || !strings.Contains(c.Message.Text, marker):
	case c.Message.ChatID < b.first || c.Message.ChatID > b.last:
	default:
		b.got[c.Message.ChatID]++
		if b.from.IsZero() {
			b.from = c.Time
		}
		b.to = later(b.to, c.Time)
		b.changed = time.Now()
	}
}

// wait waits until every chat has the message (false), or none has come
// for stall (true).
func (b *broadcastTally) wait(ctx context.Context, worker *process, chats int, stall time.Duration) (stalled bool, err error) {
	begun := time.Now()
	for {
		b.mu.Lock()
		done, quiet := len(b.got) >= chats, time.Since(later(begun, b.changed)) > stall
		b.mu.Unlock()
		if done || quiet {
			return quiet && !done, nil
		}
		if err := worker.alive(); err != nil {
			return false, err
		}
		if err := sleepUntil(ctx, time.Now().Add(50*time.Millisecond)); err != nil {
			return false, err
		}
	}
}

func (b *broadcastTally) report(announced time.Time, chats, limit int) BroadcastReport {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := BroadcastReport{Chats: chats, Delivered: len(b.got), Throttled: b.throttled, Lost: chats - len(b.got)}
	sent := 0
	for _, n := range b.got {
		sent += n
		r.Duplicates += n - 1
	}
	if !b.to.IsZero() {
		r.Took = b.to.Sub(announced)
	}
	if span := b.to.Sub(b.from).Seconds(); sent > 1 && span > 0 {
		r.PerSec = float64(sent-1) / span
		r.OfLimit = 100 * r.PerSec / float64(limit)
	}
	return r
}

// PrintBroadcast writes the report, one line a figure.
func PrintBroadcast(w io.Writer, r BroadcastReport) error {
	_, err := fmt.Fprintf(w, "chats %d, delivered %d, lost %d, duplicates %d, 429s %d\n"+
		"%.1f messages/s (%.1f %% of the limit), %v from the announcement to the last message\nworker max RSS %s\n",
		r.Chats, r.Delivered, r.Lost, r.Duplicates, r.Throttled, r.PerSec, r.OfLimit, r.Took.Round(time.Millisecond), mb(r.MaxRSS))
	if err == nil && r.Stalled {
		_, err = fmt.Fprintln(w, "the wait ended when no message came for --stall: the lost may only be late")
	}
	return err
}
