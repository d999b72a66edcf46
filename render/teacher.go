package render

// A teacher's views of their classes: the week's signatures, a meeting and
// its answers.

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// WeekSpan names a week by its first and last day: "16 ноября — 22 ноября".
func WeekSpan(p *locales.Printer, monday time.Time) string {
	return p.T("week_span", "From", p.Date(monday), "To", p.Date(monday.AddDate(0, 0, 6)))
}

// ClassSignatures is a class teacher's view of a week's signatures: who of
// the class signed the week that starts on monday, and who did not.
func ClassSignatures(p *locales.Printer, class string, monday time.Time, list []diary.PupilSignatures) string {
	var signed, unsigned []string
	for _, ps := range list {
		if ps.Signed > 0 {
			signed = append(signed, field(ChildName(ps.Pupil)))
		} else {
			unsigned = append(unsigned, field(ChildName(ps.Pupil)))
		}
	}
	var m message
	m.add(p.T("signed_title", "Class", field(class), "Week", WeekSpan(p, monday)),
		p.T("signed_yes", "Count", len(signed), "Names", namesOrDash(signed)),
		p.T("signed_no", "Count", len(unsigned), "Names", namesOrDash(unsigned)))
	return m.String()
}

// namesOrDash joins names, or is a dash for none.
func namesOrDash(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	return strings.Join(names, ", ")
}

// MeetingAnswers is a teacher's view of a meeting's answers: the pupils
// whose families will come, will not, have not answered, and who have nobody
// in the bot; a pupil whose family answered several times is named with the
// count.
func MeetingAnswers(p *locales.Printer, families []diary.MeetingFamily) string {
	var yes, no, pending, absent []string
	name := func(f diary.MeetingFamily, n int) string {
		s := field(ChildName(f.Pupil))
		if n > 1 {
			s += fmt.Sprintf(" (%d)", n)
		}
		return s
	}
	for _, f := range families {
		if f.Yes > 0 {
			yes = append(yes, name(f, f.Yes))
		}
		if f.No > 0 {
			no = append(no, name(f, f.No))
		}
		if f.Unanswered > 0 {
			pending = append(pending, name(f, f.Unanswered))
		}
		if f.Yes+f.No+f.Unanswered == 0 {
			absent = append(absent, name(f, 0))
		}
	}
	var m message
	for _, list := range []struct {
		id    string
		names []string
	}{{"meeting_yes", yes}, {"meeting_no", no}, {"meeting_pending", pending}, {"meeting_absent", absent}} {
		m.add(p.T(list.id, "Count", len(list.names), "Names", namesOrDash(list.names)))
	}
	return m.String()
}

// MeetingCard is a meeting as the families' list of events shows it, for the
// teacher who called it.
func MeetingCard(p *locales.Printer, m diary.Meeting) string {
	return EventCard(p, m.Event, m.School.Location)
}
