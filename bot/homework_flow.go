package bot

import (
	"context"
	"encoding/json"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// /hw: a teacher sets homework. The subject class (a button), the due date (the
// next lesson's on a button, or typed), the text, then a preview to confirm.
// Every step checks again that the teacher teaches the class.

const homeworkFlowName = "hw"

// homeworkState is where /hw is: Step is "date", "text" or "confirm".
type homeworkState struct {
	lessonFlow
	Due  time.Time
	Text string
}

// homeworkCommand answers /hw with the teacher's subject classes.
func (r *request) homeworkCommand(ctx context.Context, _ string) error {
	return r.askSection(ctx, telegram.ButtonHomeworkClass, r.p.T("hw_choose_class"))
}

// onHomeworkClassButton asks for the due date, offering the next lesson's.
func (r *request) onHomeworkClassButton(ctx context.Context, args []int64) error {
	c, ok, err := r.classArg(ctx, args)
	if !ok {
		return err
	}
	var kb [][]models.InlineKeyboardButton
	next, err := r.b.store.NextLesson(ctx, c.Access)
	switch diary.ErrorCode(err) {
	case "":
		kb = append(kb, []models.InlineKeyboardButton{
			r.dayButton(r.p.T("hw_due_next", "Date", r.p.Date(next)), telegram.ButtonHomeworkDue, next, int64(c.ID))})
	case diary.ENOTFOUND: // no lesson for weeks: the date is typed
	default:
		return r.fail(ctx, err)
	}
	st := homeworkState{lessonFlow: lessonFlow{Step: "date", Class: c.ID}}
	if err := r.b.store.SetConversation(ctx, r.account.ID, homeworkFlowName, st); err != nil {
		return err
	}
	return r.show(ctx, render.Text(r.p, "hw_ask_due", "Class", c.Title), kb...)
}

// onHomeworkDueButton takes the due date on the button.
func (r *request) onHomeworkDueButton(ctx context.Context, args []int64) error {
	st, c, ok, err := flowStep[homeworkState](ctx, r, homeworkFlowName, "date", args, 2)
	if !ok {
		return err
	}
	return r.homeworkDue(ctx, c, st, telegram.ArgDate(args[1]))
}

// homeworkFlow takes what the teacher types at each step of /hw.
func (r *request) homeworkFlow(ctx context.Context, raw json.RawMessage, text string) error {
	st, c, ok, err := typedStep[homeworkState](ctx, r, raw)
	if !ok {
		return err
	}
	if st.Step == "date" {
		due, ok := parseDay(text, r.b.store.Today(c.School))
		if !ok {
			return r.say(ctx, r.p.T("lessons_day_not_understood"))
		}
		return r.homeworkDue(ctx, c, st, due)
	}
	if err := diary.CheckHomeworkText(text); err != nil {
		return r.fail(ctx, err)
	}
	st.Step, st.Text = "confirm", text
	if err := r.b.store.SetConversation(ctx, r.account.ID, homeworkFlowName, st); err != nil {
		return err
	}
	return r.say(ctx, render.HomeworkPreview(r.p, c.Title, st.Due, text), r.saveButtons(telegram.ButtonHomeworkSave, c.ID))
}

// homeworkDue checks the due date and asks for the text.
func (r *request) homeworkDue(ctx context.Context, c diary.TeacherClass, st homeworkState, due time.Time) error {
	if err := diary.CheckHomeworkDue(r.b.store.Today(c.School), due); err != nil {
		return r.fail(ctx, err)
	}
	st.Step, st.Due = "text", due
	if err := r.b.store.SetConversation(ctx, r.account.ID, homeworkFlowName, st); err != nil {
		return err
	}
	return r.show(ctx, render.Text(r.p, "hw_ask_text", "Class", c.Title, "Date", r.p.Date(due)))
}

// onHomeworkSaveButton saves the homework previewed, or drops it.
func (r *request) onHomeworkSaveButton(ctx context.Context, args []int64) error {
	st, c, ok, err := saveStep[homeworkState](ctx, r, homeworkFlowName, args)
	if !ok {
		return err
	}
	added, err := r.b.store.AddHomework(ctx, c.Access, diary.NewHomework{Due: st.Due, Text: st.Text})
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.finishFlow(ctx, added.Notified, "hw_saved_told", "hw_saved_later",
		"Class", c.Title, "Date", r.p.Date(added.Due))
}
