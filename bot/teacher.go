package bot

import (
	"context"
	"slices"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// A teacher links their own account with a teacher's code and then acts as a
// teacher: the chat's menu lists the teacher's commands. A person who is also a
// parent switches between the two menus with one button (/role); the diary
// keeps which one they act in (Account.ActingAs).

// teacherMenu lists the teacher's commands in the order the menu shows them.
var teacherMenu = []string{"marks", "hw", "change", "announce", "meeting", "meetings", "signed", "print", "hours", "classes", "role", "unlink", "help"}

// menuOf lists the commands keep picks, with their descriptions in p's language.
func menuOf(p *locales.Printer, keep func(command) bool) []models.BotCommand {
	var list []models.BotCommand
	for _, c := range commands {
		if keep(c) {
			list = append(list, models.BotCommand{Command: c.name, Description: p.T("cmd_" + c.name)})
		}
	}
	return list
}

// setChatMenu sets this chat's menu to the teacher's or the family's commands,
// in the account's language; the family's then offers /role to switch back.
func (r *request) setChatMenu(ctx context.Context, teacher bool) error {
	keep := func(c command) bool { return c.menu || c.name == "role" }
	if teacher {
		keep = func(c command) bool { return slices.Contains(teacherMenu, c.name) }
	}
	list := menuOf(r.p, keep)
	if teacher { // in teacherMenu's order, not the table's
		slices.SortStableFunc(list, func(a, b models.BotCommand) int {
			return slices.Index(teacherMenu, a.Command) - slices.Index(teacherMenu, b.Command)
		})
	}
	_, err := r.b.client.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: list,
		Scope: &models.BotCommandScopeChat{ChatID: r.chatID}})
	if err != nil {
		return r.fail(ctx, err) // the menu is a convenience: say so, keep going
	}
	return nil
}

// classStep begins a teacher's flow on a class the teacher teaches.
type classStep func(r *request, ctx context.Context, c diary.TeacherClass) error

// withClass begins a flow at once for a teacher of one class; a teacher of
// several picks one, a button of kind each.
func (r *request) withClass(ctx context.Context, prompt, kind string, begin classStep) error {
	classes, ok, err := r.teacherClasses(ctx)
	switch {
	case !ok:
		return err
	case len(classes) == 0:
		return r.say(ctx, r.p.T("teacher_no_classes"))
	case len(classes) == 1:
		return begin(r, ctx, classes[0])
	}
	return r.chooseClass(ctx, prompt, kind, classes)
}

// chooseClass asks which class, one button each of the given kind.
func (r *request) chooseClass(ctx context.Context, text, kind string, classes []diary.TeacherClass) error {
	var kb [][]models.InlineKeyboardButton
	for _, c := range classes {
		kb = append(kb, []models.InlineKeyboardButton{{Text: c.Title, CallbackData: r.b.codec.Encode(kind, int64(c.ID))}})
	}
	return r.show(ctx, text, kb...)
}

// onClassButton begins the flow on the class a button of withClass names,
// checked again.
func (r *request) onClassButton(ctx context.Context, args []int64, begin classStep) error {
	if len(args) != 1 {
		return r.outdated(ctx)
	}
	c, ok, err := r.teacherClass(ctx, args[0])
	if !ok {
		return err
	}
	return begin(r, ctx, c)
}

// classesCommand answers /classes: the classes the teacher teaches.
func (r *request) classesCommand(ctx context.Context, _ string) error {
	a, classes, err := r.b.store.TeacherClasses(ctx, r.account.ID)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.TeacherGreeting(r.p, a.Teacher, classes), r.roleButton(ctx)...)
}

