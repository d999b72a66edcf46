package bot

import (
	"context"
	"html"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// pupil is the child a request is about.
type pupil struct {
	id     diary.PersonID
	access diary.PupilAccess
	name   string // the child's name, escaped for HTML
	// label names the child in answers when the account has several children
	// (plain text; empty with one child), and header is it as a heading line.
	label  string
	header string
}

// activePupil picks the child a command is about: the chosen one, or the only
// one. When it cannot (no child linked, several and none chosen, access ended),
// it tells the person what to do and returns ok false.
func (r *request) activePupil(ctx context.Context) (pupil, bool, error) {
	children, err := r.b.store.Children(ctx, r.account.ID)
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	var live []diary.Child
	for _, c := range children {
		if c.Access == "" {
			live = append(live, c)
		}
	}
	switch {
	case len(live) == 0 && len(children) == 0:
		return pupil{}, false, r.say(ctx, r.p.T("no_children"))
	case len(live) == 0:
		return pupil{}, false, r.say(ctx, r.p.T("access_ended", "Child", html.EscapeString(render.ChildName(children[0].Pupil))))
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
	return r.pupil(ctx, live[chosen].Pupil.ID, len(live) > 1)
}

// pupilFromButton is the child a pressed button names, checked again now.
func (r *request) pupilFromButton(ctx context.Context, id int64) (pupil, bool, error) {
	children, err := r.b.store.Children(ctx, r.account.ID)
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	live := 0
	for _, c := range children {
		if c.Access == "" {
			live++
		}
	}
	return r.pupil(ctx, diary.PersonID(id), live > 1)
}

func (r *request) pupil(ctx context.Context, id diary.PersonID, several bool) (pupil, bool, error) {
	a, err := r.b.store.PupilAccess(ctx, r.account.ID, id)
	if err != nil {
		return pupil{}, false, r.fail(ctx, err)
	}
	p := pupil{id: id, access: a, name: html.EscapeString(render.ChildName(a.Pupil))}
	if several {
		p.label = render.ChildName(a.Pupil)
		p.header = "<b>" + html.EscapeString(p.label) + "</b>\n"
	}
	return p, true, nil
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
