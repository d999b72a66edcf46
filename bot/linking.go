package bot

import (
	"context"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// start answers /start: with a code (the t.me/bot?start=CODE link) it links;
// without one it greets and says what to do next.
func (r *request) start(ctx context.Context, args string) error {
	if args != "" {
		return r.link(ctx, args)
	}
	if handled, err := r.teacherStart(ctx); handled || err != nil {
		return err
	}
	children, err := r.b.store.Children(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	if len(children) == 0 {
		return r.say(ctx, r.p.T("welcome"))
	}
	return r.say(ctx, r.p.T("welcome_back"), r.shortcuts()...)
}

// linkCommand answers /link CODE.
func (r *request) linkCommand(ctx context.Context, args string) error {
	if args == "" {
		return r.say(ctx, r.p.T("link_how"))
	}
	return r.link(ctx, args)
}

// codeBrake is how long each code check waits while wrong codes flood in.
const codeBrake = 2 * time.Second

// link redeems a one-time code typed, pasted or passed by a deep link. While
// wrong codes flood in from many accounts (diary.CodeFlood a minute), every
// check waits codeBrake first: guessing slows for all, a parent with a real
// code waits two seconds.
func (r *request) link(ctx context.Context, code string) error {
	flood, err := r.b.store.CodeFailuresLastMinute(ctx)
	if err != nil {
		return err
	}
	if flood >= diary.CodeFlood {
		r.b.log.Warn("code check braked: a flood of wrong codes", "wrong_last_minute", flood, "account", r.account.ID)
		if r.b.braked != nil {
			r.b.braked()
		}
		select {
		case <-time.After(codeBrake):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	res, err := r.b.store.Redeem(ctx, r.account.ID, r.userID, code)
	if err != nil {
		return r.fail(ctx, err)
	}
	name := render.ChildName(res.Person)
	switch {
	case res.Again:
		return r.say(ctx, render.Text(r.p, "link_again", "Child", name), r.shortcuts()...)
	case res.Role == diary.RoleTeacher:
		return r.linkedTeacher(ctx, name)
	}
	until := r.p.Date(diary.Date(res.Until.Add(-time.Second), res.Access.School.Location))
	var text string
	switch res.Role {
	case diary.RoleStudent:
		text = render.Text(r.p, "linked_student", "Child", name, "Until", until)
	case diary.RoleTrusted:
		text = render.Text(r.p, "linked_trusted", "Child", name, "Until", until)
	default:
		text = render.Text(r.p, "linked_guardian", "Child", name, "Until", until)
	}
	return r.say(ctx, text, r.shortcuts()...)
}

// children answers /children: the linked pupils, one button each to switch.
func (r *request) children(ctx context.Context, _ string) error {
	children, err := r.b.store.Children(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	if len(children) == 0 {
		return r.say(ctx, r.p.T("no_children"))
	}
	var kb [][]models.InlineKeyboardButton
	for _, c := range children {
		label := render.ChildLabel(c.Pupil, c.Class)
		switch {
		case c.Ended != "":
			label = r.p.T("child_ended", "Child", label)
		case c.Pupil.ID == r.account.ActivePupil:
			label = "✓ " + label
		}
		kb = append(kb, []models.InlineKeyboardButton{{Text: label, CallbackData: r.b.codec.Encode(telegram.ButtonChild, int64(c.Pupil.ID))}})
	}
	return r.show(ctx, r.p.T("children_choose"), kb...)
}

func (r *request) onChildButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	a, err := r.b.store.ChoosePupil(ctx, r.account.ID, diary.PersonID(args[0]))
	if err != nil {
		return r.fail(ctx, err)
	}
	r.account.ActivePupil = a.Pupil.ID
	return r.show(ctx, render.Text(r.p, "child_chosen", "Child", render.ChildName(a.Pupil)), r.shortcuts()...)
}

// share answers /share: who has read access through this guardian, the
// invitations nobody has used yet, a button to withdraw or cancel each, and
// one to make a new invitation.
func (r *request) share(ctx context.Context, _ string) error {
	pupil, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	return r.showSharing(ctx, pupil, "")
}

// showSharing shows the sharing screen, with the link of the invitation
// just made when invite is one.
func (r *request) showSharing(ctx context.Context, pupil pupil, invite string) error {
	sh, err := r.b.store.Sharing(ctx, r.account.ID, pupil.id)
	if err != nil {
		return r.fail(ctx, err)
	}
	link := ""
	if invite != "" {
		link = StartLink(r.b.username, invite)
	}
	text := render.Sharing(r.p, pupil.header, link, len(sh.Trusted), len(sh.Pending))
	var kb [][]models.InlineKeyboardButton
	for i, l := range sh.Trusted {
		kb = append(kb, []models.InlineKeyboardButton{{
			Text:         r.p.T("share_revoke", "N", i+1, "Since", r.p.Date(l.Since)),
			CallbackData: r.b.codec.Encode(telegram.ButtonRevoke, int64(pupil.id), l.LinkID)}})
	}
	for i, inv := range sh.Pending {
		kb = append(kb, []models.InlineKeyboardButton{{
			Text:         r.p.T("share_cancel", "N", i+1, "Until", render.When(r.p, inv.Expires, pupil.access.School.Location)),
			CallbackData: r.b.codec.Encode(telegram.ButtonInviteDrop, int64(pupil.id), inv.ID)}})
	}
	kb = append(kb, []models.InlineKeyboardButton{{Text: r.p.T("share_new"),
		CallbackData: r.b.codec.Encode(telegram.ButtonInvite, int64(pupil.id))}})
	return r.show(ctx, text, kb...)
}

func (r *request) onInviteButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	pupil, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	code, err := r.b.store.Invite(ctx, r.account.ID, pupil.id)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.showSharing(ctx, pupil, code.Code)
}

func (r *request) onRevokeButton(ctx context.Context, args []int64) error {
	return r.onSharingButton(ctx, args, r.b.store.RevokeTrusted, "share_revoked")
}

func (r *request) onInviteDropButton(ctx context.Context, args []int64) error {
	return r.onSharingButton(ctx, args, r.b.store.CancelInvitation, "share_cancelled")
}

// onSharingButton ends what a sharing button names (pupil, then a trusted
// link or an invitation) with end, says done, and shows the screen again.
// What has ended already is done too.
func (r *request) onSharingButton(ctx context.Context, args []int64,
	end func(context.Context, diary.AccountID, diary.PersonID, int64) error, done string) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	pupil, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	if err := end(ctx, r.account.ID, pupil.id, args[1]); err != nil && diary.ErrorCode(err) != diary.ENOTFOUND {
		return r.fail(ctx, err)
	}
	if err := r.answer(ctx, r.p.T(done)); err != nil {
		return err
	}
	return r.showSharing(ctx, pupil, "")
}

// yesNo is a confirmation: kind's button with args and 1, then with 0.
func (r *request) yesNo(yes, kind string, args ...int64) []models.InlineKeyboardButton {
	return []models.InlineKeyboardButton{
		{Text: yes, CallbackData: r.b.codec.Encode(kind, append(args, 1)...)},
		{Text: r.p.T("unlink_no"), CallbackData: r.b.codec.Encode(kind, append(args, 0)...)},
	}
}

// unlink answers /unlink: it asks before it removes the account's link to
// the child, or, in a chat acting as a teacher, the teacher's own link.
func (r *request) unlink(ctx context.Context, _ string) error {
	if r.account.ActingAs == diary.ActingTeacher {
		return r.show(ctx, r.p.T("unlink_teacher_confirm"), r.yesNo(r.p.T("unlink_yes"), telegram.ButtonUnlinkTeacher))
	}
	pupil, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	return r.show(ctx, render.Text(r.p, "unlink_confirm", "Child", pupil.name), r.yesNo(r.p.T("unlink_yes"), telegram.ButtonUnlink, int64(pupil.id)))
}

func (r *request) onUnlinkButton(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	if args[1] == 0 {
		return r.show(ctx, r.p.T("unlink_kept"))
	}
	err := r.b.store.Unlink(ctx, r.account.ID, diary.PersonID(args[0]))
	if err != nil && diary.ErrorCode(err) != diary.ENOTFOUND {
		return r.fail(ctx, err)
	}
	return r.show(ctx, r.p.T("unlink_done"))
}

func (r *request) onUnlinkTeacherButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	if args[0] == 0 {
		return r.show(ctx, r.p.T("unlink_kept"))
	}
	err := r.b.store.UnlinkTeacher(ctx, r.account.ID)
	if err != nil && diary.ErrorCode(err) != diary.ENOTFOUND {
		return r.fail(ctx, err)
	}
	r.account.ActingAs = diary.ActingFamily
	if err := r.setChatMenu(ctx, false); err != nil {
		return err
	}
	return r.show(ctx, r.p.T("unlink_teacher_done"))
}

// forget answers /forget: it says what deleting the account deletes, and
// asks.
func (r *request) forget(ctx context.Context, _ string) error {
	return r.show(ctx, r.p.T("forget_confirm"), r.yesNo(r.p.T("forget_yes"), telegram.ButtonForget))
}

func (r *request) onForgetButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	if args[0] == 0 {
		return r.show(ctx, r.p.T("unlink_kept"))
	}
	f, err := r.b.store.Forget(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.setChatMenu(ctx, false); err != nil {
		return err
	}
	return r.show(ctx, render.Forgotten(r.p, f))
}

// StartLink is the deep link that opens a chat with the bot named username and
// sends it /start CODE: on printed cards, in QR codes and in invitations.
func StartLink(username, code string) string {
	return "https://t.me/" + username + "?start=" + code
}
