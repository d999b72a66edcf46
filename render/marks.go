package render

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// The teacher's /marks screens: the lessons of a day, and a lesson's class
// list with what each pupil got.

// LessonLabel names a lesson on a button, in plain text: "2. 09:25 7А Математика".
func LessonLabel(l diary.TeacherLesson, title string) string {
	if l.Starts == 0 && l.Ends == 0 {
		return fmt.Sprintf("%d. %s", l.Period, title)
	}
	return fmt.Sprintf("%d. %s %s", l.Period, l.Starts, title)
}

// TeacherDay is a teacher's lessons of a day, one a line; a lesson that is
// not held (cancelled, moved away) is struck through and says so.
func TeacherDay(p *locales.Printer, day time.Time, lessons []diary.TeacherLesson) string {
	if len(lessons) == 0 {
		return p.T("marks_no_lessons", "Date", p.Date(day))
	}
	var m message
	m.add(p.T("marks_lessons", "Date", p.Date(day)))
	for _, l := range lessons {
		label := field(LessonLabel(l, l.ClassTitle))
		if !l.Held() {
			m.add(strike(label) + " " + p.T("marks_not_held"))
			continue
		}
		m.add(label)
	}
	return m.String()
}

// LessonHeading is a lesson at the top of a teacher's message:
// "<b>7А Математика</b> · 2 урок, 09:25 · чт, 26 ноября".
func LessonHeading(p *locales.Printer, l diary.TeacherLesson) string {
	return p.T("lessons_heading", "Class", field(l.ClassTitle), "Period", l.Period, "Time", l.Starts.String(), "Date", p.Date(l.Date))
}

// Roster is a lesson's heading and class list, each pupil with what they got;
// with chosen, the line that asks what to give that pupil.
func Roster(p *locales.Printer, r diary.Roster, chosen *diary.RosterPupil) string {
	var m message
	m.add(LessonHeading(p, r.Lesson))
	m.block()
	for i, pupil := range r.Pupils {
		line := fmt.Sprintf("%d. %s", i+1, field(pupil.FamilyName+" "+pupil.GivenName))
		if marks := pupilMarks(p, pupil); marks != "" {
			line += " — " + field(marks)
		}
		m.add(line)
	}
	if len(r.Pupils) == 0 {
		m.add(p.T("marks_no_pupils"))
	}
	if chosen != nil {
		m.block()
		m.add(p.T("marks_choose", "Pupil", field(chosen.FamilyName+" "+chosen.GivenName)))
	}
	return m.String()
}

// RosterButton is a pupil on a button, in plain text: "Алёшина Д. · 5".
func RosterButton(p *locales.Printer, pupil diary.RosterPupil) string {
	name := pupil.FamilyName
	if initial, _ := utf8.DecodeRuneInString(pupil.GivenName); initial != utf8.RuneError {
		name += " " + string(initial) + "."
	}
	if marks := pupilMarks(p, pupil); marks != "" {
		name += " · " + marks
	}
	return name
}

// pupilMarks is what a pupil got at the lesson, in plain text: "5, опоздал(а), 💬1".
func pupilMarks(p *locales.Printer, pupil diary.RosterPupil) string {
	var marks []string
	if pupil.Grade != 0 {
		marks = append(marks, fmt.Sprint(pupil.Grade))
	}
	if pupil.Attendance != "" {
		marks = append(marks, p.T("marks_"+pupil.Attendance))
	}
	if pupil.Remarks > 0 {
		marks = append(marks, fmt.Sprintf("💬%d", pupil.Remarks))
	}
	return strings.Join(marks, ", ")
}
