package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// /meeting calls a parent meeting: the class (skipped for a teacher of one),
// the day and time as typed, the place, the agenda. /meetings lists the
// upcoming ones with the families' answers, each with buttons to move it,
// change its place or cancel it; moving and changing the place ask for the
// new value in the same conversation.

const meetingFlowName = "meeting"

// Steps of the meeting conversation: the three of a new meeting, then the
// two changes of an existing one.
const (
	stepWhen   = "when"
	stepPlace  = "place"
	stepAgenda = "agenda"
	stepMove   = "move"
	stepRehome = "rehome"
)

// meetingState is what the meeting conversation has gathered so far.
type meetingState struct {
	Step    string    `json:"step"`
	Class   int64     `json:"class,omitempty"`
	Meeting int64     `json:"meeting,omitempty"` // for a change
	Starts  time.Time `json:"starts,omitzero"`
	Place   string    `json:"place,omitempty"`
}

// noAgenda is what a teacher types for a meeting without an agenda.
const noAgenda = "-"

// meeting answers /meeting.
func (r *request) meeting(ctx context.Context, _ string) error {
	return r.withClass(ctx, r.p.T("meeting_choose_class"), telegram.ButtonMeetingClass, (*request).meetingClass)
}

func (r *request) onMeetingClass(ctx context.Context, args []int64) error {
	return r.onClassButton(ctx, args, (*request).meetingClass)
}

// meetingClass begins a meeting of the class: it asks when.
func (r *request) meetingClass(ctx context.Context, c diary.TeacherClass) error {
	return r.meetingAsk(ctx, meetingState{Step: stepWhen, Class: int64(c.ID)}, "meeting_ask_when", "Class", c.Title)
}

// meetingAsk saves the conversation at its next step and asks for it.
func (r *request) meetingAsk(ctx context.Context, st meetingState, id string, kv ...any) error {
	if err := r.b.store.SetConversation(ctx, r.account.ID, meetingFlowName, st); err != nil {
		return r.fail(ctx, err)
	}
	return r.show(ctx, render.Text(r.p, id, kv...))
}

// meetingFlow takes what the teacher typed at the conversation's step.
func (r *request) meetingFlow(ctx context.Context, state json.RawMessage, text string) error {
	var st meetingState
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("read meeting state: %w", err)
	}
	if st.Step == stepMove || st.Step == stepRehome {
		return r.meetingChange(ctx, st, text)
	}
	c, ok, err := r.teacherClass(ctx, st.Class)
	if !ok {
		return err
	}
	switch st.Step {
	case stepWhen:
		starts, ok, err := r.meetingStart(ctx, text, c.School.Location)
		if !ok {
			return err
		}
		st.Step, st.Starts = stepPlace, starts
		return r.meetingAsk(ctx, st, "meeting_ask_place")
	case stepPlace:
		if err := diary.CheckMeetingPlace(text); err != nil {
			return r.fail(ctx, err)
		}
		st.Step, st.Place = stepAgenda, text
		return r.meetingAsk(ctx, st, "meeting_ask_agenda", "None", noAgenda)
	}
	agenda := strings.TrimSpace(text)
	if agenda == noAgenda {
		agenda = ""
	}
	if err := diary.CheckMeetingAgenda(agenda); err != nil {
		return r.fail(ctx, err)
	}
	id, err := r.b.store.CreateMeeting(ctx, c.Access, diary.NewMeeting{Starts: st.Starts, Place: st.Place,
		Agenda: agenda, Title: r.p.T("meeting_title", "Class", c.Title)})
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return r.fail(ctx, err)
	}
	r.b.log.Info("meeting called", "account", r.account.ID, "meeting", id, "class", c.ID)
	r.noticesDue(ctx)
	return r.say(ctx, render.Text(r.p, "meeting_created", "Class", c.Title,
		"When", render.When(r.p, st.Starts, c.School.Location), "Place", st.Place))
}

// meetingStart reads a typed day and time in the school's zone; when it is
// not one, or not ahead, it says so and returns ok false.
func (r *request) meetingStart(ctx context.Context, text string, loc *time.Location) (time.Time, bool, error) {
	now := r.b.store.Now().In(loc)
	starts, ok := parseWhen(text, now)
	if !ok {
		return time.Time{}, false, r.say(ctx, render.Text(r.p, "meeting_bad_when", "Text", text))
	}
	if err := diary.CheckMeetingStart(now, starts); err != nil {
		return time.Time{}, false, r.fail(ctx, err)
	}
	return starts, true, nil
}

