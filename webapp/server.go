// Package webapp is the diary as a Telegram Mini App: server-rendered HTML
// fragments behind one small page of script, each request carrying the Mini
// App's initData, checked as Telegram specifies, and mapped to the account as
// the bot maps an update (diary.Store.Visit). No cookies, no sessions: every
// request is checked again, with the same access rule as every view.
package webapp

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
)

// Path is where the app is served on HTTP_ADDR; WEBAPP_URL is its public
// address.
const Path = "/app/"

// InitDataHeader carries the Mini App's initData on every request the page
// makes.
const InitDataHeader = "X-Telegram-Init-Data"

// DefaultMaxAge is how old an initData may be: Telegram signs it when the app
// opens, and a family may keep the app open through an evening.
const DefaultMaxAge = 24 * time.Hour

// Store is what the app needs of the diary.
type Store interface {
	Visit(ctx context.Context, telegramUserID, chatID int64, language string, children bool) (diary.Visit, error)
	TeacherClasses(ctx context.Context, account diary.AccountID) (diary.TeacherAccess, []diary.TeacherClass, error)
	Today(school diary.School) time.Time
	// The class journal (journal.go).
	TeacherClassAccess(ctx context.Context, account diary.AccountID, class diary.ClassID) (diary.TeacherAccess, error)
	ClassJournal(ctx context.Context, a diary.TeacherAccess, day time.Time) (diary.Journal, error)
	LessonAccess(ctx context.Context, account diary.AccountID, ref diary.LessonRef) (diary.LessonAccess, error)
	ClassRoster(ctx context.Context, a diary.LessonAccess) (diary.Roster, error)
	SetGrade(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, score int) error
	ClearGrade(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID) error
	SetAttendance(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, status string) error
	AddHomework(ctx context.Context, a diary.TeacherAccess, h diary.NewHomework) (diary.AddedHomework, error)

	// The family's screens (family.go).
	PupilAccess(ctx context.Context, account diary.AccountID, pupil diary.PersonID) (diary.PupilAccess, error)
	Week(ctx context.Context, a diary.PupilAccess, day time.Time) (diary.Schedule, error)
	TermGrades(ctx context.Context, a diary.PupilAccess, day time.Time) (diary.GradeReport, error)
	SubjectGrades(ctx context.Context, a diary.PupilAccess, class diary.ClassID, term int64) (diary.SubjectTerm, error)
	UpcomingEvents(ctx context.Context, a diary.PupilAccess, within time.Duration) (diary.EventList, error)
	AnswerMeeting(ctx context.Context, account diary.AccountID, event int64, yes bool) error
}

// Options configure the app.
type Options struct {
	Token  string        // the bot's token: the key initData is signed with
	MaxAge time.Duration // DefaultMaxAge when zero
	Log    *slog.Logger
	Now    func() time.Time // time.Now when nil; tests set it
	// Notices, if set, is told when a teacher's write left a notice, as the
	// bot tells it; without it the scheduler's sweep finds the notice.
	Notices Notifier
}

// Notifier starts the fan-out of the notices that are due. jobs.Enqueuer is one.
type Notifier interface {
	NoticesDue(ctx context.Context) error
}

// noticesDue starts the fan-out of the notice just written, if the app can.
func (s *Server) noticesDue(ctx context.Context) {
	if s.opts.Notices == nil {
		return
	}
	if err := s.opts.Notices.NoticesDue(ctx); err != nil {
		s.opts.Log.Warn("start notice fan-out", "err", err) // the scheduler starts it within a minute anyway
	}
}

// Server serves the app under Path.
type Server struct {
	store   Store
	opts    Options
	mux     *http.ServeMux
	handler http.Handler // mux, gzipped
}

