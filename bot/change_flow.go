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

// /change: a teacher changes a lesson. The subject class, the day (today or
// tomorrow on buttons, or typed), the lesson of that day, what changes, its
// details (the substitute, the room, the new slot), then a preview to
// confirm. Every step checks again that the teacher teaches the class.

const changeFlowName = "change"

// changeState is where /change is: Step is "date", "kind", "substitute",
// "room", "moved" or "confirm".
type changeState struct {
	lessonFlow
	Date           time.Time
	Period         int
	Kind           diary.ChangeKind
	Substitute     diary.PersonID
	SubstituteName string
	Candidates     []diary.Person // the teachers found by the typed name
	Room           string
	MovedTo        time.Time
	MovedToPeriod  int
}

// change is the lesson change the state describes, for the class.
func (st changeState) change(class diary.ClassID) diary.NewLessonChange {
	return diary.NewLessonChange{LessonRef: diary.LessonRef{Class: class, Date: st.Date, Period: st.Period}, Kind: st.Kind,
		Substitute: st.Substitute, Room: st.Room, MovedTo: st.MovedTo, MovedToPeriod: st.MovedToPeriod}
}

// changeKinds are the kinds a button picks, by value.
var changeKinds = []diary.ChangeKind{diary.ChangeCancelled, diary.ChangeSubstitute, diary.ChangeRoom, diary.ChangeMoved}

// changeCommand answers /change with the teacher's subject classes.
func (r *request) changeCommand(ctx context.Context, _ string) error {
	return r.askSection(ctx, telegram.ButtonChangeClass, r.p.T("change_choose_class"))
}

// onChangeClassButton asks for the day, offering today and tomorrow.
func (r *request) onChangeClassButton(ctx context.Context, args []int64) error {
	c, ok, err := r.classArg(ctx, args)
	if !ok {
		return err
	}
	if err := r.saveChange(ctx, changeState{lessonFlow: lessonFlow{Step: "date", Class: c.ID}}); err != nil {
		return err
	}
	today := r.b.store.Today(c.School)
	kb := []models.InlineKeyboardButton{
		r.dayButton(r.p.T("change_today", "Date", r.p.Date(today)), telegram.ButtonChangeDay, today, int64(c.ID)),
		r.dayButton(r.p.T("change_tomorrow", "Date", r.p.Date(today.AddDate(0, 0, 1))), telegram.ButtonChangeDay, today.AddDate(0, 0, 1), int64(c.ID)),
	}
	return r.show(ctx, render.Text(r.p, "change_ask_date", "Class", c.Title), kb)
}

func (r *request) saveChange(ctx context.Context, st changeState) error {
	return r.b.store.SetConversation(ctx, r.account.ID, changeFlowName, st)
}

// onChangeDayButton takes the day on the button.
func (r *request) onChangeDayButton(ctx context.Context, args []int64) error {
	st, c, ok, err := flowStep[changeState](ctx, r, changeFlowName, "date", args, 2)
	if !ok {
		return err
	}
	return r.changeDay(ctx, c, st, telegram.ArgDate(args[1]))
}

// changeDay offers the class's lessons of the day.
func (r *request) changeDay(ctx context.Context, c diary.TeacherClass, st changeState, day time.Time) error {
	if err := diary.CheckChangeDate(r.b.store.Today(c.School), day); err != nil {
		return r.fail(ctx, err)
	}
	lessons, err := r.b.store.ClassLessons(ctx, c.Access, day)
	if err != nil {
		return r.fail(ctx, err)
	}
	var kb [][]models.InlineKeyboardButton
	for _, l := range lessons {
		if l.Change != nil && !l.Change.MovedFrom.IsZero() {
			continue // moved in: it is changed where it came from
		}
		kb = append(kb, []models.InlineKeyboardButton{r.dayButton(render.LessonLabel(l, l.Subject), telegram.ButtonChangeLesson, day,
			int64(c.ID), int64(l.Period))})
	}
	if len(kb) == 0 {
		return r.answerAlertOrSay(ctx, r.p.T("change_no_lessons", "Date", r.p.Date(day)))
	}
	st.Step, st.Date = "kind", day
	if err := r.saveChange(ctx, st); err != nil {
		return err
	}
	return r.show(ctx, render.Text(r.p, "change_ask_lesson", "Class", c.Title, "Date", r.p.Date(day)), kb...)
}

// onChangeLessonButton takes the lesson and asks what changes.
func (r *request) onChangeLessonButton(ctx context.Context, args []int64) error {
	st, c, ok, err := flowStep[changeState](ctx, r, changeFlowName, "kind", args, 3)
	if !ok {
		return err
	}
	if !st.Date.Equal(telegram.ArgDate(args[2])) {
		return r.outdated(ctx)
	}
	st.Period = int(args[1])
	if err := r.saveChange(ctx, st); err != nil {
		return err
	}
	var kb [][]models.InlineKeyboardButton
	for i, kind := range changeKinds {
		b := models.InlineKeyboardButton{Text: r.p.T("change_kind_" + string(kind)),
			CallbackData: r.b.codec.Encode(telegram.ButtonChangeKind, int64(c.ID), int64(i))}
		if i%2 == 0 {
			kb = append(kb, []models.InlineKeyboardButton{b})
		} else {
			kb[len(kb)-1] = append(kb[len(kb)-1], b)
		}
	}
	return r.show(ctx, render.Text(r.p, "change_ask_kind", "Class", c.Title, "Date", r.p.Date(st.Date),
		"Period", st.Period), kb...)
}

