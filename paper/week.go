// Package paper prints a class's week of the diary as an A4 PDF, a page for
// each pupil with a line for the parent's signature: for families without a
// smartphone and for schools that ask parents to sign a paper diary.
//
// The page says what the chat says: it is made of the same diary values as the
// bot's views, and its words are the same messages of package locales. The
// font is Liberation Sans (SIL Open Font License 1.1), embedded, so that
// Cyrillic prints on any machine.
package paper

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// The page, in millimetres and points.
const (
	pageHeight = 297.0
	margin     = 12.0
	width      = 210.0 - 2*margin
	leftColumn = 44.0 // the lesson: period, bell time, subject
	lineHeight = 3.6  // a line of text at fontSize
	fontSize   = 8.5
	rowGap     = 0.8
	// signatureSpace is kept free at the bottom of a pupil's last page for
	// the signature line.
	signatureSpace = 16.0
	font           = "LiberationSans"
)

// ErrNoPupils is the week of a class without pupils: nothing to print.
var ErrNoPupils = errors.New("the class has no pupils")

// Week writes the class's week as a PDF in the printer's language: each pupil
// on a page of their own (on more only when a week does not fit one; a row is
// never cut), with the school, class and week on top, the lessons day by day
// with their changes, topics, homework, grades with comments and attendance,
// the remarks, the events of this week and the next, and at the bottom a line
// for the parent's signature and the date.
func Week(w io.Writer, week diary.ClassWeek, p *locales.Printer) error {
	if len(week.Pupils) == 0 {
		return ErrNoPupils
	}
	d := newDocument(week, p)
	for _, pupil := range week.Pupils {
		d.pupil(pupil)
	}
	return d.pdf.Output(w)
}

// document is a PDF being written, and where on the page the next row goes.
type document struct {
	pdf  *fpdf.Fpdf
	p    *locales.Printer
	week diary.ClassWeek
	head string // the pupil whose page this is, for a continued page
}

func newDocument(week diary.ClassWeek, p *locales.Printer) *document {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(font, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(font, "B", liberationsansbold.TTF)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin) // rows are placed by pupil(): none is cut
	pdf.SetTitle(p.T("print_title", "From", p.Date(week.Monday), "To", p.DateYear(week.Sunday))+" · "+week.Class, true)
	pdf.SetCreator("Dnevnik", true)
	return &document{pdf: pdf, p: p, week: week}
}

// row is a line of the table: the lesson on the left, what happened at it on
// the right; a day's title spans both.
type row struct {
	left  string
	right []string
	title bool // a day's or a section's title, in bold on a grey band
}

// pupil writes one pupil's pages: the rows in order, a new page (with the
// pupil's name again) where the next row would not fit, and the signature
// line at the bottom of the last.
func (d *document) pupil(w diary.PupilWeek) {
	d.head = render.FullName(w.Pupil)
	d.page(false)
	rows := d.rows(w)
	for i, r := range rows {
		h := d.height(r)
		bottom := pageHeight - margin
		if i == len(rows)-1 {
			bottom -= signatureSpace
		}
		// A title is kept with the row after it.
		if r.title && i+1 < len(rows) {
			h += d.height(rows[i+1])
		}
		if d.pdf.GetY()+h > bottom {
			d.page(true)
		}
		d.write(r)
	}
	if d.pdf.GetY() > pageHeight-margin-signatureSpace {
		d.page(true)
	}
	d.signature()
}

