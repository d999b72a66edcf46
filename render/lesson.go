package render

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// lessonLine is a lesson's headline, "1. 08:30–09:15 <b>Математика</b> · каб. 214 ·
// Иванова М. П.", with any change last. A lesson not held has its subject struck
// through and says why; a held one shows a substitute or a new room in place of
// the usual. The week's compact line keeps the start time and the subject plain
// and leaves out the usual teacher.
func lessonLine(p *locales.Printer, l diary.Lesson, compact bool) string {
	head := fmt.Sprintf("%d.", l.Period)
	if t := lessonTime(l, compact); t != "" {
		head += " " + t
	}
	if !l.Held() {
		return head + " " + join(strike(field(l.Subject)), lessonChange(p, l.Change))
	}
	subject := field(l.Subject)
	if !compact {
		subject = bold(subject)
	}
	return head + " " + join(subject, lessonRoom(p, l), lessonTeacher(p, l, compact), lessonChange(p, l.Change))
}

// lessonTime is the bell time; none when the timetable gives none.
func lessonTime(l diary.Lesson, compact bool) string {
	switch {
	case l.Starts == 0 && l.Ends == 0:
		return ""
	case compact:
		return l.Starts.String()
	}
	return l.Starts.String() + "–" + l.Ends.String()
}

func lessonRoom(p *locales.Printer, l diary.Lesson) string {
	switch {
	case l.Change != nil && l.Change.Room != "":
		return iconLine(iconRoom, p.T("render_room_changed", "Room", roomName(p, l.Change.Room)))
	case l.Room != "":
		return roomName(p, l.Room)
	}
	return ""
}

// roomName is "каб. 214" for a numbered room, the name itself for "Спортзал".
func roomName(p *locales.Printer, room string) string {
	name := field(room)
	if r, _ := utf8.DecodeRuneInString(name); unicode.IsDigit(r) {
		return p.T("render_room", "Room", name)
	}
	return name
}

func lessonTeacher(p *locales.Printer, l diary.Lesson, compact bool) string {
	switch {
	case l.Change != nil && l.Change.Substitute != nil:
		return iconLine(iconSubstitute, p.T("render_substitute", "Teacher", field(TeacherName(*l.Change.Substitute))))
	case l.Teacher != nil && !compact:
		return field(TeacherName(*l.Teacher))
	}
	return ""
}

// lessonChange says that a lesson was cancelled or moved; a substitute and a new
// room are told in their own places.
func lessonChange(p *locales.Printer, c *diary.LessonChange) string {
	icon, s := changeOf(p, c)
	if s == "" {
		return ""
	}
	return iconLine(icon, s)
}

// ChangeText is lessonChange without its icon, plain text (its values are
// dates and numbers): what the printed week says of a cancelled or moved
// lesson, as the chat says it.
func ChangeText(p *locales.Printer, c *diary.LessonChange) string {
	_, s := changeOf(p, c)
	return s
}

// changeOf is the icon and the words of a lesson cancelled or moved; "" for
// none or another change.
func changeOf(p *locales.Printer, c *diary.LessonChange) (icon, s string) {
	switch {
	case c == nil:
		return "", ""
	case c.Kind == diary.ChangeCancelled:
		return iconCancelled, p.T("render_lesson_cancelled")
	case c.Kind == diary.ChangeMoved && !c.MovedFrom.IsZero():
		return iconMovedFrom, p.T("render_moved_from", "Date", p.Date(c.MovedFrom), "Period", c.MovedFromPeriod)
	case c.Kind == diary.ChangeMoved:
		return iconMovedTo, p.T("render_moved_to", "Date", p.Date(c.MovedTo), "Period", c.MovedToPeriod)
	}
	return "", ""
}

// LessonCell is a lesson as a cell of the web app's week (the row and column
// say its period and day): the subject, struck through when not held, its new
// room, substitute or move, then the day view's lines. Telegram HTML is HTML,
// escaped here like every text of render, so the app shows the bot's words as
// they are.
func LessonCell(p *locales.Printer, l diary.Lesson) (head string, details []string) {
	if !l.Held() {
		return join(strike(field(l.Subject)), lessonChange(p, l.Change)), detailLines(p, l)
	}
	return join(bold(field(l.Subject)), lessonRoom(p, l), lessonTeacher(p, l, true), lessonChange(p, l.Change)), detailLines(p, l)
}

// lessonDetails are the lines under a lesson's headline in the day view,
// indented.
func lessonDetails(p *locales.Printer, l diary.Lesson) []string {
	lines := detailLines(p, l)
	for i := range lines {
		lines[i] = indent + lines[i]
	}
	return lines
}

// detailLines are what happened at a lesson: the change's note, the topic,
// the homework due, the grades given, the pupil's mark.
func detailLines(p *locales.Printer, l diary.Lesson) []string {
	var lines []string
	if l.Change != nil && l.Change.Note != "" {
		lines = append(lines, iconLine(iconNote, text(l.Change.Note)))
	}
	if l.Topic != "" {
		lines = append(lines, topicLine(p, l.Topic))
	}
	for _, h := range l.Homework {
		lines = append(lines, iconLine(iconHomework, p.T("render_lesson_homework", "Text", homeworkText(h))))
	}
	for _, g := range l.Grades {
		lines = append(lines, iconLine(iconGrade, gradeDetail(p, g)))
	}
	if m := l.Attendance; m != nil {
		lines = append(lines, iconLine(markIcon(*m), capitalize(markStatus(p, *m))))
	}
	return lines
}

func topicLine(p *locales.Printer, topic string) string {
	return iconLine(iconTopic, p.T("render_topic", "Topic", field(topic)))
}
