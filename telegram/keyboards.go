package telegram

import (
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// The keyboards here are the ones both the bot and the worker send: whichever
// sent it, the bot reads the press.

// RSVPRow is the row of a meeting invitation's answers, «Приду» and «Не
// смогу», with the given one (diary.AnswerYes, diary.AnswerNo, or "" for
// none) ticked. The worker sends it under an invitation; the bot redraws it
// when one is pressed.
func (c Codec) RSVPRow(p *locales.Printer, event int64, answer string) []models.InlineKeyboardButton {
	label := func(id, this string) string {
		if answer == this {
			return "✅ " + p.T(id)
		}
		return p.T(id)
	}
	return []models.InlineKeyboardButton{
		{Text: label("notice_rsvp_yes", diary.AnswerYes), CallbackData: c.Encode(ButtonRSVP, event, 1)},
		{Text: label("notice_rsvp_no", diary.AnswerNo), CallbackData: c.Encode(ButtonRSVP, event, 0)},
	}
}

// SignButton signs the pupil's diary for the week from monday: the bot shows it
// for /sign, the worker under the weekly summary, each with its own label.
func (c Codec) SignButton(label string, pupil diary.PersonID, monday time.Time) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: label, CallbackData: c.Encode(ButtonSign, int64(pupil), DateArg(monday))}
}

// GradesButton opens the pupil's grades of the term holding day in a new
// message: the worker puts one under the weekly summary, per child.
func (c Codec) GradesButton(label string, pupil diary.PersonID, day time.Time) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: label, CallbackData: c.Encode(ButtonGradesList, int64(pupil), DateArg(day), 1)}
}

// WeeklyChartButton sends the chart of the pupil's grades in a subject (class)
// through the term holding day: the worker puts one under the weekly summary
// for each subject graded that week.
func (c Codec) WeeklyChartButton(label string, pupil diary.PersonID, class diary.ClassID, day time.Time) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: label, CallbackData: c.Encode(ButtonWeeklyChart, int64(pupil), int64(class), DateArg(day))}
}

// StopRow is the "stop these" button under a notice, which turns off the
// switch of its kind; nil for a kind no switch turns off (a teacher's
// announcement).
func (c Codec) StopRow(p *locales.Printer, kind diary.NoticeKind) []models.InlineKeyboardButton {
	setting := settingOf(kind)
	if setting == 0 {
		return nil
	}
	return []models.InlineKeyboardButton{{Text: p.T("notice_stop"), CallbackData: c.Encode(ButtonStop, setting)}}
}

// settingOf is the switch that turns notices of the kind off; 0 for a kind no
// switch turns off.
func settingOf(kind diary.NoticeKind) int64 {
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