// page starts a page of the current pupil: the school, the week, the pupil
// and the class.
func (d *document) page(continued bool) {
	pdf, p := d.pdf, d.p
	pdf.AddPage()
	pdf.SetTextColor(90, 90, 90)
	pdf.SetFont(font, "", 8)
	pdf.CellFormat(width/2, 4, d.week.School.Name, "", 0, "L", false, 0, "")
	pdf.CellFormat(width/2, 4, p.T("print_title", "From", p.Date(d.week.Monday), "To", p.DateYear(d.week.Sunday)), "", 1, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont(font, "B", 14)
	name := d.head
	if continued {
		name = p.T("print_continued", "Pupil", d.head)
	}
	pdf.CellFormat(width-30, 8, name, "", 0, "L", false, 0, "")
	pdf.CellFormat(30, 8, p.T("print_class", "Class", d.week.Class), "", 1, "R", false, 0, "")
	pdf.SetDrawColor(0, 0, 0)
	pdf.Line(margin, pdf.GetY()+0.5, margin+width, pdf.GetY()+0.5)
	pdf.Ln(2.5)
	pdf.SetFont(font, "", fontSize)
}

// height is how tall a row prints, its longer column wrapped.
func (d *document) height(r row) float64 {
	if r.title {
		return lineHeight + 1.5 + rowGap
	}
	left := len(d.lines(r.left, leftColumn))
	var right int
	for _, s := range r.right {
		right += len(d.lines(s, width-leftColumn))
	}
	return float64(max(left, right, 1))*lineHeight + rowGap
}

// lines wraps a text to a column's width, less its padding.
func (d *document) lines(s string, w float64) []string {
	if s == "" {
		return nil
	}
	return d.pdf.SplitText(s, w-2)
}

func (d *document) write(r row) {
	pdf := d.pdf
	y := pdf.GetY()
	if r.title {
		pdf.SetFont(font, "B", fontSize)
		pdf.SetFillColor(230, 230, 230)
		pdf.SetX(margin)
		pdf.CellFormat(width, lineHeight+1.5, r.left, "", 1, "L", true, 0, "")
		pdf.SetFont(font, "", fontSize)
		pdf.SetY(pdf.GetY() + rowGap)
		return
	}
	h := d.height(r)
	for i, s := range d.lines(r.left, leftColumn) {
		pdf.SetXY(margin, y+float64(i)*lineHeight)
		pdf.CellFormat(leftColumn, lineHeight, s, "", 0, "L", false, 0, "")
	}
	n := 0
	for _, text := range r.right {
		for _, s := range d.lines(text, width-leftColumn) {
			pdf.SetXY(margin+leftColumn, y+float64(n)*lineHeight)
			pdf.CellFormat(width-leftColumn, lineHeight, s, "", 0, "L", false, 0, "")
			n++
		}
	}
	pdf.SetDrawColor(200, 200, 200)
	pdf.Line(margin, y+h-rowGap/2, margin+width, y+h-rowGap/2)
	pdf.SetY(y + h)
}

// signature is the line the parent signs on, with the date beside it.
func (d *document) signature() {
	pdf, p := d.pdf, d.p
	y := pageHeight - margin - signatureSpace + 8
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFont(font, "", 10)
	pdf.SetXY(margin, y)
	label := p.T("print_signature")
	lw := pdf.GetStringWidth(label) + 2
	pdf.CellFormat(lw, 5, label, "", 0, "L", false, 0, "")
	pdf.Line(margin+lw, y+4.5, margin+lw+70, y+4.5)
	date := p.T("print_signature_date")
	dx := margin + width - 50
	pdf.SetXY(dx, y)
	dw := pdf.GetStringWidth(date) + 2
	pdf.CellFormat(dw, 5, date, "", 0, "L", false, 0, "")
	pdf.Line(dx+dw, y+4.5, margin+width, y+4.5)
	pdf.SetFont(font, "", fontSize)
}

// rows are a pupil's week as the table prints it: each day with its lessons
// and what belongs to no lesson, then the events.
func (d *document) rows(w diary.PupilWeek) []row {
	p := d.p
	var rows []row
	for _, day := range w.Days {
		weekend := day.Date.Weekday() == time.Saturday || day.Date.Weekday() == time.Sunday
		empty := len(day.Lessons) == 0 && len(day.Homework) == 0 && len(day.Grades) == 0 &&
			len(day.Attendance) == 0 && len(day.Remarks) == 0
		if weekend && empty {
			continue
		}
		title := p.Date(day.Date)
		if len(day.Lessons) == 0 {
			title += " — " + p.T("render_no_lessons")
		}
		rows = append(rows, row{left: title, title: true})
		for _, l := range day.Lessons {
			rows = append(rows, row{left: lessonHead(l), right: []string{strings.Join(d.lessonDetails(l), " · ")}})
		}
		var rest []string
		for _, h := range day.Homework {
			rest = append(rest, p.T("render_lesson_homework", "Text", join(": ", h.Subject, render.HomeworkText(h))))
		}
		for _, g := range day.Grades {
			rest = append(rest, join(": ", g.Subject, d.grade(g)))
		}
		for _, m := range day.Attendance {
			rest = append(rest, d.mark(m, true))
		}
		for _, r := range day.Remarks {
			rest = append(rest, d.remark(r))
		}
		if len(rest) > 0 {
			rows = append(rows, row{right: []string{strings.Join(rest, " · ")}})
		}
	}
	rows = append(rows, row{left: p.T("render_events_title"), title: true})
	if len(w.Events) == 0 {
		rows = append(rows, row{left: p.T("render_events_none")})
	}
	loc := d.week.School.Location
	for _, e := range w.Events {
		title := e.Title
		if e.Cancelled {
			title = join(" · ", title, p.T("render_event_cancelled"))
		}
		audience := p.T("render_event_school")
		if e.Class != "" {
			audience = p.T("render_event_class", "Class", e.Class)
		}
		rows = append(rows, row{left: render.When(p, e.Starts, loc), right: []string{join(" · ", title, e.Place, audience)}})
	}
	return rows
}

// lessonHead is "1. 08:30 Математика".
func lessonHead(l diary.Lesson) string {
	head := strconv.Itoa(l.Period) + "."
	if l.Starts != 0 || l.Ends != 0 {
		head += " " + l.Starts.String()
	}
	return head + " " + l.Subject
}

// lessonDetails are what the day view tells under a lesson, printed as one
// paragraph so that a week fits a page: its change (the
// lesson cancelled or moved, a substitute, a new room) and note, the topic,
// the homework due, the grades given and the pupil's mark.
func (d *document) lessonDetails(l diary.Lesson) []string {
	p := d.p
	var lines []string
	if c := l.Change; c != nil {
		var change []string // appended to lines
		if s := render.ChangeText(p, c); s != "" {
			change = append(change, s)
		}
		if c.Substitute != nil {
			change = append(change, p.T("render_substitute", "Teacher", render.TeacherName(*c.Substitute)))
		}
		if c.Room != "" {
			change = append(change, p.T("render_room_changed", "Room", c.Room))
		}
		if c.Note != "" {
			change = append(change, c.Note)
		}
		lines = append(lines, change...)
	}
	if l.Topic != "" {
		lines = append(lines, p.T("render_topic", "Topic", l.Topic))
	}
	for _, h := range l.Homework {
		lines = append(lines, p.T("render_lesson_homework", "Text", render.HomeworkText(h)))
	}
	for _, g := range l.Grades {
		lines = append(lines, d.grade(g))
	}
	if l.Attendance != nil {
		lines = append(lines, d.mark(*l.Attendance, false))
	}
	return lines
}

// grade is "Оценка 4 (×2) · Контрольная работа № 3 · «Хорошо»".
func (d *document) grade(g diary.Grade) string {
	var comment string
	if g.Comment != "" {
		comment = d.p.T("render_quote", "Text", g.Comment)
	}
	return join(" · ", d.p.T("print_grade", "Score", render.Score(d.p, g)), g.Work, comment)
}

// mark is an absence or lateness, "Пропуск по уважительной причине (болезнь)";
// one that belongs to no lesson says its period or the whole day.
func (d *document) mark(m diary.AttendanceMark, when bool) string {
	p := d.p
	s := p.T("print_absent")
	if m.Status == "late" {
		s = p.T("print_late")
	}
	if m.Excused {
		s = p.T("render_excused", "Mark", s)
	}
	if m.Reason != "" {
		s = p.T("render_reason", "Mark", s, "Reason", m.Reason)
	}
	if !when {
		return s
	}
	at := p.T("render_whole_day")
	if m.Period != 0 {
		at = join(" ", p.T("render_period", "Period", m.Period), m.Subject)
	}
	return at + ": " + s
}

// remark is "Похвала · Математика · Иванова М. П.: Лучшая работа в классе".
func (d *document) remark(r diary.Remark) string {
	kind := d.p.T("print_remark")
	switch r.Kind {
	case "praise":
		kind = d.p.T("print_praise")
	case "warning":
		kind = d.p.T("print_warning")
	}
	var author string
	if r.Author != nil {
		author = render.TeacherName(*r.Author)
	}
	return join(" · ", kind, r.Subject, author) + ": " + r.Text
}

// join joins the non-empty items with sep.
func join(sep string, items ...string) string {
	kept := items[:0:0]
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, sep)
}

// FileName is the document's name: the class and the week's Monday,
// "dnevnik-7А-2026-11-23.pdf".
func FileName(week diary.ClassWeek) string {
	return "dnevnik-" + strings.Join(strings.Fields(week.Class), "") + "-" + week.Monday.Format(time.DateOnly) + ".pdf"
}
