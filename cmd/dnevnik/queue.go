package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/jobs"
)

// wakeWorker tells the worker, through the queue at REDIS_URL, that notices
// are due, so families hear of them within seconds.
func wakeWorker(ctx context.Context, e *env, notices int64) error {
	return tellWorker(ctx, e, fmt.Sprintf("the %d notices", notices), func(q *jobs.Enqueuer) error { return q.NoticesDue(ctx) })
}

// sendNow puts the outbox messages on the queue at REDIS_URL, so that they go
// out within seconds.
func sendNow(ctx context.Context, e *env, msgs []diary.Pending) error {
	return tellWorker(ctx, e, fmt.Sprintf("the %d messages", len(msgs)), func(q *jobs.Enqueuer) error {
		for _, m := range msgs {
			if err := q.Send(ctx, m.ID, time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// tellWorker gives the worker, through the queue at REDIS_URL, what a
// command left it to do (what names it for the person running the command);
// without REDIS_URL, or when Redis cannot be reached, the worker's own look
// at the database finds it within two minutes, and the person is told which.
func tellWorker(ctx context.Context, e *env, what string, tell func(*jobs.Enqueuer) error) error {
	if !e.cfg.Redis.set() {
		_, err := fmt.Fprintf(e.stdout, "REDIS_URL is not set: the worker finds %s within two minutes\n", what)
		return err
	}
	client := asynq.NewClient(e.cfg.Redis)
	defer client.Close()
	if err := tell(jobs.NewEnqueuer(client)); err != nil {
		e.log.Warn("tell the worker", "err", err)
		_, err := fmt.Fprintf(e.stdout, "the worker could not be told (Redis): it finds %s within two minutes\n", what)
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "the worker is told of %s\n", what)
	return err
}
