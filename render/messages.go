package render

import (
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Question is a family's message as its teacher reads it: the pupil's name
// and class and who wrote (a parent or the pupil), never the writer's
// Telegram name, username or phone.
func Question(p *locales.Printer, m diary.ThreadMessage) string {
	who := p.T("messages_from_guardian")
	if m.Writer == diary.RoleStudent {
		who = p.T("messages_from_pupil")
	}
	return Text(p, "messages_question", "Who", who, "Child", ChildName(m.Pupil), "Class", m.Class,
		"Text", m.Body)
}

// Answer is the teacher's answer as the family reads it.
func Answer(p *locales.Printer, m diary.ThreadMessage) string {
	return Text(p, "messages_answer", "Teacher", TeacherName(m.Teacher), "Child", ChildName(m.Pupil), "Text", m.Body)
}

// MessageTeacher is a teacher on the family's button: the name, and whether
// they are the class teacher and which subjects they teach the child.
func MessageTeacher(p *locales.Printer, t diary.MessageTeacher) string {
	var what []string
	if t.Homeroom {
		what = append(what, p.T("messages_class_teacher"))
	}
	what = append(what, t.Subjects...)
	if len(what) == 0 {
		return TeacherName(t.Teacher)
	}
	return TeacherName(t.Teacher) + " — " + strings.Join(what, ", ")
}

// OfficeHours reads "пн–пт 15:00–18:00", "Mon, Wed 9:00–11:00", "ежедневно 15:00–18:00".
func OfficeHours(p *locales.Printer, h diary.OfficeHours) string {
	hours := h.Opens.String() + "–" + h.Closes.String()
	days := h.Weekdays()
	if len(days) == 7 {
		return p.T("messages_every_day") + " " + hours
	}
	name := func(d int) string { return p.Weekday(time.Weekday(d % 7)) }
	var runs []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1] == days[j]+1 {
			j++
		}
		switch {
		case j == i:
			runs = append(runs, name(days[i]))
		case j == i+1:
			runs = append(runs, name(days[i]), name(days[j]))
		default:
			runs = append(runs, name(days[i])+"–"+name(days[j]))
		}
		i = j + 1
	}
	return strings.Join(runs, ", ") + " " + hours
}
