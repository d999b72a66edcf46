package bot

import (
	"context"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// typedToday is the day typed dates are read against before a child, and so a
// school and its zone, is known; the view then reads them in the school's zone.
func (r *request) typedToday() time.Time {
	return diary.Date(r.b.store.Now(), schoolZone)
}

// schoolZone is the default school zone.
var schoolZone = mustZone("Europe/Moscow")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// todayCommand answers /today, tomorrow /tomorrow.
func (r *request) todayCommand(ctx context.Context, _ string) error { return r.dayFromToday(ctx, 0) }
func (r *request) tomorrow(ctx context.Context, _ string) error     { return r.dayFromToday(ctx, 1) }

func (r *request) dayFromToday(ctx context.Context, offset int) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	return r.showDayOf(ctx, p, r.b.store.Today(p.access.School).AddDate(0, 0, offset))
}

// showDay answers a date typed on its own: "завтра", "пт", "28.11".
func (r *request) showDay(ctx context.Context, typed string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	day, _ := parseDay(typed, r.b.store.Today(p.access.School))
	return r.showDayOf(ctx, p, day)
}

func (r *request) showDayOf(ctx context.Context, p pupil, day time.Time) error {
	s, err := r.b.store.Days(ctx, p.access, day, day)
	if err != nil {
		return r.fail(ctx, err)
	}
	id := int64(p.id)
	nav := []models.InlineKeyboardButton{
		{Text: "◀ " + r.p.Date(day.AddDate(0, 0, -1)), CallbackData: r.b.codec.Encode(telegram.ButtonDay, id, telegram.DateArg(day.AddDate(0, 0, -1)))},
		{Text: r.p.Date(day.AddDate(0, 0, 1)) + " ▶", CallbackData: r.b.codec.Encode(telegram.ButtonDay, id, telegram.DateArg(day.AddDate(0, 0, 1)))},
	}
	week := []models.InlineKeyboardButton{{Text: r.p.T("nav_week"), CallbackData: r.b.codec.Encode(telegram.ButtonWeek, id, telegram.DateArg(day))}}
	return r.show(ctx, render.Day(r.p, s.Days[0], p.label), r.withDiary([][]models.InlineKeyboardButton{nav, week})...)
}

func (r *request) onDayButton(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	return r.showDayOf(ctx, p, telegram.ArgDate(args[1]))
}

// schedule answers /schedule [DATE|week]: the week by default.
func (r *request) schedule(ctx context.Context, args string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	today := r.b.store.Today(p.access.School)
	if args != "" && !isWeekWord(args) {
		day, ok := parseDay(args, today)
		if !ok {
			return r.say(ctx, render.Text(r.p, "bad_date", "Text", args))
		}
		return r.showDayOf(ctx, p, day)
	}
	return r.showWeekOf(ctx, p, schoolWeek(today))
}

func (r *request) showWeekOf(ctx context.Context, p pupil, day time.Time) error {
	monday, _ := diary.WeekOf(day)
	s, err := r.b.store.Days(ctx, p.access, monday, monday.AddDate(0, 0, 6))
	if err != nil {
		return r.fail(ctx, err)
	}
	id := int64(p.id)
	nav := []models.InlineKeyboardButton{
		{Text: r.p.T("nav_prev_week"), CallbackData: r.b.codec.Encode(telegram.ButtonWeek, id, telegram.DateArg(monday.AddDate(0, 0, -7)))},
		{Text: r.p.T("nav_next_week"), CallbackData: r.b.codec.Encode(telegram.ButtonWeek, id, telegram.DateArg(monday.AddDate(0, 0, 7)))},
	}
	return r.show(ctx, render.Week(r.p, s, p.label), r.withDiary([][]models.InlineKeyboardButton{nav})...)
}

func (r *request) onWeekButton(ctx context.Context, args []int64) error {
	if len(args) != 2 {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	p, ok, err := r.pupilFromButton(ctx, args[0])
	if !ok {
		return err
	}
	return r.showWeekOf(ctx, p, telegram.ArgDate(args[1]))
}

// homework answers /homework [tomorrow|DATE|week]: by default what is due on the
// next school day.
func (r *request) homework(ctx context.Context, args string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	today := r.b.store.Today(p.access.School)
	from := nextSchoolDay(today)
	to := from
	switch {
	case isWeekWord(args):
		from, _ = diary.WeekOf(schoolWeek(today))
		to = from.AddDate(0, 0, 6)
	case args != "":
		day, ok := parseDay(args, today)
		if !ok {
			return r.say(ctx, render.Text(r.p, "bad_date", "Text", args))
		}
		from, to = day, day
	}
	list, err := r.b.store.Homework(ctx, p.access, from, to)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.Homework(r.p, list, p.label))
}

