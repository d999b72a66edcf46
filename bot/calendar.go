package bot

import (
	"context"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// Calendars is an account's private calendar address: made, replaced, and
// when it was made (the address itself is kept only as a hash).
type Calendars interface {
	NewCalendarToken(ctx context.Context, account diary.AccountID) (string, error)
	CalendarTokenMade(ctx context.Context, account diary.AccountID) (made time.Time, ok bool, err error)
}

// calendar answers /calendar: the first time, a new private feed address;
// after that, when it was given, since it cannot be shown again. Either way
// one button replaces it.
func (r *request) calendar(ctx context.Context, _ string) error {
	child, ok, err := r.calendarChild(ctx)
	if !ok {
		return err
	}
	made, ok, err := r.b.store.CalendarTokenMade(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	if !ok {
		return r.giveCalendar(ctx, r.p.T("calendar_intro"))
	}
	when := r.p.Date(diary.Date(made, child.School.Location))
	return r.show(ctx, r.p.T("calendar_intro")+"\n\n"+render.Text(r.p, "calendar_exists", "Date", when), r.calendarButton())
}

// onCalendarNewButton makes a new address; the old one answers 404 from now on.
func (r *request) onCalendarNewButton(ctx context.Context, args []int64) error {
	if len(args) != 0 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	if _, ok, err := r.calendarChild(ctx); !ok {
		return err
	}
	return r.giveCalendar(ctx, r.p.T("calendar_replaced"))
}

// calendarChild checks that calendars are on and that the account sees a
// child now (a feed without one answers 404), saying why not (ok false).
// The access it returns is the first child's: its school's zone dates what
// the bot says.
func (r *request) calendarChild(ctx context.Context) (diary.PupilAccess, bool, error) {
	if r.b.calendar == "" {
		return diary.PupilAccess{}, false, r.say(ctx, r.p.T("calendar_off"))
	}
	children, err := r.linkedChildren(ctx)
	if err != nil {
		return diary.PupilAccess{}, false, r.fail(ctx, err)
	}
	live := liveChildren(children)
	switch {
	case len(live) == 0 && len(children) == 0:
		return diary.PupilAccess{}, false, r.say(ctx, r.p.T("no_children"))
	case len(live) == 0:
		return diary.PupilAccess{}, false, r.say(ctx, render.Text(r.p, "access_ended", "Child", render.ChildName(children[0].Pupil)))
	}
	return live[0].Access, true, nil
}

// giveCalendar makes the account a new address and shows it after lead.
func (r *request) giveCalendar(ctx context.Context, lead string) error {
	token, err := r.b.store.NewCalendarToken(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	address := r.b.calendar + token + ".ics"
	return r.show(ctx, lead+"\n\n"+render.Text(r.p, "calendar_address", "URL", address), r.calendarButton())
}

func (r *request) calendarButton() []models.InlineKeyboardButton {
	return []models.InlineKeyboardButton{{Text: r.p.T("calendar_new"), CallbackData: r.b.codec.Encode(telegram.ButtonCalendarNew)}}
}
