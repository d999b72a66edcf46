package render

import (
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// SubjectGrades renders one subject's page of a term: each grade on a line
// with its date, weight, work and the teacher's comment, then the averages
// and the final grades. child is as for Day.
//
//	📊 <b>Математика</b> · 2 четверть
//
//	пт, 6 ноября — <b>3 (×2)</b> · Контрольная работа № 3 · «Ошибка в задаче 3»
//	…
//
//	Средний балл <b>3,00</b> · по классу 3,88
//	🏁 Итоговые: 2 четверть — <b>4</b>
func SubjectGrades(p *locales.Printer, page diary.SubjectTerm, child string) string {
	s := page.Grades
	var m message
	m.add(heading(iconGrades, field(s.Subject), child, field(page.Term.Title)))
	m.block()
	if len(s.Grades) == 0 {
		m.add(p.T("render_grades_none"))
	}
	for _, g := range s.Grades {
		m.add(p.Date(g.Date) + " — " + gradeDetail(p, g))
	}
	if len(s.Grades) > 0 || len(s.Final) > 0 {
		m.block()
	}
	if len(s.Grades) > 0 {
		averages := p.T("render_average", "Average", bold(average(p, s.Average)))
		if s.ClassAverageShown {
			averages = join(averages, p.T("render_class_average", "Average", average(p, s.ClassAverage)))
		}
		m.add(capitalize(averages))
	}
	m.add(finalGrades(p, s.Final)...)
	return m.String()
}