// linkedTeacher answers a teacher's code: the account now acts as the
// teacher, with the teacher's menu and classes.
func (r *request) linkedTeacher(ctx context.Context, name string) error {
	if err := r.actAs(ctx, diary.ActingTeacher); err != nil {
		return err
	}
	text := render.Text(r.p, "linked_teacher", "Name", name)
	if _, classes, err := r.b.store.TeacherClasses(ctx, r.account.ID); err == nil {
		text += "\n\n" + render.TeacherClassList(r.p, classes)
	}
	return r.say(ctx, text, r.roleButton(ctx)...)
}

// teacherStart answers /start for a teacher: their classes when acting as one,
// else the family's greeting with the switch. handled is false for anyone else.
func (r *request) teacherStart(ctx context.Context) (handled bool, err error) {
	a, classes, err := r.b.store.TeacherClasses(ctx, r.account.ID)
	switch {
	case err != nil && r.account.ActingAs == diary.ActingTeacher: // no longer a teacher
		return false, r.actAs(ctx, diary.ActingFamily)
	case err != nil:
		return false, nil
	case r.account.ActingAs == diary.ActingTeacher:
		return true, r.say(ctx, render.TeacherGreeting(r.p, a.Teacher, classes), r.roleButton(ctx)...)
	}
	kb := r.roleButton(ctx)
	if len(kb) == 0 { // a teacher acting as family without children: no family to show
		return true, r.switchRole(ctx, diary.ActingTeacher)
	}
	return true, r.say(ctx, r.p.T("welcome_back"), append(r.shortcuts(), kb...)...)
}

// roleButton is the one-button switch to the other role, for a person who is
// both a teacher and a parent (or pupil); none for anyone else.
func (r *request) roleButton(ctx context.Context) [][]models.InlineKeyboardButton {
	children, err := r.b.store.Children(ctx, r.account.ID)
	if err != nil || len(children) == 0 {
		return nil
	}
	if _, _, err := r.b.store.TeacherClasses(ctx, r.account.ID); err != nil {
		return nil
	}
	if r.account.ActingAs == diary.ActingTeacher {
		return [][]models.InlineKeyboardButton{{{Text: r.p.T("role_to_family"), CallbackData: r.b.codec.Encode(telegram.ButtonRole, 0)}}}
	}
	return [][]models.InlineKeyboardButton{{{Text: r.p.T("role_to_teacher"), CallbackData: r.b.codec.Encode(telegram.ButtonRole, 1)}}}
}

// role answers /role: the switch, or why there is none.
func (r *request) role(ctx context.Context, _ string) error {
	kb := r.roleButton(ctx)
	if len(kb) == 0 {
		return r.say(ctx, r.p.T("role_single"))
	}
	current := r.p.T("role_now_family")
	if r.account.ActingAs == diary.ActingTeacher {
		current = r.p.T("role_now_teacher")
	}
	return r.say(ctx, current, kb...)
}

func (r *request) onRoleButton(ctx context.Context, args []int64) error {
	if len(args) != 1 || args[0] < 0 || args[0] > 1 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	return r.switchRole(ctx, []string{diary.ActingFamily, diary.ActingTeacher}[args[0]])
}

// switchRole makes the account act in role, then greets it as /start would.
func (r *request) switchRole(ctx context.Context, role string) error {
	if role == diary.ActingTeacher {
		if _, _, err := r.b.store.TeacherClasses(ctx, r.account.ID); err != nil {
			return r.fail(ctx, err)
		}
	}
	if err := r.actAs(ctx, role); err != nil {
		return err
	}
	if role == diary.ActingTeacher {
		_, err := r.teacherStart(ctx)
		return err
	}
	return r.say(ctx, r.p.T("role_now_family"), append(r.shortcuts(), r.roleButton(ctx)...)...)
}

// actAs records the role and sets the chat's menu to match.
func (r *request) actAs(ctx context.Context, role string) error {
	if err := r.b.store.SetActingAs(ctx, r.account.ID, role); err != nil {
		return r.fail(ctx, err)
	}
	r.account.ActingAs = role
	return r.setChatMenu(ctx, role == diary.ActingTeacher)
}
