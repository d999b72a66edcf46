package jobs

import (
	"context"
	"errors"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// composeQuestion is a family's message for the teacher: the pupil's name and
// class and the writer's role, never who the writer is on Telegram, with the
// buttons to answer, close the thread or mute the family. A writer whose link
// to the child ended while it waited (office hours) sends nothing.
func (w *Worker) composeQuestion(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	q, why, err := w.store.QuestionTo(ctx, m.Ref, m.Account)
	if err != nil || why != "" {
		return Message{}, why, err
	}
	p := locales.For(q.Language)
	return Message{Text: render.Question(p, q), Keyboard: keyboard(w.buttons.ThreadRows(p, q.ID, q.Thread))}, "", nil
}

// errHeld tells that a message was held for later instead of composed: the
// sweep enqueues it again once it is due.
var errHeld = errors.New("held until later")

// composeAnswer is the teacher's answer, a reply to the family's message in
// their chat; dropped if the writer's link to the child ended, held through
// the reader's quiet hours (a teacher may answer late in the evening).
func (w *Worker) composeAnswer(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	a, why, err := w.store.AnswerTo(ctx, m.Ref, m.Account)
	if err != nil || why != "" {
		return Message{}, why, err
	}
	now := w.store.Now()
	if until := HoldUntil(now, a.QuietFrom, a.QuietTo, a.Location); until.After(now) {
		if err := w.store.MessageHeld(ctx, m.ID, until); err != nil {
			return Message{}, "", err
		}
		w.metrics.Held(m.Kind)
		return Message{}, "", errHeld
	}
	return Message{Text: render.Answer(locales.For(a.Language), a), ReplyTo: a.ReplyTo}, "", nil
}
