package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
)

// Task types. A task carries ids only: what is to be sent, and to whom, is
// in PostgreSQL (the outbox), so a task lost with Redis is enqueued again by
// the sweeper and no person's data is ever written to Redis. A task's id
// makes enqueueing the same work twice, from two schedulers or the sweeper,
// a no-op while the task is on the queue.
const (
	// TypeDigestsDue plans into the outbox the evening digests, reminders and
	// (on Sundays) weekly summaries due in one minute, and enqueues them.
	TypeDigestsDue = "digests:due"
	// TypeSend sends one outbox message.
	TypeSend = "send"
	// TypeNoticesDue starts the fan-out of every notice that is due.
	TypeNoticesDue = "notices:due"
	// TypeFanOut plans one notice's messages to its recipients into the outbox
	// and enqueues them, a page at a time.
	TypeFanOut = "notice:fanout"
)

// Queues: sends wait behind the rate limit; composing must not wait behind them.
const (
	QueueCompose = "compose"
	QueueSend    = "send"
)

// payloadVersion is the version of every payload below: a worker refuses a
// task of another version rather than misread it.
const payloadVersion = 1

// The payloads, with their version: a field's Go name may change, its JSON
// name may not while a task of the old shape can wait on the queue.
type (
	digestsDue struct {
		V      int       `json:"v"`
		Minute time.Time `json:"minute"`
	}
	sendTask struct {
		V       int   `json:"v"`
		Message int64 `json:"message"` // the outbox row
	}
	fanOut struct {
		V      int   `json:"v"`
		Notice int64 `json:"notice"`
	}
	noticesDue struct {
		V int `json:"v"`
	}
)

// versioned is a payload that says its version.
type versioned interface{ version() int }

func (p digestsDue) version() int { return p.V }
func (p sendTask) version() int   { return p.V }
func (p fanOut) version() int     { return p.V }
func (p noticesDue) version() int { return p.V }

// Enqueuer puts tasks on the queues.
type Enqueuer struct{ client *asynq.Client }

// NewEnqueuer wraps an asynq client.
func NewEnqueuer(client *asynq.Client) *Enqueuer { return &Enqueuer{client: client} }

// enqueue adds a task unless one with its id is on the queue: a duplicate is
// not an error. A task leaves nothing in Redis once done.
func (e *Enqueuer) enqueue(ctx context.Context, kind, id string, payload any, opts ...asynq.Option) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s task: %w", kind, err)
	}
	opts = append(opts, asynq.TaskID(id))
	_, err = e.client.EnqueueContext(ctx, asynq.NewTask(kind, b), opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", id, err)
	}
	return nil
}

// DigestsDue enqueues the planning of the digests due in the minute that holds at.
func (e *Enqueuer) DigestsDue(ctx context.Context, at time.Time) error {
	minute := at.UTC().Truncate(time.Minute)
	return e.enqueue(ctx, TypeDigestsDue, "digests-due:"+minute.Format("2006-01-02T15:04"),
		digestsDue{V: payloadVersion, Minute: minute}, asynq.Queue(QueueCompose), asynq.MaxRetry(5), asynq.Timeout(10*time.Minute))
}

// sendRetries is how often a send is retried, with a backoff doubling up to
// maxRetryDelay: over two hours in all.
const sendRetries = 20

// Send enqueues the sending of the outbox message, not before due (zero: now).
func (e *Enqueuer) Send(ctx context.Context, message int64, due time.Time) error {
	opts := []asynq.Option{asynq.Queue(QueueSend), asynq.MaxRetry(sendRetries), asynq.Timeout(5 * time.Minute)}
	if !due.IsZero() {
		opts = append(opts, asynq.ProcessAt(due))
	}
	return e.enqueue(ctx, TypeSend, "send:"+strconv.FormatInt(message, 10), sendTask{V: payloadVersion, Message: message}, opts...)
}

// The sentinel is a task that never runs: it waits for ten years under a
// fixed id on a queue no worker serves, and its absence tells that Redis lost
// its data.
const (
	typeSentinel  = "sentinel"
	queueSentinel = "sentinel"
)

// sentinelKept tells whether the queue still holds the sentinel, and puts it
// back when not: false means Redis lost its tasks since the last look (or
// this is the first look).
func (e *Enqueuer) sentinelKept(ctx context.Context) (bool, error) {
	_, err := e.client.EnqueueContext(ctx, asynq.NewTask(typeSentinel, nil), asynq.TaskID(typeSentinel),
		asynq.Queue(queueSentinel), asynq.ProcessIn(10*365*24*time.Hour))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for the queue's sentinel: %w", err)
	}
	return false, nil
}

func decode[T versioned](t *asynq.Task) (T, error) {
	var v T
	err := json.Unmarshal(t.Payload(), &v)
	if err == nil && v.version() != payloadVersion {
		err = fmt.Errorf("version %d, this worker reads %d", v.version(), payloadVersion)
	}
	if err != nil {
		// A payload that cannot be read never will be: do not retry it.
		return v, fmt.Errorf("%s payload: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	return v, nil
}
