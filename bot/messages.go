package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// Messages between families and teachers. A family: /write, the child (when
// several, as for every view), the teacher, the text. A teacher: «Ответить»
// under the family's message, then the text; close the thread or mute the
// family with a button; /hours for office hours. The diary decides who may
// write, to whom and how often; the worker delivers through the outbox and
// asks the access rule again at sending.

const (
	writeFlowName  = "write"
	answerFlowName = "answer"
)

// writeState is the family's message under way: to whom, about which child.
type writeState struct {
	Pupil   int64 `json:"pupil"`
	Teacher int64 `json:"teacher"`
}

// answerState is the teacher's answer under way: to which family's message.
type answerState struct {
	Message int64 `json:"message"`
}

// write answers /write: the teachers of the child the account may write to.
func (r *request) write(ctx context.Context, _ string) error {
	pu, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	teachers, err := r.b.store.MessageTeachers(ctx, pu.access)
	if err != nil {
		return r.fail(ctx, err)
	}
	if len(teachers) == 0 {
		return r.say(ctx, render.Text(r.p, "messages_no_teachers", "Child", pu.name))
	}
	kb := make([][]models.InlineKeyboardButton, len(teachers))
	for i, t := range teachers {
		kb[i] = []models.InlineKeyboardButton{{Text: render.MessageTeacher(r.p, t),
			CallbackData: r.b.codec.Encode(telegram.ButtonWriteTeacher, int64(pu.id), int64(t.Teacher.ID))}}
	}
	return r.say(ctx, render.Text(r.p, "messages_choose_teacher", "Child", pu.name), kb...)
}

// onWriteTeacher takes the chosen teacher, checked again, and waits for the text.
func (r *request) onWriteTeacher(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.outdated(ctx)
	}
	pu, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok || err != nil {
		return err
	}
	teachers, err := r.b.store.MessageTeachers(ctx, pu.access)
	if err != nil {
		return r.fail(ctx, err)
	}
	i := slices.IndexFunc(teachers, func(t diary.MessageTeacher) bool { return int64(t.Teacher.ID) == args[1] })
	if i < 0 {
		return r.outdated(ctx)
	}
	t := teachers[i]
	if err := r.b.store.SetConversation(ctx, r.account.ID, writeFlowName, writeState{Pupil: args[0], Teacher: args[1]}); err != nil {
		return r.fail(ctx, err)
	}
	text := render.Text(r.p, "messages_type_text", "Teacher", render.TeacherName(t.Teacher))
	if t.Hours.Set() {
		text += "\n" + render.Text(r.p, "messages_hours_note", "Hours", render.OfficeHours(r.p, t.Hours))
	}
	return r.show(ctx, text)
}

// writeFlow sends the typed text to the teacher.
func (r *request) writeFlow(ctx context.Context, state json.RawMessage, text string) error {
	var st writeState
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("read write state: %w", err)
	}
	pu, ok, err := r.pupilFromButton(ctx, st.Pupil)
	if !ok || err != nil {
		return err
	}
	w, err := r.b.store.WriteToTeacher(ctx, pu.access, diary.PersonID(st.Teacher), text, r.typed)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	r.b.log.Info("message to a teacher written", "account", r.account.ID, "teacher", st.Teacher)
	r.enqueueSends(ctx, w.Pending)
	teacher := render.TeacherName(w.Teacher.Teacher)
	if w.Due.After(r.b.store.Now()) {
		return r.say(ctx, render.Text(r.p, "messages_sent_held", "Teacher", teacher,
			"Hours", render.OfficeHours(r.p, w.Teacher.Hours)))
	}
	return r.say(ctx, render.Text(r.p, "messages_sent", "Teacher", teacher))
}

// enqueueSends hands the planned messages to the worker; if it cannot, the
// worker's sweep finds them.
func (r *request) enqueueSends(ctx context.Context, pending []diary.Pending) {
	if r.b.outbox == nil {
		return
	}
	now := r.b.store.Now()
	for _, m := range pending {
		due := m.Due
		if !due.After(now) {
			due = now
		}
		if err := r.b.outbox.Send(ctx, m.ID, due); err != nil {
			r.b.log.Warn("enqueue a message", "account", r.account.ID, "outbox", m.ID, "err", err)
		}
	}
}

// onThreadReply begins the teacher's answer to the family's message.
func (r *request) onThreadReply(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.outdated(ctx)
	}
	t, err := r.b.store.TeacherThread(ctx, r.account.ID, args[0])
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.SetConversation(ctx, r.account.ID, answerFlowName, answerState{Message: args[0]}); err != nil {
		return r.fail(ctx, err)
	}
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	return r.say(ctx, render.Text(r.p, "messages_type_answer", "Child", render.ChildLabel(t.Pupil, t.Class)))
}

// answerFlow sends the teacher's typed answer to the family.
func (r *request) answerFlow(ctx context.Context, state json.RawMessage, text string) error {
	var st answerState
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("read answer state: %w", err)
	}
	pending, err := r.b.store.AnswerFamily(ctx, r.account.ID, st.Message, text)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	r.b.log.Info("answer to a family written", "account", r.account.ID, "message", st.Message)
	r.enqueueSends(ctx, pending)
	return r.say(ctx, r.p.T("messages_answer_sent"))
}

// onThreadClose closes the thread: the family's next message begins a new one.
func (r *request) onThreadClose(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.outdated(ctx)
	}
	if err := r.b.store.CloseThread(ctx, r.account.ID, args[0]); err != nil {
		return r.fail(ctx, err)
	}
	return r.answerAlert(ctx, r.p.T("messages_closed"))
}

// onThreadMute closes the thread and keeps the child's family from writing
// to the teacher for a week.
func (r *request) onThreadMute(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.outdated(ctx)
	}
	until, err := r.b.store.MuteFamily(ctx, r.account.ID, args[0])
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.answerAlert(ctx, r.p.T("messages_muted", "Until", render.When(r.p, until, until.Location())))
}

// hours answers /hours: without arguments the teacher's office hours and how
// to set them; with them, sets them ("пн-пт 15:00-18:00", "off").
func (r *request) hours(ctx context.Context, args string) error {
	if args == "" {
		h, err := r.b.store.OfficeHoursOf(ctx, r.account.ID)
		if err != nil {
			return r.fail(ctx, err)
		}
		if !h.Set() {
			return r.say(ctx, r.p.T("messages_hours_none"))
		}
		return r.say(ctx, render.Text(r.p, "messages_hours_now", "Hours", render.OfficeHours(r.p, h)))
	}
	h, err := diary.ParseOfficeHours(args)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.SetOfficeHours(ctx, r.account.ID, h); err != nil {
		return r.fail(ctx, err)
	}
	if !h.Set() {
		return r.say(ctx, r.p.T("messages_hours_cleared"))
	}
	return r.say(ctx, render.Text(r.p, "messages_hours_set", "Hours", render.OfficeHours(r.p, h)))
}
