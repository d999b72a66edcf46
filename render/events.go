package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Events renders coming events, a block each: title, when, where and for whom,
// the agenda, and the account's answer. Times are in loc, the school's zone
// (PupilAccess.School.Location); it must not be nil. A cancelled event is struck
// through and says so. child is as for Day.
func Events(p *locales.Printer, l diary.EventList, loc *time.Location, child string) string {
	var m message
	m.add(heading(iconEvents, p.T("render_events_title"), child))
	if len(l.Events) == 0 {
		m.block()
		m.add(p.T("render_events_none"))
	}
	for _, e := range l.Events {
		m.block()
		m.add(eventLines(p, e, loc)...)
	}
	return m.String()
}

func eventLines(p *locales.Printer, e diary.Event, loc *time.Location) []string {
	audience := p.T("render_event_school")
	if e.Class != "" {
		audience = p.T("render_event_class", "Class", field(e.Class))
	}
	lines := []string{
		iconLine(eventIcon(e), eventTitle(p, e)),
		iconLine(iconTime, eventTime(p, e, loc)),
		iconLine(iconPlace, join(field(e.Place), audience)),
	}
	if e.Agenda != "" {
		lines = append(lines, iconLine(iconAgenda, text(e.Agenda)))
	}
	switch e.Answer {
	case diary.AnswerYes:
		lines = append(lines, iconLine(iconYes, p.T("render_rsvp_yes")))
	case diary.AnswerNo:
		lines = append(lines, iconLine(iconNo, p.T("render_rsvp_no")))
	}
	return lines
}

func eventIcon(e diary.Event) string {
	if e.Kind == "meeting" {
		return iconMeeting
	}
	return iconEvent
}

// eventTitle is the title in bold, or struck through and marked cancelled.
func eventTitle(p *locales.Printer, e diary.Event) string {
	if e.Cancelled {
		return join(strike(field(e.Title)), iconLine(iconCancelled, p.T("render_event_cancelled")))
	}
	return bold(field(e.Title))
}

// EventCard is one event as the list of events shows it: its title, time,
// place and audience, agenda, and the account's answer. A teacher's meeting
// card is one too.
func EventCard(p *locales.Printer, e diary.Event, loc *time.Location) string {
	var m message
	m.add(eventLines(p, e, loc)...)
	return m.String()
}

// When is an instant as people read it in the zone: "чт, 3 декабря, 18:30".
func When(p *locales.Printer, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return p.Date(t) + ", " + t.Format(clockLayout)
}

// eventTime is "чт, 3 декабря, 18:30–19:30"; an end on another day has its date.
func eventTime(p *locales.Printer, e diary.Event, loc *time.Location) string {
	start := e.Starts.In(loc)
	s := When(p, start, loc)
	if e.Ends.IsZero() {
		return s
	}
	end := e.Ends.In(loc)
	if diary.Date(start, loc).Equal(diary.Date(end, loc)) {
		return s + "–" + end.Format(clockLayout)
	}
	return s + " – " + p.Date(end) + ", " + end.Format(clockLayout)
}

// clockLayout writes a time of day as bell times are written: 18:30.
const clockLayout = "15:04"