// New returns the app's handler.
func New(store Store, o Options) *Server {
	if o.MaxAge == 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{store: store, opts: o, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET "+Path+"{$}", s.shell)
	s.mux.HandleFunc("GET "+Path+"assets/{name}", serveAsset)
	s.mux.Handle("GET "+Path+"home", s.authed(s.home))
	s.mux.Handle("GET "+Path+"journal", s.authed(s.journal))
	s.mux.Handle("GET "+Path+"journal/cell", s.authed(s.journalCell))
	s.mux.Handle("POST "+Path+"journal/mark", s.authed(s.journalMark))
	s.mux.Handle("POST "+Path+"journal/homework", s.authed(s.journalHomework))
	s.mux.Handle("GET "+Path+"week", s.authed(s.week))
	s.mux.Handle("GET "+Path+"grades", s.authed(s.grades))
	s.mux.Handle("GET "+Path+"chart", s.authedFrom(s.chart, true))
	s.mux.Handle("GET "+Path+"events", s.authed(s.events))
	s.mux.Handle("POST "+Path+"rsvp", s.authed(s.rsvp))
	// gzhttp rather than a wrapper of our own: it leaves a 304, a small
	// answer and a PNG as they are, sets Vary, and pools its writers.
	s.handler = gzhttp.GzipHandler(s.mux)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// caller is who sent a request, as initData and the diary say: their account,
// in the language of their printer, and (acting as a family) the children the
// access rule lets them see now.
type caller struct {
	diary.Visit
	p *locales.Printer
}

// handler answers a checked request with an HTML fragment.
type handler func(w http.ResponseWriter, r *http.Request, c *caller) error

// authed checks the request's initData and maps its user to their account, as
// the bot does for an update from them (in a private chat the chat's id is the
// user's): a request without valid initData gets 401 and nothing else. Errors
// of the diary become the person's message (diary error codes, as the bot
// shows them).
func (s *Server) authed(h handler) http.Handler { return s.authedFrom(h, false) }

// authedFrom is authed for an address an <img> asks for, which cannot send
// the header (fromQuery): its initData may come in the init= parameter.
func (s *Server) authedFrom(h handler, fromQuery bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		initData := r.Header.Get(InitDataHeader)
		if initData == "" && fromQuery {
			initData = r.URL.Query().Get("init")
		}
		u, err := Check(initData, s.opts.Token, s.opts.MaxAge, s.opts.Now())
		if err != nil {
			s.opts.Log.Info("web app request refused", "path", r.URL.Path, "err", err)
			http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
			return
		}
		v, err := s.store.Visit(r.Context(), u.ID, u.ID, locales.Pick(u.LanguageCode), true)
		if err != nil {
			s.fail(w, r, locales.For(locales.Pick(u.LanguageCode)), err)
			return
		}
		c := &caller{Visit: v, p: locales.For(v.Account.Language)}
		w.Header().Set("Cache-Control", "no-store") // a family's diary: never kept by a proxy
		if err := h(w, r, c); err != nil {
			s.fail(w, r, c.p, err)
		}
	})
}

// fail answers an error with what the person reads for it (render.Refusal,
// as the bot says it) and a status that tells the page what happened; an
// error of ours is logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *locales.Printer, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.opts.Log.Error("web app request failed", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := writeTemplate(w, "error", map[string]any{"Message": render.Refusal(p, err)}); err != nil {
		s.opts.Log.Error("web app error page", "err", err)
	}
}

// statusOf is the HTTP status of an error: a diary error's by its code, 500
// for any other.
func statusOf(err error) int {
	status := http.StatusInternalServerError
	switch diary.ErrorCode(err) {
	case diary.ENOTFOUND:
		status = http.StatusNotFound
	case diary.EFORBIDDEN, diary.EREVOKED, diary.EEXPIRED:
		status = http.StatusForbidden
	case diary.EINVALID:
		status = http.StatusBadRequest
	case diary.ECONFLICT:
		status = http.StatusConflict
	case diary.ELOCKED:
		status = http.StatusTooManyRequests
	case diary.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	return status
}

// writeTemplate writes one of the templates.
func writeTemplate(w io.Writer, name string, data any) error {
	if err := templates.ExecuteTemplate(w, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// T is the caller's message id in their language, for the templates:
// {{.T "webapp_week"}}.
func (c *caller) T(id string, args ...any) string { return c.p.T(id, args...) }
