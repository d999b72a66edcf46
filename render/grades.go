package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Grades renders a grade report: per subject the grades in date order with
// weights other than 1, the weighted average, the class average where the
// diary shows it, and the final grades. The heading names the term when the
// report is a term's, else the range. child is as for Day.
func Grades(p *locales.Printer, r diary.GradeReport, child string) string {
	period := dateRange(p, r.From, r.To)
	if r.Period != nil {
		period = field(r.Period.Title)
	}
	var m message
	m.add(heading(iconGrades, p.T("render_grades_title"), child, period))
	if len(r.Subjects) == 0 {
		m.block()
		m.add(p.T("render_grades_none"))
	}
	for _, s := range r.Subjects {
		m.block()
		m.add(SubjectLines(p, s)...)
	}
	return m.String()
}

// SubjectLines is one subject's block:
//
//	<b>Математика</b> · 5 оценок
//	5  4 (×2)  3  5  4
//	средний балл <b>4,17</b> · по классу 4,02
//	🏁 Итоговые: 2 четверть — <b>4</b>
//
// The web app shows each subject in a section of its own with these lines.
func SubjectLines(p *locales.Printer, s diary.SubjectGrades) []string {
	title := bold(field(s.Subject))
	if len(s.Grades) == 0 {
		return append([]string{title}, finalGrades(p, s.Final)...)
	}
	scores := make([]string, len(s.Grades))
	for i, g := range s.Grades {
		scores[i] = score(p, g)
	}
	averages := p.T("render_average", "Average", bold(average(p, s.Average)))
	if s.ClassAverageShown {
		averages = join(averages, p.T("render_class_average", "Average", average(p, s.ClassAverage)))
	}
	lines := []string{
		join(title, p.N("grades_count", len(s.Grades))),
		strings.Join(scores, scoreSep),
		capitalize(averages),
	}
	return append(lines, finalGrades(p, s.Final)...)
}

// scoreSep parts grades in a list; wider than a comma, which is the Russian
// decimal mark.
const scoreSep = "  "

// finalGrades is the line of term and year grades, none when there are none.
func finalGrades(p *locales.Printer, finals []diary.Grade) []string {
	if len(finals) == 0 {
		return nil
	}
	items := make([]string, len(finals))
	for i, g := range finals {
		items[i] = sessionName(p, g) + " — " + bold(score(p, g))
	}
	return []string{iconLine(iconFinal, p.T("render_final", "Grades", strings.Join(items, ", ")))}
}

// sessionName is the term or year a final grade is for: its title in the
// diary, else what kind of grade it is.
func sessionName(p *locales.Printer, g diary.Grade) string {
	switch {
	case g.Session != "":
		return field(g.Session)
	case g.Kind == diary.GradeYear:
		return p.T("render_final_year")
	}
	return p.T("render_final_term")
}

// gradeDetail is a grade as the day view shows it: "<b>4 (×2)</b> ·
// Контрольная работа · «Ошибка в задаче 3»".
func gradeDetail(p *locales.Printer, g diary.Grade) string {
	return join(bold(score(p, g)), field(g.Work), quote(p, g.Comment))
}

// quote is a teacher's comment in the language's quotation marks; "" for none.
func quote(p *locales.Printer, comment string) string {
	if c := field(comment); c != "" {
		return p.T("render_quote", "Text", c)
	}
	return ""
}
