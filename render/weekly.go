package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Weekly renders an account's weekly summary, one message for all its children:
// per child (under its label when there are several) each subject's grades of
// the week with their average against the week before, the absences, the
// remarks, and whether the week is signed. unsigned lists the children whose
// week the account may sign and has not: the caller adds a sign button for each.
func Weekly(p *locales.Printer, w diary.WeeklySummary) (text string, unsigned []diary.PersonID) {
	var m message
	if len(w.Children) > 0 {
		c := w.Children[0]
		m.add(heading(iconGrades, p.T("weekly_title"), "", dateRange(p, c.Monday, c.Sunday)))
	}
	for _, c := range w.Children {
		m.block()
		if len(w.Children) > 1 {
			m.add(bold(field(ChildLabel(c.Pupil, c.Class))))
		}
		if len(c.Subjects) == 0 {
			m.add(p.T("weekly_no_grades"))
		}
		for _, s := range c.Subjects {
			m.add(weekSubject(p, s))
		}
		m.add(iconLine(iconAttendance, attendanceSummary(p, c.Attendance)))
		if c.Remarks > 0 {
			m.add(iconLine(iconRemark, p.N("weekly_remarks", c.Remarks)))
		}
		switch {
		case !c.CanSign: // only a guardian signs
		case c.Signed:
			m.add(iconLine(iconSigned, p.T("weekly_signed")))
		default:
			m.add(iconLine(iconSign, p.T("weekly_sign")))
			unsigned = append(unsigned, c.Pupil.ID)
		}
	}
	return m.String(), unsigned
}

// weekSubject is "<b>Математика</b>: 5  4 (×2) · средний балл <b>4,33</b> · ↑
// неделей раньше 3,50".
func weekSubject(p *locales.Printer, s diary.WeekSubject) string {
	scores := make([]string, len(s.Grades))
	for i, g := range s.Grades {
		scores[i] = score(p, g)
	}
	line := subjectItem(s.Subject, strings.Join(scores, scoreSep)) + sep +
		p.T("render_average", "Average", bold(average(p, s.Average)))
	if s.PreviousAverage == 0 {
		return line
	}
	return line + sep + iconLine(trend(s.Average, s.PreviousAverage), p.T("weekly_previous", "Average", average(p, s.PreviousAverage)))
}

// trend compares averages as they are shown, in hundredths; averages are never
// negative, so adding a half rounds.
func trend(now, before float64) string {
	switch now, before := int(now*100+0.5), int(before*100+0.5); {
	case now > before:
		return iconUp
	case now < before:
		return iconDown
	}
	return iconSame
}
