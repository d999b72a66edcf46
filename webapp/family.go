package webapp

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// The family's screens: the week as a grid, the term's grades with a chart
// per subject, the events with their RSVP buttons. Each names its child in
// the address and checks it again, as a bot button does (childFor).

// eventsAhead is how far ahead the events screen looks, as /events does.
const eventsAhead = 30 * 24 * time.Hour

// childFor is the child a request names (child=ID), or with none given the
// only, or first, child the account may see now; checked with the visit's
// links, and by the access rule itself for any other id, which says why not.
func (s *Server) childFor(r *http.Request, c *caller) (diary.PupilAccess, error) {
	live := c.live()
	arg := r.FormValue("child")
	if arg == "" {
		if len(live) == 0 {
			return diary.PupilAccess{}, diary.Errorf(diary.ENOTFOUND, "account %d has no child to show", c.Account.ID)
		}
		return live[0].Access, nil
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return diary.PupilAccess{}, diary.Errorf(diary.EINVALID, "child %q is not a number", arg)
	}
	for _, ch := range live {
		if int64(ch.Pupil.ID) == id {
			return ch.Access, nil
		}
	}
	return s.store.PupilAccess(r.Context(), c.Account.ID, diary.PersonID(id))
}

// live are the caller's children the access rule lets them see now.
func (c *caller) live() []diary.Child {
	var live []diary.Child
	for _, ch := range c.Children {
		if ch.Ended == "" {
			live = append(live, ch)
		}
	}
	return live
}

// familyPage is what every family screen shows above its own part: the
// child switcher (with several children) and the tabs.
type familyPage struct {
	C        *caller
	Child    diary.PupilAccess
	Children []diary.Child // the live ones, for the switcher when more than one
	Tab      string        // week, grades or events
}

func (s *Server) familyPage(c *caller, a diary.PupilAccess, tab string) familyPage {
	return familyPage{C: c, Child: a, Children: c.live(), Tab: tab}
}

// weekGrid is the week as the grid shows it: a column per school day, a row
// per period.
type weekGrid struct {
	familyPage
	Title      string
	Prev, Next string // the Mondays either side, as week= takes them
	Days       []weekDay
	Rows       []weekRow
}

type weekDay struct {
	Date  time.Time
	Label string
	Notes []template.HTML // what belongs to the day but to no lesson
}

type weekRow struct {
	Period int
	Cells  [][]lessonCell // per day, the lessons at the period (most often one)
}

type lessonCell struct {
	Time    string
	Head    template.HTML
	Details []template.HTML
	Changed bool
}

// markup marks text render made (Telegram HTML, every datum escaped) as HTML.
func markup(lines []string) []template.HTML {
	out := make([]template.HTML, len(lines))
	for i, l := range lines {
		out[i] = template.HTML(l)
	}
	return out
}

// week is the week screen: week?child=ID&week=YYYY-MM-DD (any day of the
// week; this week in the school's zone when none), from one diary.Store.Week.
func (s *Server) week(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.childFor(r, c)
	if err != nil {
		return err
	}
	day := s.store.Today(a.School)
	if arg := r.FormValue("week"); arg != "" {
		if day, err = time.Parse(time.DateOnly, arg); err != nil {
			return diary.Errorf(diary.EINVALID, "week %q is not a date", arg)
		}
	}
	sched, err := s.store.Week(r.Context(), a, day)
	if err != nil {
		return err
	}
	return writeTemplate(w, "week", grid(c, s.familyPage(c, a, "week"), sched))
}

