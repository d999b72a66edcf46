package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// Marks from the phone: /marks lists the teacher's lessons of the day; a
// lesson shows its class list, a pupil's button the marks for them; each mark
// is saved at once, the list redrawn in the same message with an undo button.
// Every press asks the diary once whether the teacher may act at the lesson
// (LessonAccess) and hands that value to each read and write it makes.

// What a marks button sets, with its value.
const (
	markGrade      int64 = iota + 1 // the score; 0 takes the grade back
	markAttendance                  // an index into attendanceStatuses
	markRemark                      // takes back the remark with this id (undo only)
)

// attendanceStatuses are the attendance a button sets, by value: 0 present.
var attendanceStatuses = []string{"", diary.Absent, diary.Late}

// remarkKinds are the remark kinds a button starts, by value.
var remarkKinds = []string{diary.Praise, diary.Warning}

// marks answers /marks [DAY]: the teacher's lessons of the day, today by default.
func (r *request) marks(ctx context.Context, args string) error {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return err
	}
	today := r.typedToday()
	if len(classes) > 0 {
		today = r.b.store.Today(classes[0].School)
	}
	day := today
	if args != "" {
		if day, ok = parseDay(args, today); !ok {
			return r.say(ctx, r.p.T("lessons_day_not_understood"))
		}
	}
	lessons, err := r.b.store.TeacherLessons(ctx, r.account.ID, day)
	if err != nil {
		return r.fail(ctx, err)
	}
	var kb [][]models.InlineKeyboardButton
	for _, l := range lessons {
		if l.Held() {
			ref := l.Ref()
			kb = append(kb, []models.InlineKeyboardButton{r.dayButton(render.LessonLabel(l, l.ClassTitle), telegram.ButtonMarksLesson,
				ref.Date, int64(ref.Class), int64(ref.Period))})
		}
	}
	return r.say(ctx, render.TeacherDay(r.p, day, lessons), kb...)
}

// lessonFromArgs reads a lesson from the first three arguments of a marks
// button: class, period, date.
func lessonFromArgs(args []int64) diary.LessonRef {
	return diary.LessonRef{Class: diary.ClassID(args[0]), Period: int(args[1]), Date: telegram.ArgDate(args[2])}
}

// lessonAccess checks that the teacher may act at the lesson a button or the
// remark flow names; ok is false (and the person told) when not.
func (r *request) lessonAccess(ctx context.Context, ref diary.LessonRef) (diary.LessonAccess, bool, error) {
	a, err := r.b.store.LessonAccess(ctx, r.account.ID, ref)
	if err != nil {
		return diary.LessonAccess{}, false, r.fail(ctx, err)
	}
	return a, true, nil
}

// onMarksLessonButton shows the class list of a lesson.
func (r *request) onMarksLessonButton(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.outdated(ctx)
	}
	a, ok, err := r.lessonAccess(ctx, lessonFromArgs(args))
	if !ok {
		return err
	}
	return r.showRoster(ctx, a, nil)
}

// showRoster draws the class list of a lesson, each pupil a button, with the
// undo button of the last mark if there is one.
func (r *request) showRoster(ctx context.Context, a diary.LessonAccess, undo []models.InlineKeyboardButton) error {
	roster, err := r.b.store.ClassRoster(ctx, a)
	if err != nil {
		return r.fail(ctx, err)
	}
	ref := a.Lesson.Ref()
	var kb [][]models.InlineKeyboardButton
	for i, p := range roster.Pupils {
		b := models.InlineKeyboardButton{Text: render.RosterButton(r.p, p),
			CallbackData: r.b.codec.Encode(telegram.ButtonMarksPupil, lessonButtonArgs(ref, int64(p.ID))...)}
		if i%2 == 1 {
			kb[len(kb)-1] = append(kb[len(kb)-1], b)
		} else {
			kb = append(kb, []models.InlineKeyboardButton{b})
		}
	}
	if undo != nil {
		kb = append(kb, undo)
	}
	return r.show(ctx, render.Roster(r.p, roster, nil), kb...)
}

