package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// Worker handles the tasks: it plans what is due into the outbox and sends
// each outbox message, checked and rendered when it goes out.
type Worker struct {
	store   Diary
	buttons telegram.Codec // signs the buttons under messages as the bot does
	sender  *Sender
	enqueue *Enqueuer
	metrics *Metrics
	log     *slog.Logger
}

// NewWorker wires a worker; metrics may be nil.
func NewWorker(store Diary, buttons telegram.Codec, sender *Sender, e *Enqueuer, m *Metrics, log *slog.Logger) *Worker {
	return &Worker{store: store, buttons: buttons, sender: sender, enqueue: e, metrics: m, log: log}
}

// Mux routes the task types to their handlers.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeDigestsDue, w.handleDigestsDue)
	mux.HandleFunc(TypeSend, w.handleSend)
	mux.HandleFunc(TypeNoticesDue, w.handleNoticesDue)
	mux.HandleFunc(TypeFanOut, w.handleFanOut)
	return mux
}

// ServerConfig completes an asynq server configuration: the queues and their
// weights, retries that obey Telegram's retry_after without counting it as a
// failure, a log line for every failed task, a look for delayed tasks every
// second rather than asynq's five (a retry_after of one second, the
// "delivered N of M" redrawn every two), and for new tasks on idle queues
// every quarter second rather than every second: a push takes three tasks
// in a row (the look for notices, the fan-out, the send).
func (w *Worker) ServerConfig(c asynq.Config) asynq.Config {
	c.Queues = map[string]int{QueueCompose: 3, QueueSend: 7}
	if c.DelayedTaskCheckInterval == 0 {
		c.DelayedTaskCheckInterval = time.Second
	}
	if c.TaskCheckInterval == 0 {
		c.TaskCheckInterval = 250 * time.Millisecond
	}
	c.IsFailure = IsFailure
	c.RetryDelayFunc = RetryDelay
	c.ErrorHandler = asynq.ErrorHandlerFunc(w.logFailure)
	return c
}

// logFailure logs a failed task: its id, type, tries and the error, which
// carries ids and codes, never a person's data. A wait is no failure.
func (w *Worker) logFailure(ctx context.Context, t *asynq.Task, err error) {
	if !IsFailure(err) {
		return
	}
	id, _ := asynq.GetTaskID(ctx)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	w.log.Error("task failed", "task", id, "type", t.Type(), "retried", retried, "max_retry", maxRetry,
		"final", retried >= maxRetry || errors.Is(err, asynq.SkipRetry), "err", err)
}

// handleSend sends one outbox message; a message whose last try failed
// ends failed, so that "delivered N of M" still comes to an end.
func (w *Worker) handleSend(ctx context.Context, t *asynq.Task) error {
	p, err := decode[sendTask](t)
	if err != nil {
		return err
	}
	ctx, end, err := w.sender.Turn(ctx)
	if err != nil {
		return err
	}
	defer end()
	kind, err := w.send(ctx, p.Message)
	if err != nil && IsFailure(err) && lastTry(ctx) && !errors.Is(err, asynq.SkipRetry) {
		w.metrics.countFailed(kind, reasonRetries)
		rctx, cancel := recording(ctx)
		defer cancel()
		err = errors.Join(err, w.store.MessageEnded(rctx, p.Message, diary.StateFailed, reasonRetries))
	}
	return err
}

// send sends the outbox message id: unless it has ended, is not due yet, or
// must be dropped (the person blocked the bot, it is too late, the diary says
// no), it is composed from the diary now and goes through the sender.
func (w *Worker) send(ctx context.Context, id int64) (diary.MessageKind, error) {
	m, err := w.store.Message(ctx, id)
	if diary.ErrorCode(err) == diary.ENOTFOUND {
		return "", fmt.Errorf("%w: %w", err, asynq.SkipRetry) // a database restored from before it was planned
	}
	if err != nil {
		return "", err
	}
	switch m.State {
	case diary.StateSent, diary.StateDropped, diary.StateFailed:
		return m.Kind, nil
	}
	now := w.store.Now()
	if m.Due.After(now) {
		return m.Kind, &RetryAfterError{Wait: m.Due.Sub(now)}
	}
	if m.Kind == diary.MessageReport {
		return m.Kind, w.sendReport(ctx, m)
	}
	var (
		msg  Message
		drop string
	)
	switch {
	case m.Blocked:
		drop = diary.DropBlocked
	case !m.Expires.IsZero() && now.After(m.Expires):
		drop = diary.DropStale
	default:
		if msg, drop, err = w.compose(ctx, m); errors.Is(err, errHeld) {
			return m.Kind, nil
		} else if err != nil {
			return m.Kind, err
		}
	}
	if drop != "" {
		w.metrics.countDropped(m.Kind, drop)
		return m.Kind, w.store.MessageEnded(ctx, m.ID, diary.StateDropped, drop)
	}
	_, err = w.sender.Send(ctx, m, msg)
	return m.Kind, err
}

// lastTry tells whether the task running in ctx will not be retried if it fails.
func lastTry(ctx context.Context) bool {
	retried, ok := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	return ok && retried >= maxRetry
}

// Report: the author's "delivered N of M" is redrawn every reportEvery until
// every message of the notice ended, for reportFor at most.
const (
	reportEvery = 2 * time.Second
	reportFor   = time.Hour
)

// sendReport redraws the author's "delivered N of M" and comes back until
// every message of the notice ended.
func (w *Worker) sendReport(ctx context.Context, m diary.OutboxMessage) error {
	n, err := w.store.LoadNotice(ctx, m.Ref)
	if err != nil {
		return err
	}
	progress, err := w.store.NoticeProgress(ctx, n.ID)
	if err != nil {
		return err
	}
	claim, err := w.store.ClaimMessage(ctx, m.ID, m.ChatID)
	if err != nil || !claim.Claimed {
		return err
	}
	text := render.NoticeReport(locales.For(n.ReportLanguage), n, progress)
	if err := w.sender.Edit(ctx, n.ReportChatID, int(n.ReportMessageID), text); err != nil {
		rctx, cancel := recording(ctx)
		defer cancel()
		if errors.Is(err, asynq.SkipRetry) { // the author blocked the bot or deleted the message
			return errors.Join(err, w.store.MessageEnded(rctx, m.ID, diary.StateFailed, reasonRejected))
		}
		return errors.Join(err, w.store.MessageRetry(rctx, m.ID, reasonUnavailable, false))
	}
	if progress.Done() || w.store.Now().Sub(m.About) > reportFor {
		return w.store.MessageSent(ctx, m.ID, int(n.ReportMessageID))
	}
	if err := w.store.MessageAgain(ctx, m.ID); err != nil {
		return err
	}
	// Not a failure: asynq runs it again after the wait, however many times.
	return &RetryAfterError{Wait: reportEvery}
}
