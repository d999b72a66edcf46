package button

import (
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// RSVPRow is the row of a meeting invitation's answers, «Приду» and «Не
// смогу», with the given one (diary.AnswerYes, diary.AnswerNo, or "" for
// none) ticked. The worker sends it under an invitation; the bot redraws it
// when one is pressed.
func (c Codec) RSVPRow(p *locales.Printer, event int64, answer string) []models.InlineKeyboardButton {
	label := func(id, this string) string {
		if answer == this {
			return "✅ " + p.T(id)
		}
		return p.T(id)
	}
	return []models.InlineKeyboardButton{
		{Text: label("notice_rsvp_yes", diary.AnswerYes), CallbackData: c.Encode(RSVP, event, 1)},
		{Text: label("notice_rsvp_no", diary.AnswerNo), CallbackData: c.Encode(RSVP, event, 0)},
	}
}
