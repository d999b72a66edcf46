package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// The previews a teacher confirms before anything is written: an
// announcement (and the question that asks for it), homework, a lesson change.

// Audience says who gets an announcement and how: "родителям и ученикам, срочно".
func Audience(p *locales.Printer, toPupils, urgent bool) string {
	who := p.T("announce_to_families")
	if toPupils {
		who = p.T("announce_to_all")
	}
	if urgent {
		return p.T("announce_audience_urgent", "Who", who)
	}
	return who
}

// AnnounceOptions asks for an announcement's text, saying to whom it goes
// and how long it may be.
func AnnounceOptions(p *locales.Printer, class string, toPupils, urgent bool) string {
	return Text(p, "announce_options", "Class", class, "Audience", HTML(Audience(p, toPupils, urgent)),
		"Max", diary.MaxAnnouncementLength)
}

// AnnouncementPreview is an announcement as it will go out, to whom, and to
// how many accounts.
func AnnouncementPreview(p *locales.Printer, class, text string, toPupils, urgent bool, recipients int) string {
	return Text(p, "announce_preview", "Class", class, "Audience", HTML(Audience(p, toPupils, urgent)), "Text", text,
		"Recipients", HTML(p.N("announce_recipients", recipients)))
}

// HomeworkPreview is homework as it will be saved.
func HomeworkPreview(p *locales.Printer, class string, due time.Time, text string) string {
	return Text(p, "hw_preview", "Class", class, "Date", p.Date(due), "Text", text)
}

// ChangePreview is a lesson change as it will be saved; substitute is the
// substitute teacher's name, for a ChangeSubstitute.
func ChangePreview(p *locales.Printer, class string, c diary.NewLessonChange, substitute string) string {
	var what string
	switch c.Kind {
	case diary.ChangeCancelled:
		what = p.T("change_what_cancelled")
	case diary.ChangeSubstitute:
		what = Text(p, "change_what_substitute", "Teacher", substitute)
	case diary.ChangeRoom:
		what = Text(p, "change_what_room", "Room", c.Room)
	case diary.ChangeMoved:
		what = p.T("change_what_moved", "Date", p.Date(c.MovedTo), "Period", c.MovedToPeriod)
	}
	return Text(p, "change_preview", "Class", class, "Date", p.Date(c.Date), "Period", c.Period, "What", HTML(what))
}
