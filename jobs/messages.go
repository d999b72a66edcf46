package jobs

import (
	"context"

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

// composeAnswer is the teacher's answer, a reply to the family's message in
// their chat; dropped if the writer's link to the child ended.
func (w *Worker) composeAnswer(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	a, why, err := w.store.AnswerTo(ctx, m.Ref, m.Account)
	if err != nil || why != "" {
		return Message{}, why, err
	}
	return Message{Text: render.Answer(locales.For(a.Language), a), ReplyTo: a.ReplyTo}, "", nil
}
