package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task types. A task's payload is JSON; its id (asynq.TaskID) makes enqueueing
// the same work twice, from two schedulers or a retried handler, a no-op.
const (
	// TypeDigestsDue composes the evening digests (and, on Sundays, the weekly
	// summaries) due in one minute and enqueues a send for each.
	TypeDigestsDue = "digests:due"
	// TypeSend sends one message through the rate-limited sender and the ledger.
	TypeSend = "send"
	// TypeNoticesDue starts the fan-out of every notice that is due.
	TypeNoticesDue = "notices:due"
	// TypeFanOut sends one notice to its recipients: it enqueues a send for
	// each, in batches.
	TypeFanOut = "notice:fanout"
	// TypeNoticeReport edits the author's "delivered N of M" message until
	// every send of the notice is done.
	TypeNoticeReport = "notice:report"
)

// Queues: sends wait behind the rate limit; composing must not wait behind them.
const (
	QueueCompose = "compose"
	QueueSend    = "send"
)

// digestsDue is the payload of TypeDigestsDue.
type digestsDue struct {
	Minute time.Time `json:"minute"`
}

// Enqueuer puts tasks on the queues.
type Enqueuer struct{ client *asynq.Client }

// NewEnqueuer wraps an asynq client.
func NewEnqueuer(client *asynq.Client) *Enqueuer { return &Enqueuer{client: client} }

// idRetention keeps a finished task's id reserved, so a late duplicate (a second
// scheduler, a replayed minute) is refused instead of run again.
const idRetention = 26 * time.Hour

// enqueue adds a task unless one with its id exists: a duplicate is not an error.
func (e *Enqueuer) enqueue(ctx context.Context, kind, id string, payload any, opts ...asynq.Option) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s task: %w", kind, err)
	}
	opts = append(opts, asynq.TaskID(id), asynq.Retention(idRetention))
	_, err = e.client.EnqueueContext(ctx, asynq.NewTask(kind, b), opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", id, err)
	}
	return nil
}

// DigestsDue enqueues the composing of the digests due in the minute that holds at.
func (e *Enqueuer) DigestsDue(ctx context.Context, at time.Time) error {
	minute := at.UTC().Truncate(time.Minute)
	return e.enqueue(ctx, TypeDigestsDue, "digests-due:"+minute.Format("2006-01-02T15:04"),
		digestsDue{Minute: minute}, asynq.Queue(QueueCompose), asynq.MaxRetry(5), asynq.Timeout(10*time.Minute))
}

// Send enqueues a message to be sent now or, when quiet hours hold it, no
// earlier than holdUntil (zero: now).
func (e *Enqueuer) Send(ctx context.Context, m Message, holdUntil time.Time) error {
	opts := []asynq.Option{asynq.Queue(QueueSend), asynq.MaxRetry(20), asynq.Timeout(5 * time.Minute)}
	if !holdUntil.IsZero() {
		opts = append(opts, asynq.ProcessAt(holdUntil))
	}
	return e.enqueue(ctx, TypeSend, "send:"+m.Delivery.Key, m, opts...)
}

func decode[T any](t *asynq.Task) (T, error) {
	var v T
	if err := json.Unmarshal(t.Payload(), &v); err != nil {
		// A payload that cannot be read never will be: do not retry it.
		return v, fmt.Errorf("%s payload: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	return v, nil
}