// grades answers /grades [term|SUBJECT]: the current term's grades with a
// button per subject, or the page of the one subject typed (the list of those
// matching, when several do).
func (r *request) grades(ctx context.Context, args string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	report, err := r.b.store.TermGrades(ctx, p.access, r.b.store.Today(p.access.School))
	if err != nil {
		return r.fail(ctx, err)
	}
	if subject := strings.TrimSpace(args); subject != "" && !isTermWord(subject) {
		kept := report.Subjects[:0:0]
		for _, s := range report.Subjects {
			if matchesSubject(s.Subject, subject) {
				kept = append(kept, s)
			}
		}
		switch len(kept) {
		case 0:
			return r.say(ctx, render.Text(r.p, "no_such_subject", "Subject", subject))
		case 1:
			return r.showSubjectPage(ctx, p, kept[0].Class, report.Period.ID)
		}
		report.Subjects = kept
	}
	return r.showGradeList(ctx, p, report, false)
}

// attendance answers /attendance with the current term's absences.
func (r *request) attendance(ctx context.Context, _ string) error {
	p, term, ok, err := r.pupilAndTerm(ctx)
	if !ok {
		return err
	}
	rep, err := r.b.store.Attendance(ctx, p.access, term.Start, term.End)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.Attendance(r.p, rep, p.label))
}

// remarks answers /remarks with the current term's remarks.
func (r *request) remarks(ctx context.Context, _ string) error {
	p, term, ok, err := r.pupilAndTerm(ctx)
	if !ok {
		return err
	}
	list, err := r.b.store.Remarks(ctx, p.access, term.Start, term.End)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.Remarks(r.p, list, p.label))
}

func (r *request) pupilAndTerm(ctx context.Context) (pupil, diary.Session, bool, error) {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return pupil{}, diary.Session{}, false, err
	}
	term, err := r.b.store.CurrentTerm(ctx, p.access, r.b.store.Today(p.access.School))
	if err != nil {
		return pupil{}, diary.Session{}, false, r.fail(ctx, err)
	}
	return p, term, true, nil
}

// eventsAhead is how far ahead /events looks.
const eventsAhead = 30 * 24 * time.Hour

// events answers /events with the next month's events and meetings.
func (r *request) events(ctx context.Context, _ string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	list, err := r.b.store.UpcomingEvents(ctx, p.access, eventsAhead)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.Events(r.p, list, p.access.School.Location, p.label))
}

// missedDays is how far back /missed looks.
const missedDays = 30

// missed answers /missed: the topics and homework of lessons missed lately.
func (r *request) missed(ctx context.Context, _ string) error {
	p, ok, err := r.activePupil(ctx)
	if !ok {
		return err
	}
	today := r.b.store.Today(p.access.School)
	rep, err := r.b.store.Missed(ctx, p.access, today.AddDate(0, 0, -missedDays), today)
	if err != nil {
		return r.fail(ctx, err)
	}
	return r.say(ctx, render.Missed(r.p, rep, p.label))
}

// nextSchoolDay is tomorrow, or Monday when tomorrow is Sunday.
func nextSchoolDay(today time.Time) time.Time {
	d := today.AddDate(0, 0, 1)
	if d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// schoolWeek is a day of the week a parent means by "the week": from Saturday
// on, the coming one.
func schoolWeek(today time.Time) time.Time {
	if today.Weekday() == time.Saturday || today.Weekday() == time.Sunday {
		return today.AddDate(0, 0, 2)
	}
	return today
}

func isWeekWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "week", "неделя", "неделю", "нед":
		return true
	}
	return false
}

func isTermWord(s string) bool {
	switch strings.ToLower(s) {
	case "term", "четверть", "триместр", "семестр":
		return true
	}
	return false
}

// matchesSubject matches what a person typed against a subject's name: any word
// of the name starting with it, ignoring case and ё/е.
func matchesSubject(name, typed string) bool {
	fold := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "ё", "е") }
	typed = fold(typed)
	for _, w := range strings.Fields(fold(name)) {
		if strings.HasPrefix(w, typed) {
			return true
		}
	}
	return strings.HasPrefix(fold(name), typed)
}