// grid lays a week out: Monday to Friday always, a weekend day when it has
// lessons or notes; the periods from the first to the last of the week.
func grid(c *caller, page familyPage, sched diary.Schedule) weekGrid {
	g := weekGrid{familyPage: page}
	first, last := 0, 0
	var days []diary.Day
	for i, d := range sched.Days {
		notes := render.DayNotes(c.p, d)
		if i >= 5 && len(d.Lessons) == 0 && len(notes) == 0 {
			continue
		}
		days = append(days, d)
		g.Days = append(g.Days, weekDay{Date: d.Date, Label: c.p.Date(d.Date), Notes: markup(notes)})
		for _, l := range d.Lessons {
			if first == 0 || l.Period < first {
				first = l.Period
			}
			last = max(last, l.Period)
		}
	}
	if len(sched.Days) > 0 {
		monday := sched.Days[0].Date
		g.Title = c.p.Date(monday) + " – " + c.p.Date(monday.AddDate(0, 0, 6))
		g.Prev = monday.AddDate(0, 0, -7).Format(time.DateOnly)
		g.Next = monday.AddDate(0, 0, 7).Format(time.DateOnly)
	}
	for period := first; period > 0 && period <= last; period++ {
		row := weekRow{Period: period, Cells: make([][]lessonCell, len(days))}
		for i, d := range days {
			for _, l := range d.Lessons {
				if l.Period != period {
					continue
				}
				head, details := render.LessonCell(c.p, l)
				cell := lessonCell{Head: template.HTML(head), Details: markup(details), Changed: l.Change != nil}
				if l.Starts != 0 || l.Ends != 0 {
					cell.Time = l.Starts.String() + "–" + l.Ends.String()
				}
				row.Cells[i] = append(row.Cells[i], cell)
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// termGrades is the grades screen: grades?child=ID, the current term's grades
// per subject, each with its chart.
type termGrades struct {
	familyPage
	Title    string
	Subjects []subjectSection
}

type subjectSection struct {
	Lines []template.HTML
	Chart string // the chart's address; "" for a subject without grades
}

func (s *Server) grades(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.childFor(r, c)
	if err != nil {
		return err
	}
	report, err := s.store.TermGrades(r.Context(), a, s.store.Today(a.School))
	if err != nil {
		return err
	}
	page := termGrades{familyPage: s.familyPage(c, a, "grades"), Title: report.Period.Title}
	for _, sub := range report.Subjects {
		sec := subjectSection{Lines: markup(render.SubjectLines(c.p, sub))}
		if len(sub.Grades) > 0 {
			q := url.Values{"child": {strconv.FormatInt(int64(a.Pupil.ID), 10)},
				"class": {strconv.FormatInt(int64(sub.Class), 10)}, "term": {strconv.FormatInt(report.Period.ID, 10)},
				"init": {r.Header.Get(InitDataHeader)}}
			sec.Chart = Path + "chart?" + q.Encode()
		}
		page.Subjects = append(page.Subjects, sec)
	}
	return writeTemplate(w, "grades", page)
}

// chart is a subject's chart of a term as a PNG (render.GradeChart, the one
// the bot sends): chart?child=ID&class=ID&term=ID. An <img> sends no
// headers, so this one address takes initData in its init= parameter too
// (authed with fromQuery); it is checked the same way.
func (s *Server) chart(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.childFor(r, c)
	if err != nil {
		return err
	}
	class, err1 := strconv.ParseInt(r.FormValue("class"), 10, 64)
	term, err2 := strconv.ParseInt(r.FormValue("term"), 10, 64)
	if err1 != nil || err2 != nil {
		return diary.Errorf(diary.EINVALID, "chart of class %q, term %q", r.FormValue("class"), r.FormValue("term"))
	}
	page, err := s.store.SubjectGrades(r.Context(), a, diary.ClassID(class), term)
	if err != nil {
		return err
	}
	if len(page.Grades.Grades) == 0 { // no points to draw: the grades screen offers no chart
		return diary.Errorf(diary.ENOTFOUND, "no grades of pupil %d in class %d, term %d", a.Pupil.ID, class, term)
	}
	png, err := render.GradeChart(c.p, page)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(png)
	return err
}

// eventList is the events screen: events?child=ID, the next month's events
// and meetings with the account's answer and, for a meeting still ahead,
// the RSVP buttons.
type eventList struct {
	familyPage
	Events []eventCard
}

type eventCard struct {
	ID     int64
	HTML   template.HTML // render.EventCard
	RSVP   bool          // a meeting ahead that the account answers for
	Answer string        // diary.AnswerYes, diary.AnswerNo or ""
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.childFor(r, c)
	if err != nil {
		return err
	}
	list, err := s.store.UpcomingEvents(r.Context(), a, eventsAhead)
	if err != nil {
		return err
	}
	page := eventList{familyPage: s.familyPage(c, a, "events")}
	for _, e := range list.Events {
		page.Events = append(page.Events, eventCard{ID: e.ID, HTML: template.HTML(render.EventCard(c.p, e, a.School.Location)),
			RSVP: e.Kind == "meeting" && !e.Cancelled && a.CanSign(), Answer: e.Answer})
	}
	return writeTemplate(w, "events", page)
}

// rsvp answers a meeting (POST rsvp: child, event, yes=1|0) through the same
// diary method as the bot's buttons, which checks that the account may
// answer now; then shows the events again, the answer ticked.
func (s *Server) rsvp(w http.ResponseWriter, r *http.Request, c *caller) error {
	event, err := strconv.ParseInt(r.FormValue("event"), 10, 64)
	if err != nil {
		return diary.Errorf(diary.EINVALID, "event %q is not a number", r.FormValue("event"))
	}
	if err := s.store.AnswerMeeting(r.Context(), c.Account.ID, event, r.FormValue("yes") == "1"); err != nil {
		return err
	}
	return s.events(w, r, c)
}
