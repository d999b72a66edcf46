package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// sendReminders reminds the account, at its digest time, of each event its
// children are invited to that starts tomorrow in the school's zone: a message
// of its own, once per event, unless the person said they will not come. A
// meeting not yet answered carries the RSVP buttons.
func (w *Worker) sendReminders(ctx context.Context, d diary.Digest, at time.Time) error {
	if !d.Settings.Reminders {
		return nil
	}
	p := locales.For(d.Language)
	seen := map[int64]bool{}
	for _, c := range d.Children {
		loc := c.School.Location
		tomorrow := c.Today.AddDate(0, 0, 1)
		for _, e := range c.Events {
			if seen[e.ID] || e.Cancelled || e.Answer == diary.AnswerNo || !diary.Date(e.Starts, loc).Equal(tomorrow) {
				continue
			}
			seen[e.ID] = true
			m := Message{
				Delivery: diary.Delivery{Key: fmt.Sprintf("reminder:%d:%d", e.ID, d.Account), Kind: "reminder", RefID: e.ID,
					Account: d.Account, ChatID: d.ChatID},
				Text: render.Reminder(p, e, loc),
			}
			if e.Kind == "meeting" && e.Answer == "" {
				m.Keyboard = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{w.buttons.RSVPRow(p, e.ID, "")}}
			}
			if err := w.enqueueHeld(ctx, m, at, d.Settings, loc); err != nil {
				return err
			}
		}
	}
	return nil
}
