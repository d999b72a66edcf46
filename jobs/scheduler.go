package jobs

import (
	"context"
	"log/slog"
	"time"
)

// Scheduler enqueues, every minute, the composing of the digests due in that
// minute, and a look for notices that are due (a grade's grace ended; a notice
// whose author's enqueue was lost). Several schedulers may run (one per serve process): task ids make the
// minute's task one task. Each tick also enqueues the last few minutes again, so
// a scheduler that was down for a moment, or a clock a little behind, loses
// nothing; those minutes' tasks already exist and are refused.
type Scheduler struct {
	enqueue *Enqueuer
	log     *slog.Logger
	Now     func() time.Time
}

// catchUp is how many past minutes each tick enqueues again.
const catchUp = 10

// NewScheduler makes a scheduler with the wall clock.
func NewScheduler(e *Enqueuer, log *slog.Logger) *Scheduler {
	return &Scheduler{enqueue: e, log: log, Now: time.Now}
}

// Tick enqueues the current minute's digests and the catchUp minutes' before
// it, and the minute's look for notices.
func (s *Scheduler) Tick(ctx context.Context) error {
	now := s.Now()
	for i := catchUp; i >= 0; i-- {
		if err := s.enqueue.DigestsDue(ctx, now.Add(-time.Duration(i)*time.Minute)); err != nil {
			return err
		}
	}
	return s.enqueue.noticesDue(ctx, "notices-due:"+now.UTC().Truncate(time.Minute).Format("2006-01-02T15:04"))
}

// Run ticks at the start of every minute until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("scheduler tick", "err", err)
		}
		now := s.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(next.Sub(now)):
		}
	}
}
