package webapp

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// The class journal: a subject class's pupils × the term's lessons, in one
// request (diary.Store.ClassJournal). A tap on a cell of a lesson already
// given opens its editor; a mark goes through the same diary methods as the
// bot's /marks (the grace period, the undo, the audit row and the family's
// push hold), each request asking the access rule again. The homework due at
// a lesson still to come is typed under its column, as /hw sets it.

// journal answers journal?class=ID[&day=YYYY-MM-DD]: the journal of the term
// holding the day, today's by default.
func (s *Server) journal(w http.ResponseWriter, r *http.Request, c *caller) error {
	class, err := formID(r, "class")
	if err != nil {
		return err
	}
	var day time.Time
	if v := r.FormValue("day"); v != "" {
		if day, err = time.Parse(time.DateOnly, v); err != nil {
			return diary.Errorf(diary.EINVALID, "day %q", v)
		}
	}
	return s.showJournal(w, r, c, diary.ClassID(class), day, journalNote{}, http.StatusOK)
}

// journalNote is what the journal says above the table after a write: the
// undo of a mark, or why the write was refused.
type journalNote struct {
	Undo  *journalUndo
	Error string
}

// journalUndo sets a cell back to what it was before a mark.
type journalUndo struct {
	Pupil  string // the pupil's name
	Cell   cellRef
	Values string // what the undo posts: journal/mark's value
}

// showJournal draws the journal of the class for the term holding day (zero:
// today in the class's school), with status (a write refused says so).
func (s *Server) showJournal(w http.ResponseWriter, r *http.Request, c *caller, class diary.ClassID, day time.Time,
	note journalNote, status int) error {
	a, err := s.store.TeacherClassAccess(r.Context(), c.Account.ID, class)
	if err != nil {
		return err
	}
	today := s.store.Today(a.School)
	if day.IsZero() {
		day = today
	}
	j, err := s.store.ClassJournal(r.Context(), a, day)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return writeTemplate(w, "journal", journalPage(c, j, today, note))
}

// journalView is the journal as the template draws it.
type journalView struct {
	C       *caller
	Class   diary.ClassID
	Title   string
	Term    string
	Lessons []journalColumn
	Rows    []journalRow
	journalNote
}

type journalColumn struct {
	Ref         string // YYYY-MM-DD/PERIOD
	Day         string // 27.11
	Period      int
	Topic       string
	Changed     bool // substituted, or moved in
	Homework    []string
	SetHomework bool // still to come: homework due at it may be set
}

type journalRow struct {
	Pupil diary.PersonID
	Name  string
	Cells []journalCellView
}

type journalCellView struct {
	Lesson string // the column's Ref
	Text   string // the grade, «Н», «ОП»
	Kind   string // grade, absent, late: the cell's CSS class
	Edit   string // the editor's path; "" for a lesson still to come
}

