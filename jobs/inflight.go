package jobs

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"
)

// inFlight bounds the sends under way in one process: as many as keep the
// rate going over the round trip Telegram takes now, and no more (Little's
// law: sends in flight = rate × time each takes). A fixed number would be
// either too few for a fast rate over a slow network (20 sends of 100 ms make
// 200 a second, not the 1000 paid broadcasts may go at) or far too many at 25
// a second: every send waiting for its slot holds a claimed message, which a
// killed worker leaves uncertain.
//
// The time a send takes is measured (claim, call, record; not the wait for
// its slot, which the bound itself makes longer) and smoothed; the bound
// follows it with headroom for the ups and downs of the network.
type inFlight struct {
	rate float64 // sends a second; 0 or less: no limit but most
	most int     // never more than this: the worker's task goroutines

	mu      sync.Mutex
	n       int           // sends under way
	took    time.Duration // a send's time, smoothed
	waiting list.List     // of chan struct{}, closed when its turn comes, oldest first
}

const (
	// firstSendTime is what a send is assumed to take before one is measured:
	// Telegram's usual round trip.
	firstSendTime = 100 * time.Millisecond
	// headroom is how many times the rate × the time a send takes may be in
	// flight, and spare how many more: a round trip slower than the average
	// must not slow the rate down.
	headroom = 1.5
	spare    = 2
	// smoothing is the weight of each new measurement in the average.
	smoothing = 0.05
)

func newInFlight(rate float64, most int) *inFlight {
	return &inFlight{rate: rate, most: max(most, 1), took: firstSendTime}
}

// bound is how many sends may be under way now. Call it with mu held.
func (f *inFlight) bound() int {
	if f.rate <= 0 {
		return f.most
	}
	return min(f.most, int(math.Round(f.rate*f.took.Seconds()*headroom))+spare)
}

// acquire waits until one more send may start, or ctx ends. Sends start in
// the order they asked.
func (f *inFlight) acquire(ctx context.Context) error {
	f.mu.Lock()
	if f.waiting.Len() == 0 && f.n < f.bound() {
		f.n++
		f.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	e := f.waiting.PushBack(turn)
	f.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		defer f.mu.Unlock()
		select {
		case <-turn: // given its turn meanwhile: pass it on
			f.n--
			f.admit()
		default:
			f.waiting.Remove(e)
		}
		return ctx.Err()
	}
}

// release ends a send that took took (0: not measured) and lets the next start.
func (f *inFlight) release(took time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n--
	if took > 0 {
		f.took += time.Duration(smoothing * float64(took-f.took))
	}
	f.admit()
}

// admit lets waiting sends start while the bound allows. Call it with mu held.
func (f *inFlight) admit() {
	for f.waiting.Len() > 0 && f.n < f.bound() {
		f.n++
		close(f.waiting.Remove(f.waiting.Front()).(chan struct{}))
	}
}