// lessonButtonArgs are a marks button's arguments: the lesson, then more.
func lessonButtonArgs(ref diary.LessonRef, more ...int64) []int64 {
	return append([]int64{int64(ref.Class), int64(ref.Period), telegram.DateArg(ref.Date)}, more...)
}

// rosterPupil finds the pupil in the lesson's class list; a pupil not in it
// (a forged or stale button) is refused.
func (r *request) rosterPupil(ctx context.Context, a diary.LessonAccess, id int64) (diary.Roster, diary.RosterPupil, bool, error) {
	roster, err := r.b.store.ClassRoster(ctx, a)
	if err != nil {
		return diary.Roster{}, diary.RosterPupil{}, false, r.fail(ctx, err)
	}
	for _, p := range roster.Pupils {
		if int64(p.ID) == id {
			return roster, p, true, nil
		}
	}
	return diary.Roster{}, diary.RosterPupil{}, false, r.answerAlertOrSay(ctx, r.p.T("lessons_not_yours"))
}

// onMarksPupilButton offers the marks for one pupil: the grades of the
// school's scale, absent, late, present, a praise or a warning.
func (r *request) onMarksPupilButton(ctx context.Context, args []int64) error {
	if len(args) != 4 {
		return r.outdated(ctx)
	}
	a, ok, err := r.lessonAccess(ctx, lessonFromArgs(args))
	if !ok {
		return err
	}
	roster, p, ok, err := r.rosterPupil(ctx, a, args[3])
	if !ok {
		return err
	}
	ref := a.Lesson.Ref()
	set := func(text string, what, value int64) models.InlineKeyboardButton {
		return models.InlineKeyboardButton{Text: text, CallbackData: r.b.codec.Encode(telegram.ButtonMarksSet, lessonButtonArgs(ref, int64(p.ID), what, value, 0)...)}
	}
	var kb [][]models.InlineKeyboardButton
	school := a.Lesson.School
	for g := school.GradeMin; g <= school.GradeMax; g++ {
		if (g-school.GradeMin)%5 == 0 {
			kb = append(kb, nil)
		}
		kb[len(kb)-1] = append(kb[len(kb)-1], set(fmt.Sprint(g), markGrade, int64(g)))
	}
	kb = append(kb, []models.InlineKeyboardButton{
		set(r.p.T("marks_button_absent"), markAttendance, 1), set(r.p.T("marks_button_late"), markAttendance, 2),
		set(r.p.T("marks_button_present"), markAttendance, 0)})
	var remarks []models.InlineKeyboardButton
	for i, kind := range remarkKinds {
		remarks = append(remarks, models.InlineKeyboardButton{Text: r.p.T("marks_button_" + kind),
			CallbackData: r.b.codec.Encode(telegram.ButtonMarksRemark, lessonButtonArgs(ref, int64(p.ID), int64(i))...)})
	}
	kb = append(kb, remarks)
	if p.Grade != 0 {
		kb = append(kb, []models.InlineKeyboardButton{set(r.p.T("marks_button_no_grade"), markGrade, 0)})
	}
	kb = append(kb, []models.InlineKeyboardButton{{Text: r.p.T("marks_button_back"),
		CallbackData: r.b.codec.Encode(telegram.ButtonMarksLesson, lessonButtonArgs(ref)...)}})
	return r.show(ctx, render.Roster(r.p, roster, &p), kb...)
}

