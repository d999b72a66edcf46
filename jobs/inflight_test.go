package jobs

import (
	"context"
	"testing"
	"time"
)

// At 1000 messages a second over Telegram's 100 ms, about 150 sends are
// under way at once; at 30 a second, 7; a slower network widens the bound.
func TestSendsInFlightFollowRateAndRoundTrip(t *testing.T) {
	for _, c := range []struct {
		rate      float64
		roundTrip time.Duration
		want      int
	}{
		{1000, 100 * time.Millisecond, 152},
		{30, 100 * time.Millisecond, 7},
		{30, time.Second, 47},
		{-1, 100 * time.Millisecond, minConcurrency}, // no limit: as many as the worker runs
	} {
		f := newInFlight(c.rate, concurrency(c.rate))
		for range 500 { // the smoothed time settles on the round trip
			if err := f.acquire(context.Background()); err != nil {
				t.Fatal(err)
			}
			f.release(c.roundTrip)
		}
		if got := f.bound(); got != c.want {
			t.Errorf("rate %v, round trip %v: %d in flight, want %d", c.rate, c.roundTrip, got, c.want)
		}
	}
}

// Beyond the bound sends wait their turn, first come first served; one that
// gives up waiting takes no turn from the others.
func TestSendsBeyondTheBoundWaitInOrder(t *testing.T) {
	f := newInFlight(10, concurrency(10))
	f.took = 100 * time.Millisecond // bound: 10 × 0.1 × 1.5, rounded, + 2 = 4
	ctx := context.Background()
	for range f.bound() {
		if err := f.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	gaveUp, cancel := context.WithCancel(ctx)
	started := make(chan int, 3)
	wait := func(n int, ctx context.Context) {
		if f.acquire(ctx) == nil {
			started <- n
		}
	}
	go wait(1, ctx)
	waitFor(t, f, 1)
	go wait(2, gaveUp)
	waitFor(t, f, 2)
	go wait(3, ctx)
	waitFor(t, f, 3)
	cancel()
	waitFor(t, f, 2)

	f.release(0)
	if n := <-started; n != 1 {
		t.Errorf("send %d started first", n)
	}
	f.release(0)
	if n := <-started; n != 3 {
		t.Errorf("send %d started second", n)
	}
	select {
	case n := <-started:
		t.Errorf("send %d started beyond the bound", n)
	case <-time.After(50 * time.Millisecond):
	}
}

// waitFor waits until n sends wait for their turn.
func waitFor(t *testing.T, f *inFlight, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.mu.Lock()
		waiting := f.waiting.Len()
		f.mu.Unlock()
		if waiting == n {
			return
		}
	}
	t.Fatalf("never %d waiting", n)
}
