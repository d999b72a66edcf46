package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/diary"
)

// A notice (diary.Notice) reaches its recipients in three steps, each a task
// that may run twice without telling anyone twice:
//
//  1. notices:due finds the notices that are due and enqueues a fan-out of
//     each (task id "fanout:<notice>": one per notice on the queue);
//  2. notice:fanout plans a message to each recipient into the outbox, a page
//     at a time (keyed "notice:<notice>:<account>": one per recipient), and
//     enqueues their sends, then marks the notice fanned out;
//  3. each send checks, renders and sends its message (handleSend).
//
// A worker stopped in the middle of step 2 leaves the notice not fanned out;
// the fan-out runs again and plans the same messages, which are already there.

// fanOutPage is how many recipients a fan-out reads and plans at a time.
const fanOutPage = 500

// noticesDueLimit bounds the notices one look fans out; the next look (a
// minute later at most) takes the rest.
const noticesDueLimit = 1000

// noticesDue enqueues a look for notices that are due under the task id.
func (e *Enqueuer) noticesDue(ctx context.Context, id string) error {
	return e.enqueue(ctx, TypeNoticesDue, id, noticesDue{V: payloadVersion}, asynq.Queue(QueueCompose), asynq.MaxRetry(5))
}

// NoticesDue enqueues a look for notices that are due, after a teacher or an
// import wrote some. Each call enqueues one: a look that already runs may
// have missed them.
func (e *Enqueuer) NoticesDue(ctx context.Context) error {
	return e.noticesDue(ctx, fmt.Sprintf("notices-due:%d", time.Now().UnixNano()))
}

func (e *Enqueuer) fanOut(ctx context.Context, notice int64) error {
	return e.enqueue(ctx, TypeFanOut, "fanout:"+strconv.FormatInt(notice, 10), fanOut{V: payloadVersion, Notice: notice},
		asynq.Queue(QueueCompose), asynq.MaxRetry(10), asynq.Timeout(30*time.Minute))
}

func (w *Worker) handleNoticesDue(ctx context.Context, t *asynq.Task) error {
	if _, err := decode[noticesDue](t); err != nil {
		return err
	}
	ids, err := w.store.DueNotices(ctx, noticesDueLimit)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := w.enqueue.fanOut(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) handleFanOut(ctx context.Context, t *asynq.Task) error {
	p, err := decode[fanOut](t)
	if err != nil {
		return err
	}
	n, err := w.store.LoadNotice(ctx, p.Notice)
	if err != nil || n.FannedOut {
		return err
	}
	at := w.store.Now()
	for after := diary.AccountID(0); !n.Gone; {
		page, next, err := w.store.NoticeRecipients(ctx, n, after, fanOutPage)
		if err != nil {
			return err
		}
		msgs := make([]diary.Outgoing, len(page))
		for i, r := range page {
			msgs[i] = diary.Outgoing{Key: fmt.Sprintf("notice:%d:%d", n.ID, r.ID), Kind: diary.MessageNotice, Ref: n.ID,
				Account: r.ID, ChatID: r.ChatID, About: at, Due: at}
			if !n.Urgent {
				msgs[i].Due = HoldUntil(at, r.Settings.QuietFrom, r.Settings.QuietTo, n.School.Location)
			}
		}
		if err := w.plan(ctx, msgs); err != nil {
			return err
		}
		if next == 0 {
			break
		}
		after = next
	}
	recipients, err := w.store.NoticeFannedOut(ctx, n.ID)
	if err != nil {
		return err
	}
	w.log.Info("notice fanned out", "notice", n.ID, "kind", n.Kind, "recipients", recipients)
	if n.ReportChatID == 0 {
		return nil
	}
	return w.plan(ctx, []diary.Outgoing{{Key: "report:" + strconv.FormatInt(n.ID, 10), Kind: diary.MessageReport, Ref: n.ID,
		ChatID: n.ReportChatID, About: at, Due: at}})
}

// plan writes the messages to the outbox and enqueues the sends of those it
// wrote, each not before it is due. A send that cannot be enqueued (Redis
// is away) is enqueued by the sweeper once it can.
func (w *Worker) plan(ctx context.Context, msgs []diary.Outgoing) error {
	planned, err := w.store.Plan(ctx, msgs)
	if err != nil {
		return err
	}
	return w.enqueue.sends(ctx, planned, w.store.Now(), w.metrics)
}

// sends enqueues the sends of the messages; those due after now are held, and
// counted so.
func (e *Enqueuer) sends(ctx context.Context, msgs []diary.Pending, now time.Time, m *Metrics) error {
	for _, p := range msgs {
		due := time.Time{}
		if p.Due.After(now) {
			due = p.Due
			m.Held(p.Kind)
		}
		if err := e.Send(ctx, p.ID, due); err != nil {
			return err
		}
	}
	return nil
}