// onChangeKindButton takes what changes and asks for its details.
func (r *request) onChangeKindButton(ctx context.Context, args []int64) error {
	st, c, ok, err := flowStep[changeState](ctx, r, changeFlowName, "kind", args, 2)
	if !ok {
		return err
	}
	if st.Period == 0 || args[1] < 0 || args[1] >= int64(len(changeKinds)) {
		return r.outdated(ctx)
	}
	st.Kind = changeKinds[args[1]]
	if st.Kind == diary.ChangeCancelled {
		return r.confirmChange(ctx, c, st)
	}
	st.Step = map[diary.ChangeKind]string{diary.ChangeSubstitute: "substitute", diary.ChangeRoom: "room", diary.ChangeMoved: "moved"}[st.Kind]
	if err := r.saveChange(ctx, st); err != nil {
		return err
	}
	return r.show(ctx, r.p.T("change_ask_"+st.Step))
}

// changeFlow takes what the teacher types at a step of /change.
func (r *request) changeFlow(ctx context.Context, raw json.RawMessage, text string) error {
	st, c, ok, err := typedStep[changeState](ctx, r, raw)
	if !ok {
		return err
	}
	today := r.b.store.Today(c.School)
	switch st.Step {
	case "date":
		day, ok := parseDay(text, today)
		if !ok {
			return r.say(ctx, r.p.T("lessons_day_not_understood"))
		}
		return r.changeDay(ctx, c, st, day)
	case "substitute":
		return r.findSubstitute(ctx, c, st, text)
	case "room":
		if err := diary.CheckRoom(text); err != nil {
			return r.fail(ctx, err)
		}
		st.Room = text
		return r.confirmChange(ctx, c, st)
	case "moved":
		day, period, ok := parseSlot(text, today)
		if !ok {
			return r.say(ctx, r.p.T("change_slot_not_understood"))
		}
		if err := diary.CheckMove(today, day, period); err != nil {
			return r.fail(ctx, err)
		}
		st.MovedTo, st.MovedToPeriod = day, period
		return r.confirmChange(ctx, c, st)
	}
	return r.say(ctx, r.p.T("lessons_use_buttons"))
}

// findSubstitute looks the typed name up among the school's teachers: one
// found is taken, several are offered as buttons.
func (r *request) findSubstitute(ctx context.Context, c diary.TeacherClass, st changeState, name string) error {
	found, err := r.b.store.FindTeachers(ctx, c.Access, name)
	switch {
	case err != nil:
		return r.fail(ctx, err)
	case len(found) == 0:
		return r.say(ctx, r.p.T("change_no_teacher"))
	case len(found) == 1:
		return r.pickSubstitute(ctx, c, st, found[0])
	}
	st.Candidates = found
	if err := r.saveChange(ctx, st); err != nil {
		return err
	}
	var kb [][]models.InlineKeyboardButton
	for _, t := range found {
		kb = append(kb, []models.InlineKeyboardButton{{Text: render.TeacherName(t),
			CallbackData: r.b.codec.Encode(telegram.ButtonChangeSubstitute, int64(c.ID), int64(t.ID))}})
	}
	return r.say(ctx, r.p.T("change_pick_teacher"), kb...)
}

// onChangeSubstituteButton takes one of the teachers found.
func (r *request) onChangeSubstituteButton(ctx context.Context, args []int64) error {
	st, c, ok, err := flowStep[changeState](ctx, r, changeFlowName, "substitute", args, 2)
	if !ok {
		return err
	}
	for _, t := range st.Candidates {
		if int64(t.ID) == args[1] {
			return r.pickSubstitute(ctx, c, st, t)
		}
	}
	return r.outdated(ctx)
}

func (r *request) pickSubstitute(ctx context.Context, c diary.TeacherClass, st changeState, t diary.Person) error {
	st.Substitute, st.SubstituteName, st.Candidates = t.ID, render.TeacherName(t), nil
	return r.confirmChange(ctx, c, st)
}

// confirmChange shows the change to confirm.
func (r *request) confirmChange(ctx context.Context, c diary.TeacherClass, st changeState) error {
	st.Step = "confirm"
	if err := r.saveChange(ctx, st); err != nil {
		return err
	}
	return r.show(ctx, render.ChangePreview(r.p, c.Title, st.change(c.ID), st.SubstituteName),
		r.saveButtons(telegram.ButtonChangeSave, c.ID))
}

// onChangeSaveButton saves the change previewed, or drops it.
func (r *request) onChangeSaveButton(ctx context.Context, args []int64) error {
	st, c, ok, err := saveStep[changeState](ctx, r, changeFlowName, args)
	if !ok {
		return err
	}
	added, err := r.b.store.AddLessonChange(ctx, c.Access, st.change(c.ID))
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.finishFlow(ctx, added.Notified, "change_saved_told", "change_saved_later",
		"Class", c.Title, "Date", r.p.Date(st.Date), "Period", st.Period)
}
