package bot

import (
	"bytes"
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// A term's grades with a button per subject; a subject's page with every grade
// in detail, ◀ ▶ to the terms either side, its chart and the way back. Every
// press names the pupil, class and term and is checked again.

// subjectsPerRow is how many subject buttons share a row: two fit a phone's
// width with the longest subject names («Английский язык»).
const subjectsPerRow = 2

// showGradeList shows a term's report with a button per subject: as a new
// message, or in place of the one a pressed button is on when edit is set.
func (r *request) showGradeList(ctx context.Context, p pupil, report diary.GradeReport, edit bool) error {
	var kb [][]models.InlineKeyboardButton
	for i, s := range report.Subjects {
		if i%subjectsPerRow == 0 {
			kb = append(kb, nil)
		}
		btn := models.InlineKeyboardButton{Text: s.Subject,
			CallbackData: r.b.codec.Encode(telegram.ButtonGradesPage, int64(p.id), int64(s.Class), report.Period.ID)}
		kb[len(kb)-1] = append(kb[len(kb)-1], btn)
	}
	kb = r.withDiary(kb)
	text := render.Grades(r.p, report, p.label)
	if edit {
		return r.show(ctx, text, kb...)
	}
	return r.say(ctx, text, kb...)
}

// onGradeListButton shows the grades of the term holding a day: "back to the
// list" from a subject's page (edit), or the weekly summary's button (a new
// message, which leaves the summary as it was).
func (r *request) onGradeListButton(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	report, err := r.b.store.TermGrades(ctx, p.access, telegram.ArgDate(args[1]))
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	return r.showGradeList(ctx, p, report, args[2] == 0)
}

// showSubjectPage shows one subject's grades in a term.
func (r *request) showSubjectPage(ctx context.Context, p pupil, class diary.ClassID, term int64) error {
	page, err := r.b.store.SubjectGrades(ctx, p.access, class, term)
	if err != nil {
		return r.fail(ctx, err)
	}
	id, cls := int64(p.id), int64(class)
	var nav []models.InlineKeyboardButton
	if page.Prev != nil {
		nav = append(nav, models.InlineKeyboardButton{Text: "◀ " + page.Prev.Title,
			CallbackData: r.b.codec.Encode(telegram.ButtonGradesPage, id, cls, page.Prev.ID)})
	}
	if page.Next != nil {
		nav = append(nav, models.InlineKeyboardButton{Text: page.Next.Title + " ▶",
			CallbackData: r.b.codec.Encode(telegram.ButtonGradesPage, id, cls, page.Next.ID)})
	}
	var kb [][]models.InlineKeyboardButton
	if len(nav) > 0 {
		kb = append(kb, nav)
	}
	if len(page.Grades.Grades) > 0 {
		kb = append(kb, []models.InlineKeyboardButton{{Text: r.p.T("grades_chart_button"),
			CallbackData: r.b.codec.Encode(telegram.ButtonGradesChart, id, cls, term)}})
	}
	kb = append(kb, []models.InlineKeyboardButton{{Text: r.p.T("grades_all_button"),
		CallbackData: r.b.codec.Encode(telegram.ButtonGradesList, id, telegram.DateArg(page.Term.Start), 0)}})
	return r.show(ctx, render.SubjectGrades(r.p, page, p.label), kb...)
}

func (r *request) onSubjectPageButton(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	return r.showSubjectPage(ctx, p, diary.ClassID(args[1]), args[2])
}

// onChartButton sends the subject's chart of the term as a photo, its caption
// naming the subject, the term and, with several children, the child.
func (r *request) onChartButton(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	return r.sendChart(ctx, p, diary.ClassID(args[1]), args[2])
}

// onWeeklyChartButton is onChartButton from under the weekly summary, which
// names the week rather than the term: the chart is of the term holding it.
func (r *request) onWeeklyChartButton(ctx context.Context, args []int64) error {
	if len(args) != 3 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	term, err := r.b.store.CurrentTerm(ctx, p.access, telegram.ArgDate(args[2]))
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.sendChart(ctx, p, diary.ClassID(args[1]), term.ID)
}

// sendChart sends the pupil's chart of the subject (class) in the term.
func (r *request) sendChart(ctx context.Context, p pupil, class diary.ClassID, term int64) error {
	page, err := r.b.store.SubjectGrades(ctx, p.access, class, term)
	if err != nil {
		return r.fail(ctx, err)
	}
	if len(page.Grades.Grades) == 0 {
		return r.answerAlert(ctx, r.p.T("grades_chart_none"))
	}
	png, err := render.GradeChart(r.p, page)
	if err != nil {
		return fmt.Errorf("draw the chart of class %d: %w", class, err)
	}
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	_, err = r.b.client.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: r.chatID,
		Photo:   &models.InputFileUpload{Filename: "grades.png", Data: bytes.NewReader(png)},
		Caption: render.ChartCaption(r.p, page, p.label), ParseMode: models.ParseModeHTML})
	if err != nil {
		return fmt.Errorf("send photo: %w", err)
	}
	return nil
}
