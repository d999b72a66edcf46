package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// What the lesson commands (/marks, /hw, /change) share: finding the
// teacher's classes, re-checking one on every step, and labels of lessons.

// teacherClasses returns the classes of the teacher linked to the account; a
// person who is not a teacher is told the command is for teachers (ok false).
func (r *request) teacherClasses(ctx context.Context) (classes []diary.TeacherClass, ok bool, err error) {
	_, classes, err = r.b.store.TeacherClasses(ctx, r.account.ID)
	if err != nil {
		return nil, false, r.fail(ctx, err)
	}
	return classes, true, nil
}

// teacherClass re-checks that the account's teacher teaches the class and
// returns it, with its title and school, for a step of a flow.
func (r *request) teacherClass(ctx context.Context, id int64) (diary.TeacherClass, bool, error) {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return diary.TeacherClass{}, false, err
	}
	for _, c := range classes {
		if int64(c.ID) == id {
			return c, true, nil
		}
	}
	return diary.TeacherClass{}, false, r.answerAlertOrSay(ctx, r.p.T("lessons_not_yours"))
}

// classArg re-checks the class a button of one argument names.
func (r *request) classArg(ctx context.Context, args []int64) (diary.TeacherClass, bool, error) {
	if len(args) != 1 {
		return diary.TeacherClass{}, false, r.outdated(ctx)
	}
	return r.teacherClass(ctx, args[0])
}

// saveButtons are the save and cancel buttons under a preview: kind with the
// class and 1 to save, 0 to drop.
func (r *request) saveButtons(kind string, class diary.ClassID) []models.InlineKeyboardButton {
	return []models.InlineKeyboardButton{
		{Text: r.p.T("lessons_save"), CallbackData: r.b.codec.Encode(kind, int64(class), 1)},
		{Text: r.p.T("lessons_drop"), CallbackData: r.b.codec.Encode(kind, int64(class), 0)},
	}
}

// dropFlow answers the cancel button under a preview: the conversation ends.
func (r *request) dropFlow(ctx context.Context) error {
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	return r.show(ctx, r.p.T("cancelled"))
}

// finishFlow ends the conversation once what it prepared is saved, and says
// so: told when a notice went out with it (its fan-out started now), later
// when not.
func (r *request) finishFlow(ctx context.Context, notified bool, told, later string, kv ...any) error {
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	if !notified {
		return r.show(ctx, render.Text(r.p, later, kv...))
	}
	r.noticesDue(ctx)
	return r.show(ctx, render.Text(r.p, told, kv...))
}

// askSection starts a flow by asking which subject class it is for: homework
// and lesson changes belong to a subject class, not to a homeroom, which has no
// lessons of its own even when an import gives it a subject (from its course).
func (r *request) askSection(ctx context.Context, kind, prompt string) error {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return err
	}
	sections := slices.DeleteFunc(classes, func(c diary.TeacherClass) bool { return c.Homeroom || c.Subject == "" })
	if len(sections) == 0 {
		return r.say(ctx, r.p.T("lessons_no_sections"))
	}
	return r.chooseClass(ctx, prompt, kind, sections)
}

// flowState reads the state a flow saved, if the account's conversation is
// that flow; ok is false for another flow or none (a stale button).
func (r *request) flowState(ctx context.Context, flow string, state any) (ok bool, err error) {
	conv, found, err := r.b.store.Conversation(ctx, r.account.ID)
	if err != nil || !found || conv.Flow != flow {
		return false, err
	}
	return true, decodeState(conv.State, state)
}

// lessonFlow is where a lesson flow (/hw, /change) is: its step and its
// class. The state of each flow embeds it.
type lessonFlow struct {
	Step  string
	Class diary.ClassID
}

func (f lessonFlow) at() lessonFlow { return f }

// flowStep reads the state of a lesson flow for a button pressed at step, with
// n arguments of which the first is the class, and re-checks the class; ok is
// false (and the person told) for a stale button or a class the teacher does
// not teach.
func flowStep[S interface{ at() lessonFlow }](ctx context.Context, r *request, flow, step string, args []int64, n int) (
	st S, c diary.TeacherClass, ok bool, err error) {
	if len(args) != n {
		return st, c, false, r.outdated(ctx)
	}
	class := args[0]
	found, err := r.flowState(ctx, flow, &st)
	if err != nil {
		return st, c, false, err
	}
	if at := st.at(); !found || at.Step != step || int64(at.Class) != class {
		return st, c, false, r.outdated(ctx)
	}
	c, ok, err = r.teacherClass(ctx, class)
	return st, c, ok, err
}

// typedStep reads the state a lesson flow saved, for the text typed at its
// step, and re-checks the class.
func typedStep[S interface{ at() lessonFlow }](ctx context.Context, r *request, raw json.RawMessage) (
	st S, c diary.TeacherClass, ok bool, err error) {
	if err = decodeState(raw, &st); err != nil {
		return st, c, false, err
	}
	c, ok, err = r.teacherClass(ctx, int64(st.at().Class))
	return st, c, ok, err
}

// saveStep reads the state of a lesson flow for the save or cancel button
// under its preview (class, 1 to save / 0 to drop); ok is false when the press
// is answered already: a stale button, a class not the teacher's, or a cancel.
func saveStep[S interface{ at() lessonFlow }](ctx context.Context, r *request, flow string, args []int64) (
	st S, c diary.TeacherClass, ok bool, err error) {
	st, c, ok, err = flowStep[S](ctx, r, flow, "confirm", args, 2)
	if !ok {
		return st, c, ok, err
	}
	if args[1] != 1 {
		return st, c, false, r.dropFlow(ctx)
	}
	// Taken before the save, so that of two presses of Save, even at one
	// moment, one saves and the other finds the button outdated.
	taken, err := r.b.store.TakeConversation(ctx, r.account.ID, flow)
	if err != nil {
		return st, c, false, r.fail(ctx, err)
	}
	if !taken {
		return st, c, false, r.outdated(ctx)
	}
	return st, c, true, nil
}

// decodeState reads a flow's saved state.
func decodeState(raw json.RawMessage, state any) error {
	if err := json.Unmarshal(raw, state); err != nil {
		return fmt.Errorf("read conversation state: %w", err)
	}
	return nil
}

// noticesDue starts the fan-out of the notice just written, if the bot can.
func (r *request) noticesDue(ctx context.Context) {
	if r.b.notices == nil {
		return
	}
	if err := r.b.notices.NoticesDue(ctx); err != nil {
		// The scheduler starts it within a minute anyway.
		r.b.log.Warn("start notice fan-out", "account", r.account.ID, "err", err)
	}
}

// dayButton is a button with a date's label pressing kind with args and the date.
func (r *request) dayButton(label string, kind string, day time.Time, args ...int64) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: label, CallbackData: r.b.codec.Encode(kind, append(args, telegram.DateArg(day))...)}
}

// outdated answers a press of a button that no longer fits.
func (r *request) outdated(ctx context.Context) error {
	return r.answerAlertOrSay(ctx, r.p.T("button_outdated"))
}
