package bot

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// pupil is the child a request is about.
type pupil struct {
	id     diary.PersonID
	access diary.PupilAccess
	name   string // the child's name, plain text
	// label names the child in answers when the account has several children
	// (plain text; empty with one child), and header is it as a heading line.
	label  string
	header string
}

// activePupil is the child the account looks at: the chosen one, or the
// only one. With several and none chosen, it offers the choice instead; with
// none live, it says why (ok false). One look at the links checks the access
// (with the account: diary.Store.Visit), and the views take what it found.
func (r *request) activePupil(ctx context.Context) (pupil, bool, error) {
	children, err := r.linkedChildren(ctx)
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	live := liveChildren(children)
	switch {
	case len(live) == 0 && len(children) == 0:
		return pupil{}, false, r.say(ctx, r.p.T("no_children"))
	case len(live) == 0:
		return pupil{}, false, r.say(ctx, render.Text(r.p, "access_ended", "Child", render.ChildName(children[0].Pupil)))
	}
	chosen := -1
	for i, c := range live {
		if c.Pupil.ID == r.account.ActivePupil {
			chosen = i
		}
	}
	if chosen < 0 && len(live) == 1 {
		chosen = 0
	}
	if chosen < 0 {
		return pupil{}, false, r.children(ctx, "")
	}
	return newPupil(live[chosen].Access, len(live) > 1), true, nil
}

// pupilFromButton is the child a pressed button names, checked again now.
func (r *request) pupilFromButton(ctx context.Context, id int64) (pupil, bool, error) {
	children, err := r.linkedChildren(ctx)
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	live := liveChildren(children)
	for _, c := range live {
		if int64(c.Pupil.ID) == id {
			return newPupil(c.Access, len(live) > 1), true, nil
		}
	}
	// Not a child the account may see now: the access rule says why.
	a, err := r.b.store.PupilAccess(ctx, r.account.ID, diary.PersonID(id))
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	return newPupil(a, len(live) > 1), true, nil
}

// linkedChildren are the account's children as the access rule sees them: read
// with the account for an account acting as a family, asked for otherwise.
func (r *request) linkedChildren(ctx context.Context) ([]diary.Child, error) {
	if r.family {
		return r.familyChildren, nil
	}
	return r.b.store.Children(ctx, r.account.ID)
}

// liveChildren are the children the account may see now.
func liveChildren(children []diary.Child) []diary.Child {
	var live []diary.Child
	for _, c := range children {
		if c.Ended == "" {
			live = append(live, c)
		}
	}
	return live
}

// newPupil is the child of a checked access; several names the child in
// every answer.
func newPupil(a diary.PupilAccess, several bool) pupil {
	p := pupil{id: a.Pupil.ID, access: a, name: render.ChildName(a.Pupil)}
	if several {
		p.label = render.ChildName(a.Pupil)
		p.header = render.ChildHeader(p.label)
	}
	return p
}

// shortcuts are buttons for what a parent asks most, shown after linking.
func (r *request) shortcuts() [][]models.InlineKeyboardButton {
	row := func(s ...shortcut) []models.InlineKeyboardButton {
		var out []models.InlineKeyboardButton
		for _, sc := range s {
			out = append(out, models.InlineKeyboardButton{Text: r.shortcutLabel(sc), CallbackData: r.b.codec.Encode(telegram.ButtonShortcut, int64(sc))})
		}
		return out
	}
	return [][]models.InlineKeyboardButton{row(shortcutToday, shortcutTomorrow), row(shortcutHomework, shortcutGrades)}
}

type shortcut int64

const (
	shortcutToday shortcut = iota + 1
	shortcutTomorrow
	shortcutHomework
	shortcutGrades
)

func (r *request) shortcutLabel(s shortcut) string {
	switch s {
	case shortcutToday:
		return r.p.T("shortcut_today")
	case shortcutTomorrow:
		return r.p.T("shortcut_tomorrow")
	case shortcutHomework:
		return r.p.T("shortcut_homework")
	default:
		return r.p.T("shortcut_grades")
	}
}

func (r *request) onShortcutButton(ctx context.Context, args []int64) error {
	if len(args) != 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	r.message = nil // answer with a new message: keep the shortcuts where they are
	switch shortcut(args[0]) {
	case shortcutToday:
		return r.todayCommand(ctx, "")
	case shortcutTomorrow:
		return r.tomorrow(ctx, "")
	case shortcutHomework:
		return r.homework(ctx, "")
	case shortcutGrades:
		return r.grades(ctx, "")
	}
	return r.answerAlert(ctx, r.p.T("button_outdated"))
}
