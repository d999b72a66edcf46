package render

import (
	"html"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// HTML is text already in Telegram's HTML (a message of the locales, a view
// of this package): Text puts it in as it is.
type HTML string

// Text renders the message id with its values. A string value is plain text
// (a name, a title, what a person typed) and is escaped here, so that the bot
// never builds markup; an HTML value goes in as it is.
func Text(p *locales.Printer, id string, kv ...any) string {
	return p.T(id, escapeValues(kv)...)
}

// escapeValues escapes the string values of name, value pairs.
func escapeValues(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch v := v.(type) {
		case string:
			if i%2 == 1 {
				out[i] = html.EscapeString(v)
				continue
			}
			out[i] = v
		case HTML:
			out[i] = string(v)
		default:
			out[i] = v
		}
	}
	return out
}

// ChildHeader names the child an answer is about, above it, for an account
// with several children.
func ChildHeader(label string) string { return bold(field(label)) + "\n" }

// TeacherGreeting names the teacher, lists their classes (homerooms marked)
// and what a teacher can do.
func TeacherGreeting(p *locales.Printer, teacher diary.Person, classes []diary.TeacherClass) string {
	return Text(p, "teacher_hello", "Name", ChildName(teacher)) + "\n" + TeacherClassList(p, classes)
}

// TeacherClassList lists the teacher's classes, homerooms marked, and what the
// teacher can do.
func TeacherClassList(p *locales.Printer, classes []diary.TeacherClass) string {
	var m message
	if len(classes) == 0 {
		m.add(p.T("teacher_no_classes"))
	} else {
		m.add(p.T("teacher_classes"))
	}
	for _, c := range classes {
		line := "• " + field(c.Title)
		if c.Homeroom {
			line += " " + p.T("teacher_homeroom_mark")
		}
		m.add(line)
	}
	m.block()
	m.add(p.T("teacher_commands"))
	return m.String()
}
