package bot

import (
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/telegram"
)

// The buttons under what the worker sends: a meeting invitation's answers and
// "stop these".

// onRSVPButton stores the answer to a meeting invitation and marks it on the
// buttons. The diary checks that the account is invited; a guessed or
// tampered event id is refused like any other.
func (r *request) onRSVPButton(ctx context.Context, args []int64) error {
	if len(args) != 2 || args[1] < 0 || args[1] > 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	event, yes := args[0], args[1] == 1
	if err := r.b.store.AnswerMeeting(ctx, r.account.ID, event, yes); err != nil {
		return r.fail(ctx, err)
	}
	saved := "rsvp_saved_no"
	if yes {
		saved = "rsvp_saved_yes"
	}
	if err := r.answer(ctx, r.p.T(saved)); err != nil {
		return err
	}
	return r.markAnswer(ctx, event, yes)
}

// markAnswer redraws the invitation's buttons with the answer ticked.
func (r *request) markAnswer(ctx context.Context, event int64, yes bool) error {
	answer := diary.AnswerNo
	if yes {
		answer = diary.AnswerYes
	}
	kb := [][]models.InlineKeyboardButton{r.b.codec.RSVPRow(r.p, event, answer)}
	if m := r.message.ReplyMarkup; m != nil { // keep the rows under the answers ("stop these")
		for _, row := range m.InlineKeyboard {
			if len(row) > 0 && !r.isRSVPRow(row) {
				kb = append(kb, row)
			}
		}
	}
	_, err := r.b.client.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: r.chatID,
		MessageID: r.message.ID, ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: kb}})
	if err != nil && !telegram.NotModified(err) { // the same answer twice
		return fmt.Errorf("mark answer: %w", err)
	}
	return nil
}

func (r *request) isRSVPRow(row []models.InlineKeyboardButton) bool {
	cb, err := r.b.codec.Decode(row[0].CallbackData)
	return err == nil && cb.Kind == telegram.ButtonRSVP
}

// onStopButton turns off the kind of notice the button was under.
func (r *request) onStopButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	st := r.account.Settings
	sw := switchOf(&st, args[0])
	if sw == nil {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	*sw = false
	if err := r.b.store.SaveSettings(ctx, r.account.ID, st); err != nil {
		return r.fail(ctx, err)
	}
	r.account.Settings = st
	return r.answerAlert(ctx, r.p.T("stop_done"))
}
