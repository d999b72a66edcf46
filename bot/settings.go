package bot

import (
	"context"
	"encoding/json"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/telegram"
)

// digestTimes are the digest times on offer, a row of buttons each: morning
// ones (today's lessons) and evening ones (tomorrow's). Any other is typed.
var digestTimes = [][]diary.Clock{
	{6*60 + 30, 7 * 60, 7*60 + 30, 8 * 60, 8*60 + 30},
	{17 * 60, 18 * 60, 18*60 + 30, 19 * 60},
	{19*60 + 30, 20 * 60, 20*60 + 30, 21 * 60},
}

// digestTimeFlowName is the conversation that waits for a typed digest time
// while the times are on offer.
const digestTimeFlowName = "digest_time"

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
		{{Text: r.digestTimeText(st.DigestTime), CallbackData: r.b.codec.Encode(telegram.ButtonSettingPick, telegram.SettingDigestTime)}},
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

// digestTimeText is the digest time on the settings' button: a morning or an
// evening digest.
func (r *request) digestTimeText(t diary.Clock) string {
	if t.Morning() {
		return r.p.T("digest2_settings_morning", "Time", t.String())
	}
	return r.p.T("settings_digest", "Time", t.String())
}

func (r *request) quietText(st diary.Settings) string {
	if st.QuietFrom == st.QuietTo {
		return r.p.T("settings_quiet_off")
	}
	return st.QuietFrom.String() + "–" + st.QuietTo.String()
}

// onSettingPickButton shows the choices for the digest time or quiet hours;
// while the digest times are shown, a typed time is taken too.
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
	prompt := r.p.T("settings_pick")
	switch args[0] {
	case telegram.SettingDigestTime:
		for _, times := range digestTimes {
			for _, t := range times {
				add(t.String(), telegram.SettingDigestTime, int64(t))
			}
			if row != nil {
				kb, row = append(kb, row), nil
			}
		}
		if err := r.b.store.SetConversation(ctx, r.account.ID, digestTimeFlowName, struct{}{}); err != nil {
			return r.fail(ctx, err)
		}
		prompt = r.p.T("digest2_pick")
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
	return r.show(ctx, prompt, kb...)
}

// digestTimeFlow takes a typed digest time ("7:15", "19.30"): a bad one is
// refused with an example and the conversation waits on.
func (r *request) digestTimeFlow(ctx context.Context, _ json.RawMessage, text string) error {
	t, ok := parseTimeOfDay(text)
	if !ok {
		return r.say(ctx, r.p.T("digest2_time_bad"))
	}
	st := r.account.Settings
	st.DigestTime = t
	if err := r.saveSettings(ctx, st); err != nil {
		return r.fail(ctx, err)
	}
	saved := r.p.T("digest2_saved_evening", "Time", t.String())
	if t.Morning() {
		saved = r.p.T("digest2_saved_morning", "Time", t.String())
	}
	if err := r.say(ctx, saved); err != nil {
		return err
	}
	return r.showSettings(ctx)
}

// saveSettings stores the settings and ends a wait for a typed digest time:
// whatever was chosen last stands.
func (r *request) saveSettings(ctx context.Context, st diary.Settings) error {
	if r.account.Conversing {
		if _, err := r.b.store.TakeConversation(ctx, r.account.ID, digestTimeFlowName); err != nil {
			return err
		}
	}
	if err := r.b.store.SaveSettings(ctx, r.account.ID, st); err != nil {
		return err
	}
	r.account.Settings = st
	return nil
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
	if err := r.saveSettings(ctx, st); err != nil {
		return r.fail(ctx, err)
	}
	if err := r.answer(ctx, r.p.T("settings_saved")); err != nil {
		return err
	}
	return r.showSettings(ctx)
}
