package bot

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/telegram"
)

// digestTimes are the evening digest times on offer.
var digestTimes = []diary.Clock{17 * 60, 18 * 60, 18*60 + 30, 19 * 60, 19*60 + 30, 20 * 60, 20*60 + 30, 21 * 60}

// quietPresets are the quiet hours on offer; equal ends mean none.
var quietPresets = [][2]diary.Clock{{21 * 60, 7 * 60}, {22 * 60, 7 * 60}, {22 * 60, 8 * 60}, {23 * 60, 7 * 60}, {0, 0}}

// settings answers /settings with the account's settings, each a button.
func (r *request) settings(ctx context.Context, _ string) error {
	return r.showSettings(ctx)
}

func (r *request) showSettings(ctx context.Context) error {
	st := r.account.Settings
	sw := func(id int64, label string) models.InlineKeyboardButton {
		mark, value := "☐ ", int64(1)
		if *switchOf(&st, id) {
			mark, value = "✅ ", 0
		}
		return models.InlineKeyboardButton{Text: mark + label, CallbackData: r.b.codec.Encode(telegram.ButtonSetting, id, value)}
	}
	other := int64(1) // the language the button switches to
	if r.account.Language == "en" {
		other = 0
	}
	kb := [][]models.InlineKeyboardButton{
		{{Text: r.p.T("settings_language"), CallbackData: r.b.codec.Encode(telegram.ButtonSetting, telegram.SettingLanguage, other)}},
		{{Text: r.p.T("settings_digest", "Time", st.DigestTime.String()), CallbackData: r.b.codec.Encode(telegram.ButtonSettingPick, telegram.SettingDigestTime)}},
		{{Text: r.p.T("settings_quiet", "Quiet", r.quietText(st)), CallbackData: r.b.codec.Encode(telegram.ButtonSettingPick, telegram.SettingQuiet)}},
		{sw(telegram.SettingGrades, r.p.T("settings_grades")), sw(telegram.SettingHomework, r.p.T("settings_homework"))},
		{sw(telegram.SettingSchedule, r.p.T("settings_schedule")), sw(telegram.SettingMeetings, r.p.T("settings_meetings"))},
		{sw(telegram.SettingReminders, r.p.T("settings_reminders")), sw(telegram.SettingWeekly, r.p.T("settings_weekly"))},
		{sw(telegram.SettingEmptyDigest, r.p.T("settings_empty_digest"))},
	}
	return r.show(ctx, r.p.T("settings_title"), kb...)
}

// switchOf is the on/off setting a button names, nil for one that is not a switch.
func switchOf(st *diary.Settings, id int64) *bool {
	switch id {
	case telegram.SettingGrades:
		return &st.Grades
	case telegram.SettingHomework:
		return &st.Homework
	case telegram.SettingSchedule:
		return &st.Schedule
	case telegram.SettingMeetings:
		return &st.Meetings
	case telegram.SettingReminders:
		return &st.Reminders
	case telegram.SettingWeekly:
		return &st.WeeklySummary
	case telegram.SettingEmptyDigest:
		return &st.DigestWhenEmpty
	}
	return nil
}

func (r *request) quietText(st diary.Settings) string {
	if st.QuietFrom == st.QuietTo {
		return r.p.T("settings_quiet_off")
	}
	return st.QuietFrom.String() + "–" + st.QuietTo.String()
}

// onSettingPickButton shows the choices for the digest time or quiet hours.
func (r *request) onSettingPickButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	var row []models.InlineKeyboardButton
	var kb [][]models.InlineKeyboardButton
	add := func(text string, id, value int64) {
		row = append(row, models.InlineKeyboardButton{Text: text, CallbackData: r.b.codec.Encode(telegram.ButtonSetting, id, value)})
		if len(row) == 4 {
			kb, row = append(kb, row), nil
		}
	}
	switch args[0] {
	case telegram.SettingDigestTime:
		for _, t := range digestTimes {
			add(t.String(), telegram.SettingDigestTime, int64(t))
		}
	case telegram.SettingQuiet:
		for i, q := range quietPresets {
			add(r.quietText(diary.Settings{QuietFrom: q[0], QuietTo: q[1]}), telegram.SettingQuiet, int64(i))
		}
	default:
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	if row != nil {
		kb = append(kb, row)
	}
	return r.show(ctx, r.p.T("settings_pick"), kb...)
}

// onSettingButton sets one setting to the value on the button (setting, not
// flipping, so a double tap changes nothing) and shows the settings again.
func (r *request) onSettingButton(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	st, on := r.account.Settings, args[1] == 1
	switch id, v := args[0], args[1]; id {
	case telegram.SettingLanguage:
		if v < 0 || int(v) >= 2 {
			return r.answerAlert(ctx, r.p.T("button_outdated"))
		}
		lang := []string{"ru", "en"}[v]
		if err := r.b.store.SetLanguage(ctx, r.account.ID, lang); err != nil {
			return r.fail(ctx, err)
		}
		r.account.Language = lang
		r.p = locales.For(lang)
		return r.showSettings(ctx)
	case telegram.SettingDigestTime:
		st.DigestTime = diary.Clock(v)
	case telegram.SettingQuiet:
		if v < 0 || int(v) >= len(quietPresets) {
			return r.answerAlert(ctx, r.p.T("button_outdated"))
		}
		st.QuietFrom, st.QuietTo = quietPresets[v][0], quietPresets[v][1]
	default:
		sw := switchOf(&st, id)
		if sw == nil {
			return r.answerAlert(ctx, r.p.T("button_outdated"))
		}
		*sw = on
	}
	if err := r.b.store.SaveSettings(ctx, r.account.ID, st); err != nil {
		return r.fail(ctx, err)
	}
	r.account.Settings = st
	if err := r.answer(ctx, r.p.T("settings_saved")); err != nil {
		return err
	}
	return r.showSettings(ctx)
}
