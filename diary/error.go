package diary

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Code classifies an error for the edge: the bot maps each code to a message in the
// user's language, so diary never needs to know about translations.
type Code string

const (
	EINVALID   Code = "invalid"   // the input is malformed or out of range
	ENOTFOUND  Code = "not_found" // no such thing, or none this account may know of
	EFORBIDDEN Code = "forbidden" // the account has no right to this pupil or class
	EEXPIRED   Code = "expired"   // the right existed but has run out (school year ended, pupil left)
	EREVOKED   Code = "revoked"   // the right was withdrawn (unlinked, or the inviting guardian's link ended)
	ECONFLICT  Code = "conflict"  // already done: a code already used, a week already signed
	ELOCKED    Code = "locked"    // too many attempts: try again at Error.Until
	// EUNAVAILABLE: the database cannot be reached now (down, restarting, the
	// connection lost); the same request will work once it is back.
	EUNAVAILABLE Code = "unavailable"
	EINTERNAL    Code = "internal" // anything else: a bug

)

// Reason says, for the person, why the diary refused: a limit passed, a code
// already used, a meeting already begun. The diary owns the reasons and the
// limits; the edges map each reason to a message (render/refusal.go) filled in
// with the error's Args.
type Reason string

// The reasons, by what they are about. Each has a message in every language
// (bot TestEveryReasonHasAMessage).
const (
	// Link codes and invitations.
	ReasonCodeWrong   Reason = "code_wrong"   // not a code, or no such code
	ReasonCodeUsed    Reason = "code_used"    // someone linked with it already
	ReasonCodeExpired Reason = "code_expired" // past its expiry, or its inviter's link ended
	ReasonCodeLocked  Reason = "code_locked"  // too many wrong codes; Args: Count, the minutes to wait

	// What only a pupil's guardian may do.
	ReasonSignGuardianOnly  Reason = "sign_guardian_only"
	ReasonShareGuardianOnly Reason = "share_guardian_only"
	ReasonRSVPGuardianOnly  Reason = "rsvp_guardian_only"

	// A teacher's rights.
	ReasonNotTeacher   Reason = "not_teacher"    // the account has no teacher link
	ReasonNotYourClass Reason = "not_your_class" // the teacher does not teach the class, or the pupil is not in it

	// What a teacher types, and when. Args: Max (and Length) for a text,
	// Count (the days) for a date. A time.Time is read in its own zone.
	ReasonAnnouncementLength  Reason = "announcement_length"
	ReasonHomeworkLength      Reason = "homework_length"
	ReasonHomeworkDueOut      Reason = "homework_due_out"
	ReasonRemarkLength        Reason = "remark_length"
	ReasonRoomLength          Reason = "room_length"
	ReasonChangeDateOut       Reason = "change_date_out"
	ReasonChangeInvalid       Reason = "change_invalid" // the lesson or the slot it moves to is not free or not there
	ReasonPeriodOut           Reason = "period_out"     // a period past the day's last; Args: Max
	ReasonTeacherName         Reason = "teacher_name"   // a substitute's name no teacher could have
	ReasonMeetingPlaceLength  Reason = "meeting_place_length"
	ReasonMeetingAgendaLength Reason = "meeting_agenda_length"
	ReasonMeetingNotAhead     Reason = "meeting_not_ahead" // Args: When, the start refused (in the school's zone)

	// Meetings.
	ReasonMeetingBegun     Reason = "meeting_begun"     // it can no longer be changed
	ReasonMeetingCancelled Reason = "meeting_cancelled" // an answer, or a change, to a cancelled meeting
	ReasonMeetingOver      Reason = "meeting_over"      // an answer after it ended

	// Messages between families and teachers (messages.go).
	ReasonMessagesTrusted   Reason = "messages_trusted"    // a trusted person reads only
	ReasonMessagesPupilsOff Reason = "messages_pupils_off" // the school lets no pupil write
	ReasonMessagesTooMany   Reason = "messages_too_many"   // Args: Count, the hourly limit
	ReasonMessagesLength    Reason = "messages_length"     // Args: Max
	ReasonMessagesMuted     Reason = "messages_muted"      // Args: When, in the school's zone
	ReasonMessagesNoTeacher Reason = "messages_no_teacher" // not a teacher of the child, or not in the bot
	ReasonThreadClosed      Reason = "thread_closed"       // closed by the teacher, or its school year ended
	ReasonOfficeHours       Reason = "office_hours_bad"    // a malformed /hours
)

// Error is a domain error. Message is for logs: English, ids only, never names.
type Error struct {
	Code    Code
	Reason  Reason         // "" when the code says enough
	Args    map[string]any // what the reason's message names
	Message string
	Until   time.Time // for ELOCKED: when trying again is allowed
}

func (e *Error) Error() string { return fmt.Sprintf("diary: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// refuse returns an *Error with a reason for the person and what its message
// names.
func refuse(code Code, reason Reason, args map[string]any, format string, a ...any) *Error {
	return &Error{Code: code, Reason: reason, Args: args, Message: fmt.Sprintf(format, a...)}
}

// ReasonOf returns the reason of the first *Error in err's chain, and what
// its message names; "" for none.
func ReasonOf(err error) (Reason, map[string]any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason, e.Args
	}
	return "", nil
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if unreachable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// unreachable tells the errors of a database that cannot be reached now: the
// connection refused, lost or timed out, the server shutting down or starting
// up (SQLSTATE classes 08 and 57P).
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var (
		connect *pgconn.ConnectError
		network net.Error
	)
	return errors.As(err, &connect) || errors.As(err, &network) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}
