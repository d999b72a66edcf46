package render

import (
	"cmp"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// reasonMessage is what a person reads for a reason the diary refused:
// the message, filled in with the error's Args; a plural message is counted
// by the Arg named count.
type reasonMessage struct {
	id    string
	count string
}

// reasonMessages maps every reason of the diary to its message; the edges
// know no limit and no rule of their own (TestEveryReasonHasAMessage).
var reasonMessages = map[diary.Reason]reasonMessage{
	diary.ReasonCodeWrong:   {id: "code_wrong"},
	diary.ReasonCodeUsed:    {id: "code_used"},
	diary.ReasonCodeExpired: {id: "code_expired"},
	diary.ReasonCodeLocked:  {id: "code_locked", count: "Count"},

	diary.ReasonSignGuardianOnly:  {id: "sign_guardian_only"},
	diary.ReasonShareGuardianOnly: {id: "share_guardian_only"},
	diary.ReasonRSVPGuardianOnly:  {id: "rsvp_not_yours"},

	diary.ReasonNotTeacher:   {id: "lessons_teachers_only"},
	diary.ReasonNotYourClass: {id: "lessons_not_yours"},

	diary.ReasonAnnouncementLength:  {id: "announce_bad_text"},
	diary.ReasonHomeworkLength:      {id: "hw_text_length", count: "Max"},
	diary.ReasonHomeworkDueOut:      {id: "hw_due_out", count: "Count"},
	diary.ReasonRemarkLength:        {id: "marks_remark_length", count: "Max"},
	diary.ReasonRoomLength:          {id: "change_room_length", count: "Max"},
	diary.ReasonChangeDateOut:       {id: "change_date_out", count: "Count"},
	diary.ReasonChangeInvalid:       {id: "change_invalid"},
	diary.ReasonPeriodOut:           {id: "change_period_out", count: "Max"},
	diary.ReasonTeacherName:         {id: "change_no_teacher"},
	diary.ReasonMeetingPlaceLength:  {id: "meeting_bad_place"},
	diary.ReasonMeetingAgendaLength: {id: "meeting_bad_agenda"},
	diary.ReasonMeetingNotAhead:     {id: "meeting_not_ahead"},

	diary.ReasonMeetingBegun:     {id: "meeting_begun"},
	diary.ReasonMeetingCancelled: {id: "rsvp_cancelled"},
	diary.ReasonMeetingOver:      {id: "rsvp_past"},

	diary.ReasonMessagesTrusted:   {id: "messages_trusted"},
	diary.ReasonMessagesPupilsOff: {id: "messages_pupils_off"},
	diary.ReasonMessagesTooMany:   {id: "messages_too_many", count: "Count"},
	diary.ReasonMessagesLength:    {id: "messages_length", count: "Max"},
	diary.ReasonMessagesMuted:     {id: "messages_muted_you"},
	diary.ReasonMessagesNoTeacher: {id: "messages_no_teacher"},
	diary.ReasonThreadClosed:      {id: "messages_thread_closed"},
	diary.ReasonOfficeHours:       {id: "messages_hours_bad"},
}

// errorMessages maps the diary's error codes to what a person reads when the
// error gives no reason of its own.
var errorMessages = map[diary.Code]string{
	diary.EFORBIDDEN:   "err_forbidden",
	diary.EREVOKED:     "err_revoked",
	diary.EEXPIRED:     "err_expired",
	diary.ENOTFOUND:    "err_not_found",
	diary.EINVALID:     "err_invalid",
	diary.ECONFLICT:    "err_conflict",
	diary.EINTERNAL:    "err_internal",
	diary.EUNAVAILABLE: "err_unavailable",
}

// Refusal is what a person reads for err, in the bot and the web app alike:
// its reason's message, else its code's.
func Refusal(p *locales.Printer, err error) string {
	reason, args := diary.ReasonOf(err)
	m, ok := reasonMessages[reason]
	if !ok {
		return p.T(cmp.Or(errorMessages[diary.ErrorCode(err)], "err_internal"))
	}
	kv := make([]any, 0, 2*len(args))
	for k, v := range args {
		if t, ok := v.(time.Time); ok {
			v = When(p, t, t.Location())
		}
		kv = append(kv, k, v)
	}
	if m.count != "" {
		n, _ := args[m.count].(int)
		return p.N(m.id, n, kv...)
	}
	return p.T(m.id, kv...)
}