// meetings answers /meetings: a message per upcoming meeting, with answers
// and buttons.
func (r *request) meetings(ctx context.Context, _ string) error {
	list, err := r.b.store.TeacherMeetings(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	if len(list) == 0 {
		return r.say(ctx, r.p.T("meetings_none"))
	}
	for _, m := range list {
		id := m.ID
		kb := []models.InlineKeyboardButton{
			{Text: r.p.T("meeting_move"), CallbackData: r.b.codec.Encode(telegram.ButtonMeetingMove, id)},
			{Text: r.p.T("meeting_rehome"), CallbackData: r.b.codec.Encode(telegram.ButtonMeetingPlace, id)},
			{Text: r.p.T("meeting_cancel"), CallbackData: r.b.codec.Encode(telegram.ButtonMeetingCancel, id, 0)},
		}
		if err := r.say(ctx, render.MeetingCard(r.p, m)+"\n\n"+render.MeetingAnswers(r.p, m.Families), kb); err != nil {
			return err
		}
	}
	return nil
}

func (r *request) onMeetingMove(ctx context.Context, args []int64) error {
	return r.meetingChangeAsk(ctx, args, stepMove, "meeting_ask_move")
}

func (r *request) onMeetingPlace(ctx context.Context, args []int64) error {
	return r.meetingChangeAsk(ctx, args, stepRehome, "meeting_ask_rehome")
}

// meetingChangeAsk starts a change of the meeting a button names: it asks for
// the new time or place as a new message, leaving the meeting's card be.
func (r *request) meetingChangeAsk(ctx context.Context, args []int64, step, prompt string) error {
	if len(args) != 1 {
		return r.outdated(ctx)
	}
	a, err := r.b.store.MeetingAccess(ctx, r.account.ID, args[0])
	if err != nil {
		return r.fail(ctx, err)
	}
	m := a.Meeting
	if err := r.b.store.SetConversation(ctx, r.account.ID, meetingFlowName, meetingState{Step: step, Meeting: m.ID}); err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.MeetingCard(r.p, m)+"\n\n"+r.p.T(prompt))
}

// meetingChange takes the new time or place of a meeting.
func (r *request) meetingChange(ctx context.Context, st meetingState, text string) error {
	a, err := r.b.store.MeetingAccess(ctx, r.account.ID, st.Meeting)
	if err != nil {
		return r.fail(ctx, err)
	}
	m := a.Meeting
	var change diary.MeetingChange
	if st.Step == stepMove {
		starts, ok, err := r.meetingStart(ctx, text, m.School.Location)
		if !ok {
			return err
		}
		change.Starts, m.Starts = starts, starts
	} else {
		if err := diary.CheckMeetingPlace(text); err != nil {
			return r.fail(ctx, err)
		}
		change.Place, m.Place = strings.TrimSpace(text), strings.TrimSpace(text)
	}
	if err := r.b.store.ChangeMeeting(ctx, a, change); err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return r.fail(ctx, err)
	}
	r.b.log.Info("meeting changed", "account", r.account.ID, "meeting", m.ID)
	r.noticesDue(ctx)
	return r.say(ctx, render.MeetingCard(r.p, m)+"\n\n"+r.p.T("meeting_changed"))
}

// onMeetingCancel asks (0), cancels (1) or keeps (2) the meeting.
func (r *request) onMeetingCancel(ctx context.Context, args []int64) error {
	if len(args) != 2 || args[1] < 0 || args[1] > 2 {
		return r.outdated(ctx)
	}
	a, err := r.b.store.MeetingAccess(ctx, r.account.ID, args[0])
	if err != nil {
		return r.fail(ctx, err)
	}
	m := a.Meeting
	switch args[1] {
	case 0:
		return r.show(ctx, render.MeetingCard(r.p, m)+"\n\n"+r.p.T("meeting_cancel_confirm"), []models.InlineKeyboardButton{
			{Text: r.p.T("meeting_cancel_yes"), CallbackData: r.b.codec.Encode(telegram.ButtonMeetingCancel, m.ID, 1)},
			{Text: r.p.T("meeting_cancel_no"), CallbackData: r.b.codec.Encode(telegram.ButtonMeetingCancel, m.ID, 2)},
		})
	case 2:
		return r.show(ctx, render.MeetingCard(r.p, m)+"\n\n"+r.p.T("meeting_kept"))
	}
	if err := r.b.store.CancelMeeting(ctx, a); err != nil {
		return r.fail(ctx, err)
	}
	r.b.log.Info("meeting cancelled", "account", r.account.ID, "meeting", m.ID)
	r.noticesDue(ctx)
	return r.show(ctx, render.MeetingCard(r.p, m)+"\n\n"+r.p.T("meeting_cancelled"))
}
