package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/bot/button"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// A notice (diary.Notice) reaches its recipients in three steps, each a task
// that may run twice without telling anyone twice:
//
//  1. notices:due finds the notices that are due and enqueues a fan-out of
//     each (task id "fanout:<notice>": one per notice);
//  2. notice:fanout reads the recipients a page at a time and enqueues a send
//     to each (task id "send:<ledger key>": one per recipient), then marks the
//     notice fanned out with the number of recipients;
//  3. each send claims its row in the delivery ledger before it goes out.
//
// A worker stopped in the middle of step 2 leaves the notice not fanned out;
// the fan-out runs again and enqueues the same sends, which are refused as
// duplicates while queued and found sent in the ledger once sent.

// fanOutPage is how many recipients a fan-out reads and enqueues at a time.
const fanOutPage = 500

// noticesDueLimit bounds the notices one look fans out; the next look (a
// minute later at most) takes the rest.
const noticesDueLimit = 1000

// Report: the author's "delivered N of M" is redrawn every reportEvery until
// every send ended, for reportFor at most.
const (
	reportEvery = 2 * time.Second
	reportFor   = time.Hour
)

type fanOut struct {
	Notice int64 `json:"notice"`
}

type noticeReport struct {
	Notice int64     `json:"notice"`
	Since  time.Time `json:"since"`
}

// noticesDue enqueues a look for notices that are due under the task id.
func (e *Enqueuer) noticesDue(ctx context.Context, id string) error {
	return e.enqueue(ctx, TypeNoticesDue, id, struct{}{}, asynq.Queue(QueueCompose), asynq.MaxRetry(5))
}

// NoticesDue enqueues a look for notices that are due, after a teacher wrote
// one. Each call enqueues one: a look that already runs may have missed it.
func (e *Enqueuer) NoticesDue(ctx context.Context) error {
	return e.noticesDue(ctx, fmt.Sprintf("notices-due:%d", time.Now().UnixNano()))
}

func (e *Enqueuer) fanOut(ctx context.Context, notice int64) error {
	return e.enqueue(ctx, TypeFanOut, "fanout:"+strconv.FormatInt(notice, 10), fanOut{Notice: notice},
		asynq.Queue(QueueCompose), asynq.MaxRetry(10), asynq.Timeout(30*time.Minute))
}

func (e *Enqueuer) noticeReport(ctx context.Context, notice int64, since time.Time) error {
	return e.enqueue(ctx, TypeNoticeReport, "report:"+strconv.FormatInt(notice, 10), noticeReport{Notice: notice, Since: since},
		asynq.Queue(QueueCompose), asynq.MaxRetry(5), asynq.ProcessIn(reportEvery))
}

func (w *Worker) handleNoticesDue(ctx context.Context, _ *asynq.Task) error {
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
	messages := noticeMessages{notice: n, buttons: w.buttons, made: map[noticeVariant]Message{}}
	recipients := 0
	for after := diary.AccountID(0); !n.Gone; {
		page, next, err := w.store.NoticeRecipients(ctx, n, after, fanOutPage)
		if err != nil {
			return err
		}
		for _, r := range page {
			m := messages.to(r)
			if n.Urgent {
				err = w.enqueue.Send(ctx, m, time.Time{})
			} else {
				err = w.enqueueHeld(ctx, m, at, r.Settings, n.School.Location)
			}
			if err != nil {
				return err
			}
		}
		recipients += len(page)
		if next == 0 {
			break
		}
		after = next
	}
	if err := w.store.NoticeFannedOut(ctx, n.ID, recipients); err != nil {
		return err
	}
	w.log.Info("notice fanned out", "notice", n.ID, "kind", n.Kind, "recipients", recipients)
	if n.ReportChatID != 0 {
		return w.enqueue.noticeReport(ctx, n.ID, at)
	}
	return nil
}

// noticeVariant is what a notice's message depends on besides the notice.
type noticeVariant struct {
	lang  string
	child string
}

// noticeMessages renders a notice once per language and child label and
// addresses a copy to each recipient.
type noticeMessages struct {
	notice  diary.Notice
	buttons button.Codec
	made    map[noticeVariant]Message
}

// to is the notice's message to one recipient. A grade, mark or remark names
// the child for the family, not for the pupil themself.
func (nm *noticeMessages) to(r diary.NoticeRecipient) Message {
	n := nm.notice
	v := noticeVariant{lang: r.Language}
	if n.Pupil.ID != 0 && r.Children[0].Role != diary.RoleStudent {
		v.child = render.ChildName(n.Pupil)
	}
	m, ok := nm.made[v]
	if !ok {
		p := locales.For(v.lang)
		m = Message{Text: render.Notice(p, n, v.child), Keyboard: nm.keyboard(p)}
		nm.made[v] = m
	}
	m.Delivery = diary.Delivery{Key: fmt.Sprintf("notice:%d:%d", n.ID, r.ID), Kind: diary.DeliveryNotice, RefID: n.ID,
		Account: r.ID, ChatID: r.ChatID}
	return m
}

// keyboard is the RSVP buttons of a meeting invitation and the "stop these"
// button of a kind a switch turns off.
func (nm *noticeMessages) keyboard(p *locales.Printer) *models.InlineKeyboardMarkup {
	n := nm.notice
	var kb [][]models.InlineKeyboardButton
	if n.Kind == diary.NoticeMeeting && n.Action != diary.ActionCancelled {
		kb = append(kb, nm.buttons.RSVPRow(p, n.Event.ID, ""))
	}
	if setting := button.SettingOf(n.Kind); setting != 0 {
		kb = append(kb, []models.InlineKeyboardButton{{Text: p.T("notice_stop"), CallbackData: nm.buttons.Encode(button.Stop, setting)}})
	}
	if kb == nil {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

// handleNoticeReport redraws the author's "delivered N of M" and comes back
// until every send of the notice ended.
func (w *Worker) handleNoticeReport(ctx context.Context, t *asynq.Task) error {
	p, err := decode[noticeReport](t)
	if err != nil {
		return err
	}
	n, err := w.store.LoadNotice(ctx, p.Notice)
	if err != nil {
		return err
	}
	progress, err := w.store.NoticeProgress(ctx, n.ID)
	if err != nil {
		return err
	}
	text := render.NoticeReport(locales.For(n.ReportLanguage), n, progress)
	if err := w.sender.Edit(ctx, n.ReportChatID, int(n.ReportMessageID), text); err != nil {
		return err
	}
	if progress.Done() || w.store.Now().Sub(p.Since) > reportFor {
		return nil
	}
	// Not a failure: asynq runs it again after the wait, however many times.
	return &RetryAfterError{Wait: reportEvery}
}
