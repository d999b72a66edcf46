package telegram

import (
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// The buttons both the bot and the worker send read back as the bot expects.
func TestSharedKeyboards(t *testing.T) {
	c := NewCodec("123:secret")
	p := locales.For("ru")
	press := func(data string) Pressed {
		t.Helper()
		cb, err := c.Decode(data)
		if err != nil {
			t.Fatalf("decode(%q): %v", data, err)
		}
		return cb
	}

	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	sign := c.SignButton("✍️", 4242, monday)
	if cb := press(sign.CallbackData); sign.Text != "✍️" || cb.Kind != ButtonSign || cb.Args[0] != 4242 || !ArgDate(cb.Args[1]).Equal(monday) {
		t.Errorf("sign button %+v: %+v", sign, cb)
	}

	for kind, want := range map[diary.NoticeKind]int64{
		diary.NoticeGrade: SettingGrades, diary.NoticeAttendance: SettingGrades, diary.NoticeRemark: SettingGrades, diary.NoticeHomework: SettingHomework,
		diary.NoticeSchedule: SettingSchedule, diary.NoticeMeeting: SettingMeetings,
	} {
		row := c.StopRow(p, kind)
		if len(row) != 1 || row[0].Text != p.T("notice_stop") {
			t.Fatalf("%s: stop row %+v", kind, row)
		}
		if cb := press(row[0].CallbackData); cb.Kind != ButtonStop || len(cb.Args) != 1 || cb.Args[0] != want {
			t.Errorf("%s: stop button %+v", kind, cb)
		}
	}
	if row := c.StopRow(p, diary.NoticeAnnouncement); row != nil {
		t.Errorf("an announcement has a stop button: %+v", row)
	}

	row := c.RSVPRow(p, 77, diary.AnswerNo)
	if yes, no := press(row[0].CallbackData), press(row[1].CallbackData); yes.Kind != ButtonRSVP || yes.Args[1] != 1 || no.Args[1] != 0 ||
		row[0].Text != p.T("notice_rsvp_yes") || row[1].Text != "✅ "+p.T("notice_rsvp_no") {
		t.Errorf("RSVP row %+v", row)
	}
}
