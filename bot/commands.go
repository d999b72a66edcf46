package bot

import (
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"

	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/telegram"
)

// command is a slash command. Those in the menu are listed by Telegram, in the
// person's language, when they type "/".
type command struct {
	name string
	menu bool
	// child: the command asks about a child, so the visit reads the account's
	// children with the account (diary.Store.Visit). A command without it that
	// asks all the same costs one statement more, never a check less.
	child bool
	run   func(r *request, ctx context.Context, args string) error // a method expression
}

// buttonHandler handles a press of a button of one kind, with its arguments.
type buttonHandler func(r *request, ctx context.Context, args []int64) error

// commands and buttons are filled in init: some handlers refer back to them.
var (
	commands []command
	buttons  map[string]buttonHandler
)

func init() {
	commands = []command{
		{"start", false, false, (*request).start},
		{"today", true, true, (*request).todayCommand},
		{"tomorrow", true, true, (*request).tomorrow},
		{"homework", true, true, (*request).homework},
		{"schedule", true, true, (*request).schedule},
		{"grades", true, true, (*request).grades},
		{"attendance", true, true, (*request).attendance},
		{"remarks", true, true, (*request).remarks},
		{"events", true, true, (*request).events},
		{"missed", true, true, (*request).missed},
		{"sign", true, true, (*request).sign},
		{"calendar", true, true, (*request).calendar},
		{"children", true, false, (*request).children},
		{"link", true, false, (*request).linkCommand},
		{"share", true, true, (*request).share},
		{"write", true, true, (*request).write},
		{"unlink", true, true, (*request).unlink},
		{"forget", false, false, (*request).forget},
		{"settings", true, false, (*request).settings},
		{"help", true, false, (*request).help},
		{"cancel", false, false, (*request).cancel},
		// A teacher's commands: in the menu of a chat acting as a teacher (teacherMenu).
		{"classes", false, false, (*request).classesCommand},
		{"announce", false, false, (*request).announce},
		{"meeting", false, false, (*request).meeting},
		{"meetings", false, false, (*request).meetings},
		{"signed", false, false, (*request).signed},
		{"print", false, false, (*request).print},
		{"role", false, false, (*request).role},
		{"hw", false, false, (*request).homeworkCommand},
		{"change", false, false, (*request).changeCommand},
		{"marks", false, false, (*request).marks},
		{"lesson", false, false, (*request).marks},
		{"hours", false, false, (*request).hours},
	}
	flows = map[string]flowHandler{
		announceFlowName:   (*request).announceFlow,
		meetingFlowName:    (*request).meetingFlow,
		homeworkFlowName:   (*request).homeworkFlow,
		changeFlowName:     (*request).changeFlow,
		remarkFlowName:     (*request).remarkFlow,
		digestTimeFlowName: (*request).digestTimeFlow,
		writeFlowName:      (*request).writeFlow,
		answerFlowName:     (*request).answerFlow,
	}
	buttons = map[string]buttonHandler{
		telegram.ButtonDay:            (*request).onDayButton,
		telegram.ButtonWeek:           (*request).onWeekButton,
		telegram.ButtonChild:          (*request).onChildButton,
		telegram.ButtonUnlink:         (*request).onUnlinkButton,
		telegram.ButtonRevoke:         (*request).onRevokeButton,
		telegram.ButtonInvite:         (*request).onInviteButton,
		telegram.ButtonInviteDrop:     (*request).onInviteDropButton,
		telegram.ButtonForget:         (*request).onForgetButton,
		telegram.ButtonGradesList:     (*request).onGradeListButton,
		telegram.ButtonGradesPage:     (*request).onSubjectPageButton,
		telegram.ButtonGradesChart:    (*request).onChartButton,
		telegram.ButtonWeeklyChart:    (*request).onWeeklyChartButton,
		telegram.ButtonUnlinkTeacher:  (*request).onUnlinkTeacherButton,
		telegram.ButtonSign:           (*request).onSignButton,
		telegram.ButtonSetting:        (*request).onSettingButton,
		telegram.ButtonShortcut:       (*request).onShortcutButton,
		telegram.ButtonSettingPick:    (*request).onSettingPickButton,
		telegram.ButtonRSVP:           (*request).onRSVPButton,
		telegram.ButtonStop:           (*request).onStopButton,
		telegram.ButtonCalendarNew:    (*request).onCalendarNewButton,
		telegram.ButtonRole:           (*request).onRoleButton,
		telegram.ButtonAnnounceClass:  (*request).onAnnounceClass,
		telegram.ButtonAnnounceOption: (*request).onAnnounceOption,
		telegram.ButtonAnnounceSend:   (*request).onAnnounceSend,
		telegram.ButtonMeetingClass:   (*request).onMeetingClass,
		telegram.ButtonMeetingMove:    (*request).onMeetingMove,
		telegram.ButtonMeetingPlace:   (*request).onMeetingPlace,
		telegram.ButtonMeetingCancel:  (*request).onMeetingCancel,

		telegram.ButtonHomeworkClass:    (*request).onHomeworkClassButton,
		telegram.ButtonHomeworkDue:      (*request).onHomeworkDueButton,
		telegram.ButtonHomeworkSave:     (*request).onHomeworkSaveButton,
		telegram.ButtonChangeClass:      (*request).onChangeClassButton,
		telegram.ButtonChangeDay:        (*request).onChangeDayButton,
		telegram.ButtonChangeLesson:     (*request).onChangeLessonButton,
		telegram.ButtonChangeKind:       (*request).onChangeKindButton,
		telegram.ButtonChangeSubstitute: (*request).onChangeSubstituteButton,
		telegram.ButtonChangeSave:       (*request).onChangeSaveButton,
		telegram.ButtonMarksLesson:      (*request).onMarksLessonButton,
		telegram.ButtonMarksPupil:       (*request).onMarksPupilButton,
		telegram.ButtonMarksSet:         (*request).onMarksSetButton,
		telegram.ButtonMarksRemark:      (*request).onMarksRemarkButton,

		telegram.ButtonWriteTeacher: (*request).onWriteTeacher,
		telegram.ButtonThreadReply:  (*request).onThreadReply,
		telegram.ButtonThreadClose:  (*request).onThreadClose,
		telegram.ButtonThreadMute:   (*request).onThreadMute,
	}
}

// SetCommands publishes the command menu in each language; Russian is also the
// menu of anyone whose Telegram language has none of its own. With a Mini
// App, the menu button opens it.
func (b *Bot) SetCommands(ctx context.Context) error {
	for _, lang := range locales.Languages {
		list := menuOf(locales.For(lang), func(c command) bool { return c.menu })
		codes := []string{lang}
		if lang == locales.Languages[0] {
			codes = append(codes, "")
		}
		for _, code := range codes {
			if _, err := b.client.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: list, LanguageCode: code}); err != nil {
				return fmt.Errorf("set command menu (%s): %w", lang, err)
			}
		}
	}
	return b.setMenuButton(ctx)
}
