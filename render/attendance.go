package render

import (
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Attendance renders an attendance report: a summary with the counts, then the
// absences and late arrivals by date. child is as for Day.
func Attendance(p *locales.Printer, r diary.AttendanceReport, child string) string {
	var m message
	m.add(heading(iconAttendance, p.T("render_attendance_title"), child, dateRange(p, r.From, r.To)))
	m.block()
	m.add(attendanceSummary(p, r))
	byDate(&m, p, r.Marks, func(a diary.AttendanceMark) time.Time { return a.Date },
		func(a diary.AttendanceMark) []string { return []string{markLine(p, a)} })
	return m.String()
}

// attendanceSummary is "Пропущен 1 день, пропущено 3 урока, из них 1 по
// уважительной причине, опозданий: 1".
func attendanceSummary(p *locales.Printer, r diary.AttendanceReport) string {
	if r.AbsentDays == 0 && r.AbsentLessons == 0 && r.Late == 0 {
		return p.T("render_attendance_clean")
	}
	var parts []string
	if r.AbsentDays > 0 {
		parts = append(parts, p.N("render_absent_days", r.AbsentDays))
	}
	if r.AbsentLessons > 0 {
		parts = append(parts, p.N("render_absences", r.AbsentLessons))
	}
	if r.Excused > 0 {
		parts = append(parts, p.T("render_absences_excused", "Count", r.Excused))
	}
	if r.Late > 0 {
		parts = append(parts, p.T("render_lates", "Count", r.Late))
	}
	return capitalize(strings.Join(parts, ", "))
}

// markLine is a mark with its place: "🚫 2 урок, Математика — пропуск по
// уважительной причине (болезнь)".
func markLine(p *locales.Printer, a diary.AttendanceMark) string {
	place := p.T("render_whole_day")
	if a.Period != 0 {
		place = p.T("render_period", "Period", a.Period)
		if a.Subject != "" {
			place += ", " + field(a.Subject)
		}
	}
	return iconLine(markIcon(a), capitalize(place)+" — "+markStatus(p, a))
}

func markIcon(a diary.AttendanceMark) string {
	if a.Status == "late" {
		return iconLate
	}
	return iconAbsent
}

// markStatus is "пропуск по уважительной причине (болезнь)", "опоздание".
func markStatus(p *locales.Printer, a diary.AttendanceMark) string {
	s := p.T("render_absent")
	if a.Status == "late" {
		s = p.T("render_late")
	}
	if a.Excused {
		s = p.T("render_excused", "Mark", s)
	}
	if reason := field(a.Reason); reason != "" {
		s = p.T("render_reason", "Mark", s, "Reason", reason)
	}
	return s
}
