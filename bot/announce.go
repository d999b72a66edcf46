package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// /announce: the class (skipped for a teacher of one), who gets it and
// whether it is urgent, the text, then a preview with the number of
// recipients to confirm. The confirmed preview becomes the message the worker
// edits into "delivered N of M".

// announceState is what /announce has gathered so far.
type announceState struct {
	Class    int64  `json:"class"`
	ToPupils bool   `json:"to_pupils,omitempty"`
	Urgent   bool   `json:"urgent,omitempty"`
	Text     string `json:"text,omitempty"`
}

const announceFlowName = "announce"

// announce answers /announce.
func (r *request) announce(ctx context.Context, _ string) error {
	return r.withClass(ctx, r.p.T("announce_choose_class"), telegram.ButtonAnnounceClass, (*request).announceClass)
}

func (r *request) onAnnounceClass(ctx context.Context, args []int64) error {
	return r.onClassButton(ctx, args, (*request).announceClass)
}

// announceClass begins an announcement to the class, to families, not urgent.
func (r *request) announceClass(ctx context.Context, c diary.TeacherClass) error {
	return r.announceOptions(ctx, c, announceState{Class: int64(c.ID)})
}

func (r *request) onAnnounceOption(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.outdated(ctx)
	}
	c, ok, err := r.teacherClass(ctx, args[0])
	if !ok {
		return err
	}
	return r.announceOptions(ctx, c, announceState{Class: args[0], ToPupils: args[1] == 1, Urgent: args[2] == 1})
}

// announceOptions shows the audience and urgency switches and waits for the text.
func (r *request) announceOptions(ctx context.Context, c diary.TeacherClass, st announceState) error {
	if err := r.b.store.SetConversation(ctx, r.account.ID, announceFlowName, st); err != nil {
		return r.fail(ctx, err)
	}
	check := func(on bool) string {
		if on {
			return "✅ "
		}
		return "☐ "
	}
	kb := []models.InlineKeyboardButton{
		{Text: check(st.ToPupils) + r.p.T("announce_pupils_too"),
			CallbackData: r.b.codec.Encode(telegram.ButtonAnnounceOption, st.Class, flag(!st.ToPupils), flag(st.Urgent))},
		{Text: check(st.Urgent) + r.p.T("announce_urgent"),
			CallbackData: r.b.codec.Encode(telegram.ButtonAnnounceOption, st.Class, flag(st.ToPupils), flag(!st.Urgent))},
	}
	return r.show(ctx, render.AnnounceOptions(r.p, c.Title, st.ToPupils, st.Urgent), kb)
}

// flag is a switch as a button argument.
func flag(on bool) int64 {
	if on {
		return 1
	}
	return 0
}

// announceFlow takes the typed text and shows the preview to confirm.
func (r *request) announceFlow(ctx context.Context, state json.RawMessage, text string) error {
	var st announceState
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("read announce state: %w", err)
	}
	c, ok, err := r.teacherClass(ctx, st.Class)
	if !ok {
		return err
	}
	if err := diary.CheckAnnouncement(text); err != nil {
		return r.fail(ctx, err)
	}
	n, err := r.b.store.AnnouncementRecipients(ctx, c.Access, st.ToPupils)
	if err != nil {
		return r.fail(ctx, err)
	}
	st.Text = text
	if err := r.b.store.SetConversation(ctx, r.account.ID, announceFlowName, st); err != nil {
		return r.fail(ctx, err)
	}
	preview := render.AnnouncementPreview(r.p, c.Title, text, st.ToPupils, st.Urgent, n)
	return r.say(ctx, preview, []models.InlineKeyboardButton{
		{Text: r.p.T("announce_send"), CallbackData: r.b.codec.Encode(telegram.ButtonAnnounceSend, st.Class, 1)},
		{Text: r.p.T("announce_cancel"), CallbackData: r.b.codec.Encode(telegram.ButtonAnnounceSend, st.Class, 0)},
	})
}

// onAnnounceSend sends (or drops) the announcement the preview shows: the
// preview turns into the report the worker keeps up to date.
func (r *request) onAnnounceSend(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.outdated(ctx)
	}
	var st announceState
	ok, err := r.flowState(ctx, announceFlowName, &st)
	if err != nil {
		return r.fail(ctx, err)
	}
	if !ok || st.Text == "" || st.Class != args[0] { // sent, cancelled or lapsed already
		return r.outdated(ctx)
	}
	if args[1] != 1 {
		if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
			return r.fail(ctx, err)
		}
		return r.show(ctx, r.p.T("announce_cancelled"))
	}
	c, ok, err := r.teacherClass(ctx, args[0])
	if !ok {
		return err
	}
	n, err := r.b.store.AnnouncementRecipients(ctx, c.Access, st.ToPupils)
	if err != nil {
		return r.fail(ctx, err)
	}
	// Taken first, so a second press of Send, even at the same moment, finds
	// nothing to send.
	taken, err := r.b.store.TakeConversation(ctx, r.account.ID, announceFlowName)
	if err != nil {
		return r.fail(ctx, err)
	}
	if !taken {
		return r.outdated(ctx)
	}
	// Drawn before the notice exists, so that it never overwrites the worker's count.
	report := render.NoticeReport(r.p, diary.Notice{ClassTitle: c.Title, Body: st.Text, FannedOut: true},
		diary.NoticeProgress{Total: n})
	if err := r.show(ctx, report); err != nil {
		return err
	}
	id, err := r.b.store.Announce(ctx, c.Access, diary.Announcement{Body: st.Text, ToPupils: st.ToPupils,
		Urgent: st.Urgent, ReportChat: r.chatID, ReportMessage: int64(r.message.ID)})
	if err != nil {
		return errors.Join(r.show(ctx, r.p.T("announce_failed")), r.fail(ctx, err))
	}
	r.b.log.Info("announcement written", "account", r.account.ID, "notice", id, "class", c.ID)
	r.noticesDue(ctx)
	return r.answer(ctx, r.p.T("announce_sent"))
}
