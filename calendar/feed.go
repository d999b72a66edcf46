// Package calendar serves an account's private iCalendar feed (RFC 5545): the
// lessons with their changes, the homework due and the school's events and
// meetings of every child the account sees, in the account's language, for a
// calendar app to subscribe to. The feed is made with arran4/golang-ical,
// which folds lines and escapes text as the RFC asks; what it holds comes
// from diary.Store.CalendarFeed, through the access rule.
package calendar

import (
	"fmt"
	"io"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// Write writes the feed of c as an iCalendar object. Times of lessons and
// events are in each school's zone (TZID with the IANA name), homework is an
// all-day event on its due date, DTSTAMP is now in UTC. UIDs name what an
// event is of (a lesson's slot, a homework, an event) and domain, so that a
// calendar app updates an event rather than adding it again: a lesson moved
// to another day keeps the UID of its own slot and moves in the app.
func Write(w io.Writer, c diary.Calendar, domain string, now time.Time) error {
	p := locales.For(c.Language)
	cal := ical.NewCalendarFor("Dnevnik")
	cal.SetMethod(ical.MethodPublish)
	cal.SetName(p.T("calendar_name"))
	cal.SetXWRCalName(p.T("calendar_name"))
	if len(c.Children) > 0 {
		cal.SetXWRTimezone(c.Children[0].Access.School.Location.String())
	}
	cal.SetRefreshInterval("PT1H")
	f := feed{cal: cal, p: p, domain: domain, now: now, several: len(c.Children) > 1}
	for _, ch := range c.Children {
		f.child(ch)
	}
	return cal.SerializeTo(w)
}

// feed adds the events of one account's feed to cal.
type feed struct {
	cal     *ical.Calendar
	p       *locales.Printer
	domain  string
	now     time.Time
	several bool // the account sees several children: each summary names its child
}

func (f *feed) child(ch diary.ChildCalendar) {
	pupil, loc := ch.Access.Pupil, ch.Access.School.Location
	for _, l := range ch.Lessons {
		if l.Change != nil && l.Change.Kind == diary.ChangeMoved && l.Change.MovedFrom.IsZero() {
			continue // moved away: it is in the feed where it moved to, under this slot's UID
		}
		f.lesson(pupil, loc, l)
	}
	for _, h := range ch.Homework {
		e := f.event(fmt.Sprintf("homework-%d-%d", pupil.ID, h.ID), pupil, f.p.T("calendar_homework", "Subject", h.Subject))
		e.SetAllDayStartAt(h.Due)
		e.SetAllDayEndAt(h.Due.AddDate(0, 0, 1))
		e.SetTimeTransparency(ical.TransparencyTransparent)
		e.SetDescription(lines(h.Title, h.Text))
	}
	for _, ev := range ch.Events {
		f.schoolEvent(pupil, loc, ev)
	}
}

// lesson adds a lesson as it will happen: at its slot, or where it moved to
// (with the UID of the slot it left); a cancelled one is kept, CANCELLED, so
// that an app strikes it out rather than losing it without a word.
func (f *feed) lesson(pupil diary.Person, loc *time.Location, l diary.Lesson) {
	slot, period := l.Date, l.Period
	var notes []string
	if c := l.Change; c != nil {
		switch {
		case c.Kind == diary.ChangeCancelled:
			notes = append(notes, f.p.T("calendar_lesson_cancelled"))
		case !c.MovedFrom.IsZero():
			slot, period = c.MovedFrom, c.MovedFromPeriod
			notes = append(notes, f.p.T("render_moved_from", "Date", f.p.Date(c.MovedFrom), "Period", c.MovedFromPeriod))
		case c.Substitute != nil:
			notes = append(notes, f.p.T("calendar_substitute"))
		case c.Room != "":
			notes = append(notes, f.p.T("render_room_changed", "Room", c.Room))
		}
		notes = append(notes, c.Note)
	}
	uid := fmt.Sprintf("lesson-%d-%d-%s-%d", pupil.ID, l.Class, slot.Format(time.DateOnly), period)
	e := f.event(uid, pupil, l.Subject)
	e.SetProperty(ical.ComponentPropertyDtStart, local(l.Date, l.Starts, loc), ical.WithTZID(loc.String()))
	e.SetProperty(ical.ComponentPropertyDtEnd, local(l.Date, l.Ends, loc), ical.WithTZID(loc.String()))
	if l.Room != "" {
		e.SetLocation(f.p.T("calendar_room", "Room", l.Room))
	}
	if l.Teacher != nil {
		notes = append(notes, f.p.T("calendar_teacher", "Teacher", render.TeacherName(*l.Teacher)))
	}
	if l.Topic != "" {
		notes = append(notes, f.p.T("calendar_topic", "Topic", l.Topic))
	}
	if !l.Held() {
		e.SetStatus(ical.ObjectStatusCancelled)
	} else {
		e.SetStatus(ical.ObjectStatusConfirmed)
	}
	e.SetDescription(lines(notes...))
}

// schoolEvent adds a school event or a parent meeting, with the account's
// answer to an invitation: in the description, and as the PARTSTAT of the
// account as an attendee.
func (f *feed) schoolEvent(pupil diary.Person, loc *time.Location, ev diary.Event) {
	e := f.event(fmt.Sprintf("event-%d-%d", pupil.ID, ev.ID), pupil, ev.Title)
	e.SetProperty(ical.ComponentPropertyDtStart, ev.Starts.In(loc).Format(localFormat), ical.WithTZID(loc.String()))
	if !ev.Ends.IsZero() {
		e.SetProperty(ical.ComponentPropertyDtEnd, ev.Ends.In(loc).Format(localFormat), ical.WithTZID(loc.String()))
	}
	if ev.Place != "" {
		e.SetLocation(ev.Place)
	}
	notes := []string{ev.Agenda}
	if ev.Class != "" {
		notes = append(notes, f.p.T("calendar_event_class", "Class", ev.Class))
	}
	if ev.Kind == "meeting" {
		status, answer := ical.ParticipationStatusNeedsAction, "calendar_answer_none"
		switch ev.Answer {
		case diary.AnswerYes:
			status, answer = ical.ParticipationStatusAccepted, "calendar_answer_yes"
		case diary.AnswerNo:
			status, answer = ical.ParticipationStatusDeclined, "calendar_answer_no"
		}
		notes = append(notes, f.p.T(answer))
		e.AddAttendee("urn:x-dnevnik:family", status, ical.WithCN(f.p.T("calendar_you")))
	}
	if ev.Cancelled {
		e.SetStatus(ical.ObjectStatusCancelled)
	} else {
		e.SetStatus(ical.ObjectStatusConfirmed)
	}
	e.SetDescription(lines(notes...))
}

// event adds an event with its UID, DTSTAMP and summary, which names the
// child when the account sees several.
func (f *feed) event(uid string, pupil diary.Person, summary string) *ical.VEvent {
	e := f.cal.AddEvent(uid + "@" + f.domain)
	e.SetDtStampTime(f.now)
	if f.several {
		summary = f.p.T("calendar_child_summary", "Child", pupil.GivenName, "Summary", summary)
	}
	e.SetSummary(summary)
	return e
}

// localFormat is a DATE-TIME in the zone its TZID names.
const localFormat = "20060102T150405"

// local is a bell time on a date, in the zone named beside it.
func local(day time.Time, at diary.Clock, loc *time.Location) string {
	return time.Date(day.Year(), day.Month(), day.Day(), int(at)/60, int(at)%60, 0, 0, loc).Format(localFormat)
}

// lines joins the lines of a description, leaving out empty ones.
func lines(parts ...string) string {
	var kept []string
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, "\n")
}
