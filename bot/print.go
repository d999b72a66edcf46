package bot

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/paper"
	"github.com/dnevnik/dnevnik/render"
)

// print answers a class teacher's /print [date|следующая|прошлая]: the
// printed week of each of their homeroom classes (package paper), a PDF
// document a page per pupil, for the week holding the day asked (this one
// without). A teacher who is no class teacher is told so.
func (r *request) print(ctx context.Context, args string) error {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return err
	}
	if !slices.ContainsFunc(classes, func(c diary.TeacherClass) bool { return c.Homeroom }) {
		return r.say(ctx, r.p.T("print_not_class_teacher"))
	}
	for _, c := range classes {
		if !c.Homeroom {
			continue
		}
		day, ok := printDay(args, r.b.store.Today(c.School))
		if !ok {
			return r.say(ctx, render.Text(r.p, "bad_date", "Text", args))
		}
		week, err := r.b.store.HomeroomWeek(ctx, c.Access, day)
		if err != nil {
			return r.fail(ctx, err)
		}
		if len(week.Pupils) == 0 {
			if err := r.say(ctx, render.Text(r.p, "print_no_pupils", "Class", c.Title)); err != nil {
				return err
			}
			continue
		}
		if err := r.sendWeek(ctx, week); err != nil {
			return err
		}
	}
	return nil
}

// printDay is the day whose week /print prints: today's without an
// argument, the next or the last with a word, else a day as parseDay reads it.
func printDay(args string, today time.Time) (time.Time, bool) {
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "", "эта", "эту", "this":
		return today, true
	case "следующая", "следующую", "след", "next":
		return today.AddDate(0, 0, 7), true
	case "прошлая", "прошлую", "last", "previous":
		return today.AddDate(0, 0, -7), true
	}
	return parseDay(args, today)
}

// sendWeek sends the class's printed week as a document, with a caption that
// names the class and the week.
func (r *request) sendWeek(ctx context.Context, week diary.ClassWeek) error {
	var pdf bytes.Buffer
	if err := paper.Week(&pdf, week, r.p); err != nil {
		return fmt.Errorf("print the week of %s: %w", week.Monday.Format(time.DateOnly), err)
	}
	caption := render.Text(r.p, "print_caption", "Class", week.Class,
		"From", r.p.Date(week.Monday), "To", r.p.DateYear(week.Sunday))
	_, err := r.b.client.SendDocument(ctx, &tg.SendDocumentParams{
		ChatID:    r.chatID,
		Document:  &models.InputFileUpload{Filename: paper.FileName(week), Data: &pdf},
		Caption:   caption,
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		return fmt.Errorf("send document: %w", err)
	}
	return nil
}
