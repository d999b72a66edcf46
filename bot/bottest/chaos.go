package bottest

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Chaos is a bad day at Telegram for sendMessage: a share of the calls fail
// at random, and throttling comes in bursts. Faults queued with FailNext
// come first.
type Chaos struct {
	ServerErrors float64 // share answered 500
	// Timeouts is the share never answered: half of them after the message
	// was accepted (LostAnswer), half before (held until the client gives up).
	Timeouts float64
	// Every BurstEvery, for BurstLength, every send is answered 429 with
	// retry_after 1.
	BurstEvery, BurstLength time.Duration
	Seed                    uint64 // the same seed draws the same faults
}

// ChaosCount is what the chaos did: how many sends took each fault.
type ChaosCount struct {
	ServerErrors, LostAnswers, Unanswered, Throttled int
}

type chaos struct {
	mu    sync.Mutex
	cfg   Chaos
	rng   *rand.Rand
	start time.Time
	count ChaosCount
}

// SetChaos turns the chaos on for sendMessage; the zero Chaos turns it off.
func (s *Server) SetChaos(c Chaos) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c == (Chaos{}) {
		s.chaos = nil
		return
	}
	s.chaos = &chaos{cfg: c, rng: seeded(c.Seed), start: time.Now()}
}

// ChaosCount reports what the chaos has done so far.
func (s *Server) ChaosCount() ChaosCount {
	s.mu.Lock()
	c := s.chaos
	s.mu.Unlock()
	if c == nil {
		return ChaosCount{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// seeded is the chaos's random source for a seed.
func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// draw picks the fault of one send, if any.
func (c *chaos) draw(now time.Time) (Fault, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.BurstEvery > 0 && now.Sub(c.start)%c.cfg.BurstEvery < c.cfg.BurstLength {
		c.count.Throttled++
		return RetryAfter(1), true
	}
	switch x := c.rng.Float64(); {
	case x < c.cfg.ServerErrors:
		c.count.ServerErrors++
		return ServerError(), true
	case x < c.cfg.ServerErrors+c.cfg.Timeouts/2:
		c.count.LostAnswers++
		return LostAnswer(), true
	case x < c.cfg.ServerErrors+c.cfg.Timeouts:
		c.count.Unanswered++
		return Delayed(time.Hour), true
	}
	return Fault{}, false
}

// chaosFault is the chaos's fault for a call of method, if any.
func (s *Server) chaosFault(method string) (Fault, bool) {
	s.mu.Lock()
	c := s.chaos
	s.mu.Unlock()
	if c == nil || method != "sendMessage" {
		return Fault{}, false
	}
	return c.draw(time.Now())
}
