package telegram

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// A button carries a short kind and a few integer arguments (ids, days), signed
// with a key derived from the bot token: "d:1kx:k3v~Zm9vYmFy". A tampered or
// forged button fails the signature and shows nothing; a genuine one still goes
// through the diary's access check on every press, so a stale button for a child
// the account lost access to shows nothing either.

// MaxCallbackData is Telegram's limit on a button's data, in bytes.
const MaxCallbackData = 64

const macLength = 6 // bytes of HMAC-SHA256 kept: 48 bits, 8 characters

// Codec signs and reads buttons.
type Codec struct{ key []byte }

// NewCodec derives the signing key from the bot token.
func NewCodec(token string) Codec {
	k := sha256.Sum256([]byte("dnevnik callback key\x00" + token))
	return Codec{key: k[:]}
}

// Pressed is what a pressed button says: its kind and arguments.
type Pressed struct {
	Kind string
	Args []int64
}

func (c Codec) mac(payload string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:macLength])
}

// Encode makes a button's data. It panics past Telegram's 64 bytes: buttons are
// built by our code, so that is a bug, caught by the codec's tests.
func (c Codec) Encode(kind string, args ...int64) string {
	var b strings.Builder
	b.WriteString(kind)
	for _, a := range args {
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(a, 36))
	}
	payload := b.String()
	data := payload + "~" + c.mac(payload)
	if len(data) > MaxCallbackData {
		panic("telegram: callback data over 64 bytes: " + kind)
	}
	return data
}

// ErrBadCallback is a button whose data is not one we made.
var ErrBadCallback = errors.New("bad callback data")

// Decode checks a button's signature and reads it back.
func (c Codec) Decode(data string) (Pressed, error) {
	payload, sig, ok := strings.Cut(data, "~")
	if !ok || !hmac.Equal([]byte(sig), []byte(c.mac(payload))) {
		return Pressed{}, ErrBadCallback
	}
	fields := strings.Split(payload, ":")
	cb := Pressed{Kind: fields[0]}
	for _, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 36, 64)
		if err != nil {
			return Pressed{}, ErrBadCallback
		}
		cb.Args = append(cb.Args, n)
	}
	return cb, nil
}

// DateArg carries a date in a button as days since 1970; ArgDate reads it back.
func DateArg(d time.Time) int64 { return d.Unix() / 86400 }

// ArgDate is the date DateArg carried.
func ArgDate(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// Kinds of buttons: short, since every byte of callback data counts.
const (
	ButtonDay         = "d"  // pupil, day
	ButtonWeek        = "w"  // pupil, Monday
	ButtonChild       = "c"  // pupil
	ButtonUnlink      = "u"  // pupil, 1 to confirm / 0 to keep
	ButtonRevoke      = "r"  // pupil, trusted link
	ButtonSign        = "sg" // pupil, Monday
	ButtonSetting     = "s"  // setting, value
	ButtonSettingPick = "sp" // setting: show the choices
	ButtonShortcut    = "q"  // shortcut
	ButtonRSVP        = "rv" // event, 1 for "I'll come" / 0 for "I can't"
	ButtonStop        = "x"  // setting: turn this kind of notice off
	ButtonInvite      = "iv" // pupil: make an invitation for a trusted person
	ButtonInviteDrop  = "ix" // pupil, invitation: cancel it
	ButtonForget      = "fg" // 1 to delete the account / 0 to keep it
	ButtonCalendarNew = "cn" // no arguments: a new calendar address replaces the old
	ButtonGradesList  = "gl" // pupil, a day of the term, 1 for a new message / 0 to edit
	ButtonGradesPage  = "gs" // pupil, class, term: one subject's grades
	ButtonGradesChart = "gc" // pupil, class, term: the subject's chart, sent as a photo
	ButtonWeeklyChart = "gw" // pupil, class, a day: the subject's chart of the term holding the day
	// A teacher's buttons; each names the class or meeting it acts on, checked
	// again on every press.
	ButtonRole           = "ro" // 1 for the teacher's menu / 0 for the family's
	ButtonUnlinkTeacher  = "ut" // 1 to end the account's teacher link / 0 to keep it
	ButtonAnnounceClass  = "an" // class
	ButtonAnnounceOption = "ao" // class, 1/0 to pupils too, 1/0 urgent
	ButtonAnnounceSend   = "as" // class, 1 to send / 0 to cancel
	ButtonMeetingClass   = "mc" // class
	ButtonMeetingMove    = "mm" // meeting: ask for the new time
	ButtonMeetingPlace   = "mp" // meeting: ask for the new place
	ButtonMeetingCancel  = "mx" // meeting, 0 to ask / 1 to cancel / 2 to keep
	// A teacher's lesson buttons (/hw, /change, /marks). A lesson is class,
	// period, day.
	ButtonHomeworkClass    = "Hc" // class
	ButtonHomeworkDue      = "Hd" // class, day
	ButtonHomeworkSave     = "Hs" // class, 1 to save / 0 to drop
	ButtonChangeClass      = "Cc" // class
	ButtonChangeDay        = "Cd" // class, day
	ButtonChangeLesson     = "Cl" // class, period, day
	ButtonChangeKind       = "Ck" // class, an index into the bot's change kinds
	ButtonChangeSubstitute = "Cs" // class, teacher
	ButtonChangeSave       = "Cy" // class, 1 to save / 0 to drop
	ButtonMarksLesson      = "Ml" // lesson
	ButtonMarksPupil       = "Mp" // lesson, pupil
	ButtonMarksSet         = "Ms" // lesson, pupil, what, value, 1 for an undo
	ButtonMarksRemark      = "Mr" // lesson, pupil, an index into the bot's remark kinds
	// Messages between families and teachers (/write): the family's choice of
	// teacher, the teacher's answer, close and mute; each checked again.
	ButtonWriteTeacher = "Wt" // pupil, teacher
	ButtonThreadReply  = "Wa" // the family's message
	ButtonThreadClose  = "Wc" // thread
	ButtonThreadMute   = "Wm" // thread
)

// Settings a ButtonSetting changes. Values: 1/0 for switches, minutes for the
// digest time, an index into the bot's quiet-hour presets, an index into the
// languages.
const (
	SettingLanguage int64 = iota + 1
	SettingDigestTime
	SettingQuiet
	SettingGrades
	SettingHomework
	SettingSchedule
	SettingMeetings
	SettingReminders
	SettingWeekly
	SettingEmptyDigest
)