func journalPage(c *caller, j diary.Journal, today time.Time, note journalNote) journalView {
	v := journalView{C: c, Class: j.Access.Class, Title: j.Title, Term: j.Term.Title, journalNote: note}
	for _, l := range j.Lessons {
		col := journalColumn{Ref: lessonRef(l.Date, l.Period), Period: l.Period, Topic: l.Topic,
			Day:     c.T("webapp_journal_day", "Day", l.Date.Day(), "Month", fmt.Sprintf("%02d", int(l.Date.Month()))),
			Changed: l.Change != nil, SetHomework: !l.Date.Before(today)}
		for _, h := range l.Homework {
			col.Homework = append(col.Homework, h.Text)
		}
		v.Lessons = append(v.Lessons, col)
	}
	for _, p := range j.Pupils {
		row := journalRow{Pupil: p.ID, Name: p.FamilyName + " " + p.GivenName}
		for i, cell := range p.Cells {
			l := j.Lessons[i]
			cv := journalCellView{Lesson: v.Lessons[i].Ref}
			var marks []string
			if cell.Grade != 0 {
				marks, cv.Kind = append(marks, strconv.Itoa(cell.Grade)), "grade"
			}
			for _, g := range cell.Other {
				marks = append(marks, strconv.FormatFloat(g, 'f', -1, 64))
			}
			switch cell.Attendance {
			case diary.Absent:
				marks, cv.Kind = append(marks, c.T("webapp_journal_absent_short")), "absent"
			case diary.Late:
				marks, cv.Kind = append(marks, c.T("webapp_journal_late_short")), "late"
			}
			cv.Text = strings.Join(marks, " ")
			if !l.Date.After(today) {
				cv.Edit = fmt.Sprintf("journal/cell?class=%d&pupil=%d&lesson=%s", j.Access.Class, p.ID, cv.Lesson)
			}
			row.Cells = append(row.Cells, cv)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// lessonRef is a lesson's name in the page: YYYY-MM-DD/PERIOD.
func lessonRef(date time.Time, period int) string {
	return date.Format(time.DateOnly) + "/" + strconv.Itoa(period)
}

// cellRef is a cell of the journal as a request names it: the class, the
// lesson (YYYY-MM-DD/PERIOD) and the pupil.
type cellRef struct {
	Class  diary.ClassID
	Lesson string
	Pupil  diary.PersonID
}

// cellOf reads the cell a request names; a malformed one is EINVALID.
func cellOf(r *http.Request) (cellRef, diary.LessonRef, error) {
	class, err := formID(r, "class")
	if err != nil {
		return cellRef{}, diary.LessonRef{}, err
	}
	pupil, err := formID(r, "pupil")
	if err != nil {
		return cellRef{}, diary.LessonRef{}, err
	}
	ref, err := lessonOf(r, diary.ClassID(class))
	if err != nil {
		return cellRef{}, diary.LessonRef{}, err
	}
	return cellRef{Class: ref.Class, Lesson: lessonRef(ref.Date, ref.Period), Pupil: diary.PersonID(pupil)}, ref, nil
}

// lessonOf reads the lesson (YYYY-MM-DD/PERIOD) a request names, of class.
func lessonOf(r *http.Request, class diary.ClassID) (diary.LessonRef, error) {
	v := r.FormValue("lesson")
	date, period, ok := strings.Cut(v, "/")
	d, err := time.Parse(time.DateOnly, date)
	p, perr := strconv.Atoi(period)
	if !ok || err != nil || perr != nil {
		return diary.LessonRef{}, diary.Errorf(diary.EINVALID, "lesson %q", v)
	}
	return diary.LessonRef{Class: class, Date: d, Period: p}, nil
}

// formID reads a positive id from the request's query or form.
func formID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.FormValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, diary.Errorf(diary.EINVALID, "%s %q", name, r.FormValue(name))
	}
	return id, nil
}

// journalCell answers journal/cell?class=ID&pupil=ID&lesson=YYYY-MM-DD/PERIOD:
// the editor of a cell, with the school's scale, absent, late and clear.
func (s *Server) journalCell(w http.ResponseWriter, r *http.Request, c *caller) error {
	cell, ref, err := cellOf(r)
	if err != nil {
		return err
	}
	a, err := s.store.LessonAccess(r.Context(), c.Account.ID, ref)
	if err != nil {
		return err
	}
	roster, err := s.store.ClassRoster(r.Context(), a)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(roster.Pupils, func(p diary.RosterPupil) bool { return p.ID == cell.Pupil })
	if i < 0 {
		return diary.Errorf(diary.EFORBIDDEN, "pupil %d is not in class %d", cell.Pupil, cell.Class)
	}
	p := roster.Pupils[i]
	var scale []int
	for g := a.Lesson.School.GradeMin; g <= a.Lesson.School.GradeMax; g++ {
		scale = append(scale, g)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return writeTemplate(w, "journal-cell", map[string]any{"C": c, "Cell": cell, "Scale": scale,
		"Pupil": p.FamilyName + " " + p.GivenName, "Lesson": render.LessonLabel(a.Lesson, a.Lesson.ClassTitle),
		"Date": c.p.Date(ref.Date), "Grade": p.Grade, "Attendance": p.Attendance, "Day": ref.Date.Format(time.DateOnly)})
}

// Values a mark posts (journal/mark's value, several joined by commas for an
// undo): a grade on the school's scale, or one of these.
const (
	markNoGrade = "nograde" // takes the grade back
	markPresent = "present" // takes the absence or lateness back
	markClear   = "clear"   // both
)

// journalMark answers a tap in the editor (or an undo): it writes the mark
// through the diary's methods for /marks and draws the journal again, with
// the undo of what it changed.
func (s *Server) journalMark(w http.ResponseWriter, r *http.Request, c *caller) error {
	cell, ref, err := cellOf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.store.LessonAccess(ctx, c.Account.ID, ref)
	if err != nil {
		return err
	}
	roster, err := s.store.ClassRoster(ctx, a)
	if err != nil {
		return err
	}
	var before diary.RosterPupil // what the undo sets back; a pupil not on the list is refused by the write
	if i := slices.IndexFunc(roster.Pupils, func(p diary.RosterPupil) bool { return p.ID == cell.Pupil }); i >= 0 {
		before = roster.Pupils[i]
	}
	var undo []string
	for v := range strings.SplitSeq(r.FormValue("value"), ",") {
		if err = s.mark(ctx, a, cell.Pupil, v); err != nil {
			break
		}
		undo = append(undo, undoOf(v, before)...)
	}
	if len(undo) > 0 {
		s.noticesDue(ctx) // a notice is written, due after the grace period
	}
	var note journalNote
	status := http.StatusOK
	switch {
	case err == nil && r.FormValue("undo") == "":
		note.Undo = &journalUndo{Pupil: before.FamilyName + " " + before.GivenName, Cell: cell, Values: strings.Join(undo, ",")}
	case err != nil && statusOf(err) < 500:
		note.Error, status = render.Refusal(c.p, err), statusOf(err)
	case err != nil:
		return err
	}
	// A refusal the journal cannot be drawn for (a class not the teacher's)
	// is answered as itself.
	if jerr := s.showJournal(w, r, c, ref.Class, ref.Date, note, status); jerr != nil {
		return cmp.Or(err, jerr)
	}
	return nil
}

// mark writes one value of journal/mark.
func (s *Server) mark(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, value string) error {
	switch value {
	case markNoGrade:
		return s.store.ClearGrade(ctx, a, pupil)
	case diary.Absent, diary.Late:
		return s.store.SetAttendance(ctx, a, pupil, value)
	case markPresent:
		return s.store.SetAttendance(ctx, a, pupil, "")
	case markClear:
		if err := s.store.ClearGrade(ctx, a, pupil); err != nil {
			return err
		}
		return s.store.SetAttendance(ctx, a, pupil, "")
	}
	score, err := strconv.Atoi(value)
	if err != nil {
		return diary.Errorf(diary.EINVALID, "mark %q", value)
	}
	return s.store.SetGrade(ctx, a, pupil, score) // the diary checks the scale
}

// undoOf is what sets back what value changes, from the pupil's marks before.
func undoOf(value string, before diary.RosterPupil) []string {
	grade, attendance := markNoGrade, markPresent
	if before.Grade != 0 {
		grade = strconv.Itoa(before.Grade)
	}
	if before.Attendance != "" {
		attendance = before.Attendance
	}
	switch value {
	case diary.Absent, diary.Late, markPresent:
		return []string{attendance}
	case markClear:
		return []string{grade, attendance}
	}
	return []string{grade}
}

// journalHomework answers the homework typed under a lesson's column: it is
// set due at that lesson, as /hw sets it, and the journal is drawn again.
func (s *Server) journalHomework(w http.ResponseWriter, r *http.Request, c *caller) error {
	class, err := formID(r, "class")
	if err != nil {
		return err
	}
	ref, err := lessonOf(r, diary.ClassID(class))
	if err != nil {
		return err
	}
	a, err := s.store.TeacherClassAccess(r.Context(), c.Account.ID, ref.Class)
	if err != nil {
		return err
	}
	var note journalNote
	status := http.StatusOK
	if _, err = s.store.AddHomework(r.Context(), a, diary.NewHomework{Due: ref.Date, Text: r.FormValue("text")}); err != nil {
		if statusOf(err) >= 500 {
			return err
		}
		note.Error, status = render.Refusal(c.p, err), statusOf(err)
	} else {
		s.noticesDue(r.Context())
	}
	return s.showJournal(w, r, c, ref.Class, ref.Date, note, status)
}
