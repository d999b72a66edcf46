package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Digest renders an account's digest, one message for all its children: a
// heading with today's date, then per child (under its label when there are
// several) today's grades, marks and remarks, the lessons of the day ahead a
// line each with their changes, the homework due that day, and the coming
// events. The day ahead is tomorrow in the evening digest and today in the
// morning one, which says so in its heading.
//
// empty tells that no child has anything to tell. The text is then a short
// "nothing new" when the account asked for empty digests
// (Settings.DigestWhenEmpty), and "" otherwise: nothing to send.
func Digest(p *locales.Printer, d diary.Digest) (text string, empty bool) {
	empty = true
	for _, c := range d.Children {
		empty = empty && c.Empty
	}
	if len(d.Children) == 0 || (empty && !d.Settings.DigestWhenEmpty) {
		return "", empty
	}
	// Children in schools of different zones could straddle noon; the first
	// child's digest names the whole message.
	morning := d.Children[0].Morning
	icon, title, nothing := iconDigest, p.T("digest_title"), p.T("digest_nothing")
	if morning {
		icon, title, nothing = iconMorning, p.T("digest2_morning_title"), p.T("digest2_morning_nothing")
	}
	var m message
	m.add(heading(icon, title, "", p.Date(d.Children[0].Today)))
	for _, c := range d.Children {
		m.block()
		if len(d.Children) > 1 {
			m.add(bold(field(ChildLabel(c.Pupil, c.Class))))
		}
		if c.Empty {
			m.add(nothing)
			continue
		}
		childDigest(&m, p, c)
	}
	return m.String(), empty
}

// childDigest writes what one child's digest tells, a block for today, one for
// the day ahead and one for the events.
func childDigest(m *message, p *locales.Printer, c diary.ChildDigest) {
	ahead := p.T("digest_tomorrow", "Date", p.Date(c.Ahead.Date))
	if c.Morning {
		ahead = p.T("digest2_today", "Date", p.Date(c.Ahead.Date))
	}
	m.add(gradesBySubject(p, c.Grades)...)
	for _, a := range c.Absences {
		m.add(markLine(p, a))
	}
	for _, r := range c.Remarks {
		m.add(remarkLine(r))
	}
	m.block()
	m.add(compactDay(p, c.Ahead, ahead)...)
	for _, l := range c.Ahead.Lessons {
		for _, h := range l.Homework {
			m.add(homeworkLine(h))
		}
	}
	for _, h := range c.Ahead.Homework {
		m.add(homeworkLine(h))
	}
	m.block()
	for _, e := range c.Events {
		m.add(iconLine(eventIcon(e), join(eventTitle(p, e), eventTime(p, e, c.School.Location))))
	}
}

// gradesBySubject is a line per subject of the grades, in the order the
// subjects first come: "⭐ <b>Математика</b>: <b>5</b>  <b>4 (×2)</b>".
func gradesBySubject(p *locales.Printer, grades []diary.Grade) []string {
	var subjects []string
	scores := map[string][]string{}
	for _, g := range grades {
		if _, seen := scores[g.Subject]; !seen {
			subjects = append(subjects, g.Subject)
		}
		scores[g.Subject] = append(scores[g.Subject], bold(score(p, g)))
	}
	lines := make([]string, len(subjects))
	for i, s := range subjects {
		lines[i] = iconLine(iconGrade, subjectItem(s, strings.Join(scores[s], scoreSep)))
	}
	return lines
}