// onMarksSetButton saves a mark (or takes one back, for an undo) and redraws
// the class list with an undo button for it. Arguments: the lesson, the
// pupil, what, the value, and 1 for an undo.
func (r *request) onMarksSetButton(ctx context.Context, args []int64) error {
	if len(args) != 7 {
		return r.outdated(ctx)
	}
	pupil, what, value, isUndo := args[3], args[4], args[5], args[6] == 1
	a, ok, err := r.lessonAccess(ctx, lessonFromArgs(args))
	if !ok {
		return err
	}
	_, p, ok, err := r.rosterPupil(ctx, a, pupil)
	if !ok {
		return err
	}
	var before int64 // what the undo sets back
	switch {
	case what == markGrade:
		before = int64(p.Grade)
		if value == 0 {
			err = r.b.store.ClearGrade(ctx, a, p.ID)
		} else {
			err = r.b.store.SetGrade(ctx, a, p.ID, int(value))
		}
	case what == markAttendance && value >= 0 && value < int64(len(attendanceStatuses)):
		before = int64(max(0, slices.Index(attendanceStatuses, p.Attendance)))
		err = r.b.store.SetAttendance(ctx, a, p.ID, attendanceStatuses[value])
	case what == markRemark && isUndo:
		err = r.b.store.UndoRemark(ctx, a, p.ID, value)
	default:
		return r.outdated(ctx)
	}
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.answer(ctx, r.p.T("marks_saved")); err != nil {
		return err
	}
	r.noticesDue(ctx)
	if isUndo {
		return r.showRoster(ctx, a, nil)
	}
	return r.showRoster(ctx, a, r.undoButton(a.Lesson.Ref(), p, what, before))
}

// undoButton sets the pupil's mark back to what it was before.
func (r *request) undoButton(ref diary.LessonRef, p diary.RosterPupil, what, before int64) []models.InlineKeyboardButton {
	label := r.p.T("marks_undo", "Pupil", p.FamilyName+" "+p.GivenName)
	return []models.InlineKeyboardButton{{Text: label,
		CallbackData: r.b.codec.Encode(telegram.ButtonMarksSet, lessonButtonArgs(ref, int64(p.ID), what, before, 1)...)}}
}

const remarkFlowName = "remark"

// remarkState is what the remark flow waits for: the text of a remark on a
// pupil at a lesson.
type remarkState struct {
	Lesson diary.LessonRef
	Pupil  diary.PersonID
	Kind   string
}

// onMarksRemarkButton asks for the text of a praise or a warning.
func (r *request) onMarksRemarkButton(ctx context.Context, args []int64) error {
	if len(args) != 5 || args[4] < 0 || args[4] >= int64(len(remarkKinds)) {
		return r.outdated(ctx)
	}
	a, ok, err := r.lessonAccess(ctx, lessonFromArgs(args))
	if !ok {
		return err
	}
	_, p, ok, err := r.rosterPupil(ctx, a, args[3])
	if !ok {
		return err
	}
	kind := remarkKinds[args[4]]
	if err := r.b.store.SetConversation(ctx, r.account.ID, remarkFlowName, remarkState{Lesson: a.Lesson.Ref(), Pupil: p.ID, Kind: kind}); err != nil {
		return err
	}
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	return r.say(ctx, render.Text(r.p, "marks_remark_ask_"+kind, "Pupil", p.FamilyName+" "+p.GivenName))
}

// remarkFlow saves the typed remark and shows the class list again.
func (r *request) remarkFlow(ctx context.Context, raw json.RawMessage, text string) error {
	var st remarkState
	if err := decodeState(raw, &st); err != nil {
		return err
	}
	if err := diary.CheckRemark(text); err != nil {
		return r.fail(ctx, err)
	}
	a, ok, err := r.lessonAccess(ctx, st.Lesson)
	if !ok {
		return err
	}
	id, err := r.b.store.AddRemark(ctx, a, st.Pupil, st.Kind, text)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	r.noticesDue(ctx)
	_, p, ok, err := r.rosterPupil(ctx, a, int64(st.Pupil))
	if !ok {
		return err
	}
	return r.showRoster(ctx, a, r.undoButton(st.Lesson, p, markRemark, id))
}
