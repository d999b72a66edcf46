// Package button encodes what an inline keyboard button means into Telegram's
// callback data, signed, and reads it back. The bot and the worker both make
// buttons (the worker's weekly summary carries the sign button), so both use it.
package button

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// A button carries a short kind and a few integer arguments (ids, days), signed
// with a key derived from the bot token: "d:1kx:k3v~Zm9vYmFy". A tampered or
// forged button fails the signature and shows nothing; a genuine one still goes
// through the diary's access check on every press, so a stale button for a child
// the account lost access to shows nothing either.

// MaxData is Telegram's limit on a button's data, in bytes.
const MaxData = 64

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
	if len(data) > MaxData {
		panic("button: callback data over 64 bytes: " + kind)
	}
	return data
}

// ErrBadData is a button whose data is not one we made.
var ErrBadData = errors.New("bad callback data")

// Decode checks a button's signature and reads it back.
func (c Codec) Decode(data string) (Pressed, error) {
	payload, sig, ok := strings.Cut(data, "~")
	if !ok || !hmac.Equal([]byte(sig), []byte(c.mac(payload))) {
		return Pressed{}, ErrBadData
	}
	fields := strings.Split(payload, ":")
	cb := Pressed{Kind: fields[0]}
	for _, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 36, 64)
		if err != nil {
			return Pressed{}, ErrBadData
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
	Day         = "d"  // pupil, day
	Week        = "w"  // pupil, Monday
	Child       = "c"  // pupil
	Unlink      = "u"  // pupil, 1 to confirm / 0 to keep
	Revoke      = "r"  // pupil, trusted link
	Sign        = "sg" // pupil, Monday
	Setting     = "s"  // setting, value
	SettingPick = "sp" // setting: show the choices
	Shortcut    = "q"  // shortcut
	RSVP        = "rv" // event, 1 for "I'll come" / 0 for "I can't"
	Stop        = "x"  // setting: turn this kind of notice off
	// A teacher's buttons; each names the class or meeting it acts on, checked
	// again on every press.
	Role           = "ro" // 1 for the teacher's menu / 0 for the family's
	AnnounceClass  = "an" // class
	AnnounceOption = "ao" // class, 1/0 to pupils too, 1/0 urgent
	AnnounceSend   = "as" // class, 1 to send / 0 to cancel
	MeetingClass   = "mc" // class
	MeetingMove    = "mm" // meeting: ask for the new time
	MeetingPlace   = "mp" // meeting: ask for the new place
	MeetingCancel  = "mx" // meeting, 0 to ask / 1 to cancel / 2 to keep
	// A teacher's lesson buttons (/hw, /change, /marks). A lesson is class,
	// period, day.
	HomeworkClass    = "Hc" // class
	HomeworkDue      = "Hd" // class, day
	HomeworkSave     = "Hs" // class, 1 to save / 0 to drop
	ChangeClass      = "Cc" // class
	ChangeDay        = "Cd" // class, day
	ChangeLesson     = "Cl" // class, period, day
	ChangeKind       = "Ck" // class, an index into the bot's change kinds
	ChangeSubstitute = "Cs" // class, teacher
	ChangeSave       = "Cy" // class, 1 to save / 0 to drop
	MarksLesson      = "Ml" // lesson
	MarksPupil       = "Mp" // lesson, pupil
	MarksSet         = "Ms" // lesson, pupil, what, value, 1 for an undo
	MarksRemark      = "Mr" // lesson, pupil, an index into the bot's remark kinds
)

// Settings a Setting button changes. Values: 1/0 for switches, minutes for the
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

// SettingOf is the switch that turns notices of the kind off; 0 for a kind no
// switch turns off (a teacher's announcement).
func SettingOf(kind diary.NoticeKind) int64 {
	switch kind {
	case diary.NoticeGrade, diary.NoticeAttendance, diary.NoticeRemark:
		return SettingGrades
	case diary.NoticeHomework:
		return SettingHomework
	case diary.NoticeSchedule:
		return SettingSchedule
	case diary.NoticeMeeting:
		return SettingMeetings
	}
	return 0
}
