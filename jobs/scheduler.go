package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// Scheduler, every minute:
//   - enqueues the planning of the digests of each minute not planned yet, up
//     to catchUp back: a scheduler that was down (or whose Redis lost the
//     tasks) plans the minutes it missed, and an evening digest past its
//     lateness is not planned at all;
//   - enqueues a look for notices that are due (a grade's grace ended; a
//     notice whose author's enqueue was lost);
//
// and every 15 s looks for notices that are due (a grade's grace ends at any
// second) and sweeps the outbox: every message still to go out that no task
// was enqueued for in a minute is enqueued again, in case Redis lost it, and
// every one of them at once when Redis is seen to have lost its data.
//
// Several schedulers may run (one per serve or worker process): task ids and
// the outbox's keys make their work one.
type Scheduler struct {
	store   Planner
	enqueue *Enqueuer
	log     *slog.Logger
	// Retention is how long the purge keeps what the diary no longer needs;
	// zero: diary.DefaultRetention.
	Retention time.Duration
}

// catchUp is how far back the scheduler plans the digests of minutes it
// missed: as late as a digest may still go out.
const catchUp = digestLateness

// sweepLimit bounds the messages one sweep enqueues; the next takes the rest.
const sweepLimit = 10000

// NewScheduler makes a scheduler; the store's clock is its clock.
func NewScheduler(store Planner, e *Enqueuer, log *slog.Logger) *Scheduler {
	return &Scheduler{store: store, enqueue: e, log: log}
}

// Tick enqueues the digests of the minutes not planned yet and the minute's
// look for notices, and sweeps the outbox.
func (s *Scheduler) Tick(ctx context.Context) error {
	minutes, err := s.store.DigestMinutesToPlan(ctx, catchUp)
	if err != nil {
		return err
	}
	for _, m := range minutes {
		if err := s.enqueue.DigestsDue(ctx, m); err != nil {
			return err
		}
	}
	now := s.store.Now()
	if err := s.enqueue.noticesDue(ctx, "notices-due:"+now.UTC().Truncate(time.Minute).Format("2006-01-02T15:04")); err != nil {
		return err
	}
	return s.Sweep(ctx)
}

// Sweep enqueues again every message still to go out that waited on the queue
// for a minute or more: the queue may have lost it. When the queue's sentinel
// is gone, Redis lost its data (flushed, restarted empty), and every message
// still to go out is enqueued again at once. A message the queue still holds
// keeps its task; one that went out meanwhile is found ended when its task runs.
func (s *Scheduler) Sweep(ctx context.Context) error {
	kept, err := s.enqueue.sentinelKept(ctx)
	if err != nil {
		return err
	}
	pending, err := s.store.OutboxToSweep(ctx, sweepLimit, !kept)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		s.log.Info("outbox swept", "messages", len(pending), "queue_lost", !kept)
	}
	return s.enqueue.sends(ctx, pending, s.store.Now(), nil)
}

// Purge deletes what is older than the retention and no longer needed
// (diary.Purge), and logs what it deleted.
func (s *Scheduler) Purge(ctx context.Context) error {
	retention := s.Retention
	if retention == 0 {
		retention = diary.DefaultRetention
	}
	p, err := s.store.Purge(ctx, retention)
	if err != nil {
		return err
	}
	if p != (diary.Purged{}) {
		s.log.Info("purged", "retention", retention, "messages", p.Messages, "codes", p.Codes, "attempts", p.Attempts,
			"links", p.Links, "accounts", p.Accounts, "notices", p.Notices, "conversations", p.Conversations)
	}
	return nil
}

// sweepEvery is how often Run looks for due notices and sweeps the outbox;
// purgeEvery how often it purges.
const (
	sweepEvery = 15 * time.Second
	purgeEvery = time.Hour
)

// Run ticks at the start of every minute, sweeps every sweepEvery in
// between and purges every purgeEvery (the first at its start), until ctx
// ends.
func (s *Scheduler) Run(ctx context.Context) error {
	sweep := time.NewTicker(sweepEvery)
	defer sweep.Stop()
	var purged time.Time
	for {
		if err := s.Tick(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("scheduler tick", "err", err)
		}
		if time.Since(purged) >= purgeEvery {
			purged = time.Now()
			if err := s.Purge(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("purge", "err", err)
			}
		}
		now := time.Now()
		minute := time.After(now.Truncate(time.Minute).Add(time.Minute).Sub(now))
	between:
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-minute:
				break between
			case <-sweep.C:
				err := errors.Join(s.enqueue.NoticesDue(ctx), s.Sweep(ctx))
				if err != nil && !errors.Is(err, context.Canceled) {
					s.log.Error("outbox sweep", "err", err)
				}
			}
		}
	}
}
