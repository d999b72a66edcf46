package bot

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// signed answers /signed: for each of the teacher's homeroom classes, whose
// families signed the week guardians are now asked to sign (see /sign), and
// whose did not.
func (r *request) signed(ctx context.Context, _ string) error {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return err
	}
	var parts []string
	for _, c := range classes {
		if !c.Homeroom {
			continue
		}
		monday := diary.WeekToSign(r.b.store.Today(c.School))
		list, err := r.b.store.ClassSignatures(ctx, c.Access, monday)
		if err != nil {
			return r.fail(ctx, err)
		}
		parts = append(parts, render.ClassSignatures(r.p, c.Title, monday, list))
	}
	if len(parts) == 0 {
		return r.say(ctx, r.p.T("signed_no_homeroom"))
	}
	return r.say(ctx, strings.Join(parts, "\n\n"))
}

// sign answers /sign: one button signs the week that is over.
func (r *request) sign(ctx context.Context, _ string) error {
	pupil, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	if !pupil.access.CanSign() {
		return r.say(ctx, r.p.T("sign_guardian_only"))
	}
	monday := diary.WeekToSign(r.b.store.Today(pupil.access.School))
	return r.show(ctx, render.SignAsk(r.p, pupil.header, monday), []models.InlineKeyboardButton{
		r.b.codec.SignButton(r.p.T("sign_button"), pupil.id, monday)})
}

func (r *request) onSignButton(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	pupil, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	monday := telegram.ArgDate(args[1])
	// Signed already (a second press) is signed.
	if err := r.b.store.SignWeek(ctx, r.account.ID, pupil.id, monday); err != nil && diary.ErrorCode(err) != diary.ECONFLICT {
		return r.fail(ctx, err)
	}
	return r.show(ctx, render.SignDone(r.p, pupil.header, monday))
}
