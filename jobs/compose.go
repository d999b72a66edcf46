package jobs

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// compose renders an outbox message from the diary as it is now, in the
// recipient's language now, after asking the access rule whether the
// recipient may still see what it is about. A message that must not go out
// comes back as the reason to drop it (diary.Drop…).
func (w *Worker) compose(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	switch m.Kind {
	case diary.MessageNotice:
		return w.composeNotice(ctx, m)
	case diary.MessageDigest:
		return w.composeDigest(ctx, m)
	case diary.MessageWeekly:
		return w.composeWeekly(ctx, m)
	case diary.MessageReminder:
		return w.composeReminder(ctx, m)
	case diary.MessageRevoked:
		return w.composeRevoked(ctx, m)
	case diary.MessageQuestion:
		return w.composeQuestion(ctx, m)
	case diary.MessageAnswer:
		return w.composeAnswer(ctx, m)
	}
	return Message{}, "", fmt.Errorf("outbox message %d of unknown kind %q: %w", m.ID, m.Kind, asynq.SkipRetry)
}

func (w *Worker) composeNotice(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	n, err := w.store.LoadNotice(ctx, m.Ref)
	switch {
	case diary.ErrorCode(err) == diary.ENOTFOUND:
		return Message{}, diary.DropGone, nil
	case err != nil:
		return Message{}, "", err
	case n.Gone || n.Kind == diary.NoticeMeeting && n.Action != diary.ActionCancelled && n.Event.Cancelled:
		return Message{}, diary.DropGone, nil
	}
	r, why, err := w.store.NoticeTo(ctx, n, m.Account)
	if err != nil || why != "" {
		return Message{}, why, err
	}
	p := locales.For(r.Language)
	// A grade, mark or remark names the child for the family, not for the pupil themself.
	child := ""
	if n.Pupil.ID != 0 && r.Children[0].Role != diary.RoleStudent {
		child = render.ChildName(n.Pupil)
	}
	var kb [][]models.InlineKeyboardButton
	if n.Kind == diary.NoticeMeeting && n.Action != diary.ActionCancelled && answers(r.Children) {
		kb = append(kb, w.buttons.RSVPRow(p, n.Event.ID, ""))
	}
	if stop := w.buttons.StopRow(p, n.Kind); stop != nil {
		kb = append(kb, stop)
	}
	return Message{Text: render.Notice(p, n, child), Keyboard: keyboard(kb)}, "", nil
}

// composeRevoked tells a person the school ended their link. It asks no
// access rule: the person had the link, and the message is about its end.
func (w *Worker) composeRevoked(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	l, err := w.store.LinkEndedBySchool(ctx, m.Account, m.Ref)
	switch {
	case diary.ErrorCode(err) == diary.ENOTFOUND:
		return Message{}, diary.DropGone, nil
	case err != nil:
		return Message{}, "", err
	}
	return Message{Text: render.LinkRevoked(locales.For(m.Language), l)}, "", nil
}

// digestOf is the account's digest for the instant the message is about, as
// the diary holds it now; when the account may see no child any more, the
// reason to drop the message instead.
func (w *Worker) digestOf(ctx context.Context, m diary.OutboxMessage) (diary.Digest, string, error) {
	digests, err := w.store.Digests(ctx, []diary.AccountID{m.Account}, m.About)
	switch {
	case err != nil:
		return diary.Digest{}, "", err
	case len(digests) == 0:
		return diary.Digest{}, diary.DropNoAccess, nil
	}
	return digests[0], "", nil
}

func (w *Worker) composeDigest(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	d, why, err := w.digestOf(ctx, m)
	if err != nil || why != "" {
		return Message{}, why, err
	}
	text, empty := render.Digest(locales.For(d.Language), d)
	if empty && !d.Settings.DigestWhenEmpty {
		return Message{}, diary.DropEmpty, nil
	}
	return Message{Text: text}, "", nil
}

// composeWeekly is the weekly summary, with a sign button for each child whose
// week the guardian has not signed, and a button per child to their grades.
func (w *Worker) composeWeekly(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	summaries, err := w.store.WeeklySummaries(ctx, []diary.AccountID{m.Account}, m.About)
	switch {
	case err != nil:
		return Message{}, "", err
	case len(summaries) == 0 || len(summaries[0].Children) == 0:
		return Message{}, diary.DropNoAccess, nil
	case !summaries[0].Settings.WeeklySummary:
		return Message{}, diary.DropSwitchedOff, nil
	}
	ws := summaries[0]
	p := locales.For(ws.Language)
	text, unsigned := render.Weekly(p, ws)
	var kb [][]models.InlineKeyboardButton
	for _, c := range ws.Children {
		if slices.Contains(unsigned, c.Pupil.ID) {
			label := p.T("weekly_sign_button", "Child", render.ChildLabel(c.Pupil, c.Class))
			kb = append(kb, []models.InlineKeyboardButton{w.buttons.SignButton(label, c.Pupil.ID, c.Monday)})
		}
	}
	// The term's grades, each subject's page a tap away, and the chart of each
	// subject graded this week, three to a row: a picture is sent when asked
	// for, not one per subject every Sunday.
	for _, c := range ws.Children {
		label := p.T("grades_weekly_button", "Child", render.ChildLabel(c.Pupil, c.Class))
		kb = append(kb, []models.InlineKeyboardButton{w.buttons.GradesButton(label, c.Pupil.ID, c.Monday)})
		var charts []models.InlineKeyboardButton
		for _, s := range c.Subjects {
			label := p.T("grades_weekly_chart_button", "Subject", s.Subject)
			charts = append(charts, w.buttons.WeeklyChartButton(label, c.Pupil.ID, s.Class, c.Monday))
		}
		kb = append(kb, slices.Collect(slices.Chunk(charts, 3))...)
	}
	return Message{Text: text, Keyboard: keyboard(kb)}, "", nil
}

// composeReminder reminds of an event tomorrow a child of the account is
// invited to, unless the person said they will not come. A meeting not yet
// answered carries the RSVP buttons.
func (w *Worker) composeReminder(ctx context.Context, m diary.OutboxMessage) (Message, string, error) {
	d, why, err := w.digestOf(ctx, m)
	switch {
	case err != nil || why != "":
		return Message{}, why, err
	case !d.Settings.Reminders:
		return Message{}, diary.DropSwitchedOff, nil
	}
	for _, c := range d.Children {
		for _, e := range c.Events {
			if e.ID != m.Ref {
				continue
			}
			switch {
			case e.Cancelled:
				return Message{}, diary.DropGone, nil
			case e.Answer == diary.AnswerNo:
				return Message{}, diary.DropDeclined, nil
			}
			p := locales.For(d.Language)
			msg := Message{Text: render.Reminder(p, e, c.School.Location)}
			if e.Kind == "meeting" && e.Answer == "" && c.Role == diary.RoleGuardian {
				msg.Keyboard = keyboard([][]models.InlineKeyboardButton{w.buttons.RSVPRow(p, e.ID, "")})
			}
			return msg, "", nil
		}
	}
	return Message{}, diary.DropNoAccess, nil
}

// answers tells whether the account answers meeting invitations for one of
// the children: as their guardian. A trusted person gets no RSVP buttons.
func answers(children []diary.PupilAccess) bool {
	return slices.ContainsFunc(children, func(c diary.PupilAccess) bool { return c.Role == diary.RoleGuardian })
}

// keyboard is an inline keyboard of the rows, nil for none: a nil pointer in
// the request's interface would be sent as a keyboard.
func keyboard(rows [][]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}
