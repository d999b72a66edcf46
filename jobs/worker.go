package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/bot/button"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// Worker handles the tasks: it composes what is due and sends it.
type Worker struct {
	store   *diary.Store
	buttons button.Codec // signs the weekly summary's sign buttons as the bot does
	sender  *Sender
	enqueue *Enqueuer
	metrics *Metrics
	log     *slog.Logger
}

// NewWorker wires a worker; metrics may be nil.
func NewWorker(store *diary.Store, buttons button.Codec, sender *Sender, e *Enqueuer, m *Metrics, log *slog.Logger) *Worker {
	return &Worker{store: store, buttons: buttons, sender: sender, enqueue: e, metrics: m, log: log}
}

// Mux routes the task types to their handlers.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeDigestsDue, w.handleDigestsDue)
	mux.HandleFunc(TypeSend, w.handleSend)
	mux.HandleFunc(TypeNoticesDue, w.handleNoticesDue)
	mux.HandleFunc(TypeFanOut, w.handleFanOut)
	mux.HandleFunc(TypeNoticeReport, w.handleNoticeReport)
	return mux
}

// ServerConfig completes an asynq server configuration: the queues and their
// weights, retries that obey Telegram's retry_after without counting it as a
// failure, and a look for delayed tasks every second rather than asynq's five
// (a retry_after of one second, the "delivered N of M" redrawn every two).
func ServerConfig(c asynq.Config) asynq.Config {
	c.Queues = map[string]int{QueueCompose: 3, QueueSend: 7}
	if c.DelayedTaskCheckInterval == 0 {
		c.DelayedTaskCheckInterval = time.Second
	}
	c.IsFailure = IsFailure
	c.RetryDelayFunc = RetryDelay
	return c
}

// digestBatch is how many accounts' digests are composed together: the queries
// per batch stay the same, whatever its size.
const digestBatch = 500

func (w *Worker) handleDigestsDue(ctx context.Context, t *asynq.Task) error {
	p, err := decode[digestsDue](t)
	if err != nil {
		return err
	}
	due, err := w.store.DueDigests(ctx, p.Minute)
	if err != nil {
		return err
	}
	zones := make(map[diary.AccountID]*time.Location, len(due))
	for _, d := range due {
		zones[d.Account] = d.Location
	}
	for batch := range slices.Chunk(due, digestBatch) {
		ids := make([]diary.AccountID, len(batch))
		for i, d := range batch {
			ids[i] = d.Account
		}
		digests, err := w.store.Digests(ctx, ids, p.Minute)
		if err != nil {
			return err
		}
		for _, d := range digests {
			if err := w.sendDigest(ctx, d, p.Minute, zones[d.Account]); err != nil {
				return err
			}
			if err := w.sendReminders(ctx, d, p.Minute); err != nil {
				return err
			}
		}
		if err := w.sendWeekly(ctx, batch, p.Minute); err != nil {
			return err
		}
	}
	w.log.Info("digests composed", "minute", p.Minute.Format(time.RFC3339), "accounts", len(due))
	return nil
}

// sendDigest renders one account's digest and enqueues it, held past the
// account's quiet hours. Its ledger key is the account and the local day: one
// digest a day, however often the minute is composed.
func (w *Worker) sendDigest(ctx context.Context, d diary.Digest, at time.Time, loc *time.Location) error {
	text, empty := render.Digest(locales.For(d.Language), d)
	if empty && !d.Settings.DigestWhenEmpty {
		return nil
	}
	day := diary.Date(at, loc).Format(time.DateOnly)
	m := Message{
		Delivery: diary.Delivery{Key: fmt.Sprintf("digest:%d:%s", d.Account, day), Kind: "digest", Account: d.Account, ChatID: d.ChatID},
		Text:     text,
	}
	return w.enqueueHeld(ctx, m, at, d.Settings, loc)
}

// sendWeekly sends, on a Sunday in the account's zone, the weekly summary after
// the digest, with a sign button for each child whose week the guardian has not
// signed.
func (w *Worker) sendWeekly(ctx context.Context, batch []diary.DueAccount, at time.Time) error {
	var sunday []diary.AccountID
	zones := make(map[diary.AccountID]*time.Location, len(batch))
	for _, d := range batch {
		if at.In(d.Location).Weekday() == time.Sunday {
			sunday = append(sunday, d.Account)
			zones[d.Account] = d.Location
		}
	}
	if len(sunday) == 0 {
		return nil
	}
	summaries, err := w.store.WeeklySummaries(ctx, sunday, at)
	if err != nil {
		return err
	}
	for _, ws := range summaries {
		if !ws.Settings.WeeklySummary || len(ws.Children) == 0 {
			continue
		}
		p := locales.For(ws.Language)
		text, unsigned := render.Weekly(p, ws)
		var kb [][]models.InlineKeyboardButton
		for _, c := range ws.Children {
			if slices.Contains(unsigned, c.Pupil.ID) {
				label := p.T("weekly_sign_button", "Child", render.ChildLabel(c.Pupil, c.Class))
				kb = append(kb, []models.InlineKeyboardButton{{Text: label,
					CallbackData: w.buttons.Encode(button.Sign, int64(c.Pupil.ID), button.DateArg(c.Monday))}})
			}
		}
		loc := zones[ws.Account]
		m := Message{
			Delivery: diary.Delivery{Key: fmt.Sprintf("weekly:%d:%s", ws.Account, diary.Date(at, loc).Format(time.DateOnly)),
				Kind: "weekly", Account: ws.Account, ChatID: ws.ChatID},
			Text: text,
		}
		if kb != nil {
			m.Keyboard = &models.InlineKeyboardMarkup{InlineKeyboard: kb}
		}
		if err := w.enqueueHeld(ctx, m, at, ws.Settings, loc); err != nil {
			return err
		}
	}
	return nil
}

// enqueueHeld enqueues a message that is not urgent: inside the person's quiet
// hours it waits for their end.
func (w *Worker) enqueueHeld(ctx context.Context, m Message, at time.Time, st diary.Settings, loc *time.Location) error {
	until := HoldUntil(at, st.QuietFrom, st.QuietTo, loc)
	if !until.After(at) {
		return w.enqueue.Send(ctx, m, time.Time{})
	}
	w.metrics.Held(m.Delivery.Kind)
	return w.enqueue.Send(ctx, m, until)
}

func (w *Worker) handleSend(ctx context.Context, t *asynq.Task) error {
	m, err := decode[Message](t)
	if err != nil {
		return err
	}
	_, err = w.sender.Send(ctx, m)
	return err
}
