package bottest

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// sendEvery offers n sends to distinct chats at a fixed interval and counts the refusals.
func sendEvery(limit *rateLimit, interval time.Duration, n int) int {
	start := time.Unix(1_700_000_000, 0)
	refused := 0
	for i := range n {
		if limit.allow(int64(i), start.Add(time.Duration(i)*interval)) != nil {
			refused++
		}
	}
	return refused
}

func TestRateLimitIsASlidingWindow(t *testing.T) {
	// At 95% of 30/s for ten seconds: never refused.
	if refused := sendEvery(&rateLimit{overall: 30}, time.Second/(30*95/100), 285); refused != 0 {
		t.Errorf("paced below the limit: %d refused", refused)
	}
	// At 31/s every second holds one send too many.
	if refused := sendEvery(&rateLimit{overall: 30}, time.Second/31, 310); refused == 0 {
		t.Error("over the limit: nothing refused")
	}
	// A burst of 30 fills the window; the 31st waits for the first to leave it.
	burst := &rateLimit{overall: 30}
	if refused := sendEvery(burst, 0, 30); refused != 0 {
		t.Errorf("burst of 30: %d refused", refused)
	}
	err := burst.allow(99, time.Unix(1_700_000_000, 0).Add(400*time.Millisecond))
	var refusal *apiError
	if !errors.As(err, &refusal) || refusal.status != http.StatusTooManyRequests || refusal.retryAfter != 1 {
		t.Errorf("31st send: %v", err)
	}
	if err := burst.allow(99, time.Unix(1_700_000_001, 0)); err != nil {
		t.Errorf("a second after the burst: %v", err)
	}
}

func TestRateLimitPerChat(t *testing.T) {
	limit := &rateLimit{perChat: 1}
	start := time.Unix(1_700_000_000, 0)
	if err := limit.allow(7, start); err != nil {
		t.Fatal(err)
	}
	if limit.allow(7, start.Add(999*time.Millisecond)) == nil {
		t.Error("second send within a second")
	}
	if err := limit.allow(8, start.Add(time.Millisecond)); err != nil {
		t.Errorf("another chat: %v", err)
	}
	if err := limit.allow(7, start.Add(time.Second)); err != nil {
		t.Errorf("a second later: %v", err)
	}
}

// The chaos draws its share of each fault, the same for the same seed, and
// throttles everything inside a burst.
func TestChaosDrawsItsShares(t *testing.T) {
	draw := func() ChaosCount {
		c := &chaos{cfg: Chaos{ServerErrors: 0.10, Timeouts: 0.06}, rng: seeded(3), start: time.Now()}
		for range 10_000 {
			c.draw(c.start)
		}
		return c.count
	}
	got := draw()
	if got.ServerErrors < 900 || got.ServerErrors > 1100 || got.LostAnswers < 200 || got.LostAnswers > 400 ||
		got.Unanswered < 200 || got.Unanswered > 400 || got.Throttled != 0 {
		t.Errorf("10,000 draws: %+v; want about 1,000 errors and 300 of each timeout", got)
	}
	if again := draw(); again != got {
		t.Errorf("the same seed drew %+v, then %+v", got, again)
	}
	burst := &chaos{cfg: Chaos{BurstEvery: 5 * time.Second, BurstLength: time.Second}, rng: seeded(1), start: time.Unix(0, 0)}
	for at, throttled := range map[time.Duration]bool{0: true, 900 * time.Millisecond: true, 2 * time.Second: false, 5200 * time.Millisecond: true} {
		f, ok := burst.draw(time.Unix(0, 0).Add(at))
		if (ok && f.Status == http.StatusTooManyRequests) != throttled {
			t.Errorf("at %v: %+v, %v; throttled %v", at, f, ok, throttled)
		}
	}
}
