package telegram

import (
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/locales"
)

// ThreadRows are the teacher's buttons under a family's message: answer it,
// close the thread, mute the family for a week. The bot checks on each press
// that the thread is the pressing teacher's and still open.
func (c Codec) ThreadRows(p *locales.Printer, message, thread int64) [][]models.InlineKeyboardButton {
	return [][]models.InlineKeyboardButton{
		{{Text: p.T("messages_reply_button"), CallbackData: c.Encode(ButtonThreadReply, message)}},
		{
			{Text: p.T("messages_close_button"), CallbackData: c.Encode(ButtonThreadClose, thread)},
			{Text: p.T("messages_mute_button"), CallbackData: c.Encode(ButtonThreadMute, thread)},
		},
	}
}
