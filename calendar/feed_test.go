package calendar_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/dnevnik/dnevnik/calendar"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// today is a Wednesday; the feed is asked for at 10:00 in Moscow.
var (
	today  = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	moscow = mustZone("Europe/Moscow")
	now    = time.Date(2026, 11, 25, 10, 0, 0, 0, moscow)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// world is the demo school, its store pinned at now, and the feeds served
// over HTTP as cmd/dnevnik mounts them.
type world struct {
	t      *testing.T
	ctx    context.Context
	store  *diary.Store
	school *diarytest.School[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role]
	pupils map[string]int64
	srv    *httptest.Server
}

func newWorld(t *testing.T) *world {
	db, d := diarytest.Demo(t, today)
	store := diary.NewStore(db)
	store.SetClock(func() time.Time { return now })
	mux := http.NewServeMux()
	mux.Handle(calendar.Path, calendar.Handler(store, "dnevnik.test", slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &world{t: t, ctx: context.Background(), store: store, pupils: d.Pupils, srv: srv,
		school: diarytest.SchoolOf[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role](t, db, demo.SchoolSourcedID)}
}

func (w *world) pupil(sourced string) diary.PersonID { return diary.PersonID(w.pupils[sourced]) }

// get fetches a feed's path, with If-None-Match when etag is set.
func (w *world) get(path, etag string) (*http.Response, string) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.srv.URL+path, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// feed fetches the feed of a token, which must answer 200, and parses it.
func (w *world) feed(token string) (*ical.Calendar, string) {
	w.t.Helper()
	resp, body := w.get(calendar.Path+token+".ics", "")
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("feed: %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		w.t.Errorf("Content-Type %q", ct)
	}
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		w.t.Fatalf("parse the feed: %v\n%s", err, body)
	}
	// The parser's encoder checks what RFC 5545 requires of each component.
	if err := ical.NewEncoder(io.Discard).Encode(cal); err != nil {
		w.t.Errorf("the feed is not valid iCalendar: %v", err)
	}
	return cal, body
}

func (w *world) status(token string) int {
	w.t.Helper()
	resp, _ := w.get(calendar.Path+token+".ics", "")
	return resp.StatusCode
}

// item is what a calendar app shows of an event.
type item struct {
	Summary string
	Start   time.Time // in UTC, read in the school's zone; a date at 00:00 UTC for an all-day one
	AllDay  bool
	Status  string
	Attends string // the account's PARTSTAT, for a meeting
}

// items reads the feed's events by UID, checking what every event must
// have: a DTSTAMP in UTC, and times in the school's zone by its IANA name.
func items(t *testing.T, cal *ical.Calendar) map[string]item {
	t.Helper()
	out := map[string]item{}
	for _, e := range cal.Events() {
		uid, _ := e.Props.Text(ical.PropUID)
		if _, dup := out[uid]; dup {
			t.Errorf("UID %s twice", uid)
		}
		if stamp := e.Props.Get(ical.PropDateTimeStamp); stamp == nil || !strings.HasSuffix(stamp.Value, "Z") {
			t.Errorf("%s: DTSTAMP %v, want UTC", uid, stamp)
		}
		start := e.Props.Get(ical.PropDateTimeStart)
		var it item
		it.Summary, _ = e.Props.Text(ical.PropSummary)
		if status := e.Props.Get(ical.PropStatus); status != nil {
			it.Status = status.Value
		}
		if start.ValueType() == ical.ValueDate {
			it.AllDay = true
			it.Start, _ = start.DateTime(time.UTC)
		} else {
			if tz := start.Params.Get(ical.PropTimezoneID); tz != "Europe/Moscow" {
				t.Errorf("%s: DTSTART in %q, want Europe/Moscow", uid, tz)
			}
			var err error
			if it.Start, err = e.DateTimeStart(nil); err != nil {
				t.Errorf("%s: %v", uid, err)
			}
			it.Start = it.Start.UTC()
		}
		if a := e.Props.Get(ical.PropAttendee); a != nil {
			it.Attends = a.Params.Get(ical.ParamParticipationStatus)
		}
		out[uid] = it
	}
	return out
}

// fromViews is what the feed must hold for the account's children, made
// from the views the bot shows: Days over the window (lessons as they will
// happen, homework), and UpcomingEvents (the demo's events are all ahead).
func (w *world) fromViews(account diary.AccountID, names map[diary.PersonID]string, homework string) map[string]item {
	w.t.Helper()
	want := map[string]item{}
	for pupil, name := range names {
		a, err := w.store.PupilAccess(w.ctx, account, pupil)
		if err != nil {
			w.t.Fatal(err)
		}
		summary := func(s string) string {
			if len(names) > 1 {
				return name + ": " + s
			}
			return s
		}
		week, err := w.store.Days(w.ctx, a, today.AddDate(0, 0, -diary.CalendarDaysBack), today.AddDate(0, 0, diary.CalendarDaysAhead))
		if err != nil {
			w.t.Fatal(err)
		}
		for _, d := range week.Days {
			hw := d.Homework
			for _, l := range d.Lessons {
				hw = append(hw, l.Homework...)
				slot, period := l.Date, l.Period
				if l.Change != nil && l.Change.Kind == diary.ChangeMoved {
					if l.Change.MovedFrom.IsZero() {
						continue // shown where it moved to
					}
					slot, period = l.Change.MovedFrom, l.Change.MovedFromPeriod
				}
				status := "CONFIRMED"
				if !l.Held() {
					status = "CANCELLED"
				}
				at := time.Date(l.Date.Year(), l.Date.Month(), l.Date.Day(), int(l.Starts)/60, int(l.Starts)%60, 0, 0, moscow)
				want[fmt.Sprintf("lesson-%d-%d-%s-%d@dnevnik.test", pupil, l.Class, slot.Format(time.DateOnly), period)] =
					item{Summary: summary(l.Subject), Start: at.UTC(), Status: status}
			}
			for _, h := range hw {
				want[fmt.Sprintf("homework-%d-%d@dnevnik.test", pupil, h.ID)] =
					item{Summary: summary(homework + h.Subject), Start: h.Due, AllDay: true, Status: ""}
			}
		}
		events, err := w.store.UpcomingEvents(w.ctx, a, time.Duration(diary.CalendarDaysAhead)*24*time.Hour)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, e := range events.Events {
			it := item{Summary: summary(e.Title), Start: e.Starts.UTC(), Status: "CONFIRMED"}
			if e.Cancelled {
				it.Status = "CANCELLED"
			}
			if e.Kind == "meeting" {
				it.Attends = map[string]string{diary.AnswerYes: "ACCEPTED", diary.AnswerNo: "DECLINED", "": "NEEDS-ACTION"}[e.Answer]
			}
			want[fmt.Sprintf("event-%d-%d@dnevnik.test", pupil, e.ID)] = it
		}
	}
	return want
}

// The feed holds exactly what the views show, for every child the account
// sees: the same lessons at the same times in the school's zone, a cancelled
// one CANCELLED, a substitute's lesson at its slot, a moved one where it
// moved to under the UID of the slot it left; the homework due on its day;
// the events, with the account's answer to the meeting as its PARTSTAT. Each
// summary names the child (two children), and the words are in the
// account's language.
func TestFeedHoldsWhatTheViewsShow(t *testing.T) {
	w := newWorld(t)
	dasha, maxim := w.pupil(demo.Dasha), w.pupil(demo.Maxim)
	mother := w.school.Guardian(dasha)
	w.school.Link(mother, maxim, diary.RoleGuardian)
	// Friday's first lesson of a 7А section moves to Monday's eighth period.
	friday, monday := today.AddDate(0, 0, 2), today.AddDate(0, 0, 5)
	w.school.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, moved_to_date, moved_to_period)
	               SELECT t.class_id, $1, t.period, 'moved', $2, 8 FROM timetable_entries t JOIN classes c ON c.id = t.class_id
	               WHERE c.sourced_id LIKE 'demo-7a-%' AND t.weekday = 5 AND t.period = 1`, friday, monday)
	var meeting int64
	if err := w.school.DB.QueryRow(w.ctx, `SELECT id FROM events WHERE kind = 'meeting'`).Scan(&meeting); err != nil {
		t.Fatal(err)
	}
	if err := w.store.AnswerMeeting(w.ctx, mother, meeting, true); err != nil {
		t.Fatal(err)
	}
	token, err := w.store.NewCalendarToken(w.ctx, mother)
	if err != nil {
		t.Fatal(err)
	}
	names := map[diary.PersonID]string{dasha: "Дарья", maxim: "Максим"}
	for lang, homework := range map[string]string{"ru": "Д/з: ", "en": "Homework: "} {
		w.school.Exec(`UPDATE accounts SET language = $1 WHERE id = $2`, lang, mother)
		cal, body := w.feed(token)
		got, want := items(t, cal), w.fromViews(mother, names, homework)
		for uid, it := range want {
			if got[uid] != it {
				t.Errorf("%s: %s in the feed is %+v, the views show %+v", lang, uid, got[uid], it)
			}
		}
		for uid := range got {
			if _, ok := want[uid]; !ok {
				t.Errorf("%s: %s in the feed, not in the views", lang, uid)
			}
		}
		counts := map[string]int{}
		for _, it := range want {
			counts[it.Status+map[bool]string{true: " all-day"}[it.AllDay]]++
		}
		// The demo's week has changes, homework and events: the comparison
		// is of something.
		if counts["CANCELLED"] == 0 || counts[" all-day"] == 0 || counts["CONFIRMED"] < 50 {
			t.Errorf("%s: the views show %v", lang, counts)
		}
		if !slices.ContainsFunc(slices.Collect(maps.Values(got)), func(it item) bool { return it.Attends == "ACCEPTED" }) {
			t.Errorf("%s: no meeting with the answer ACCEPTED", lang)
		}
		moved := fmt.Sprintf("%s-1@dnevnik.test", friday.Format(time.DateOnly))
		if !strings.Contains(body, moved) || !strings.Contains(body, "DTSTART;TZID=Europe/Moscow:"+monday.Format("20060102")) {
			t.Errorf("%s: the moved lesson is not at Monday under Friday's UID", lang)
		}
	}
}

// Only children the account sees now are in its feed: a guardian of Даша
// never gets Максим's lessons or his class's meeting, and an account that
// sees no child (its link revoked) gets 404.
func TestFeedHoldsOnlyChildrenTheAccountSees(t *testing.T) {
	w := newWorld(t)
	dasha, maxim := w.pupil(demo.Dasha), w.pupil(demo.Maxim)
	father := w.school.Guardian(dasha)
	token, err := w.store.NewCalendarToken(w.ctx, father)
	if err != nil {
		t.Fatal(err)
	}
	cal, body := w.feed(token)
	got, want := items(t, cal), w.fromViews(father, map[diary.PersonID]string{dasha: "Дарья"}, "Д/з: ")
	if len(got) != len(want) {
		t.Errorf("the feed has %d events, the views of Даша %d", len(got), len(want))
	}
	for uid := range got {
		if strings.Split(uid, "-")[1] == fmt.Sprint(maxim) {
			t.Errorf("Максим's %s in the feed of Даша's father", uid)
		}
	}
	if strings.Contains(body, "Максим") || strings.Contains(body, "Дарья:") {
		t.Error("a feed of one child names a child")
	}
	w.school.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, father)
	if s := w.status(token); s != http.StatusNotFound {
		t.Errorf("revoked link: %d, want 404", s)
	}
}

// An address works until a new one replaces it, then 404 at once; so does
// an unknown or malformed token, and the address of a forgotten account.
// Only a hash of the token is stored. An unchanged feed asked again with its
// ETag is 304.
func TestFeedAddressEnds(t *testing.T) {
	w := newWorld(t)
	mother := w.school.Guardian(w.pupil(demo.Dasha))
	old, err := w.store.NewCalendarToken(w.ctx, mother)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := w.school.DB.QueryRow(w.ctx, `SELECT count(*) FROM calendar_feeds WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0`, old).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the token is stored as it is (%d, %v)", stored, err)
	}
	resp, _ := w.get(calendar.Path+old+".ics", "")
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("feed: %s, ETag %q", resp.Status, etag)
	}
	if again, _ := w.get(calendar.Path+old+".ics", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("asked again with its ETag: %s, want 304", again.Status)
	}

	replaced, err := w.store.NewCalendarToken(w.ctx, mother)
	if err != nil {
		t.Fatal(err)
	}
	if s := w.status(old); s != http.StatusNotFound {
		t.Errorf("the replaced address: %d, want 404", s)
	}
	if s := w.status(replaced); s != http.StatusOK {
		t.Errorf("the new address: %d, want 200", s)
	}
	for _, path := range []string{
		calendar.Path + strings.Repeat("A", 43) + ".ics", // unknown
		calendar.Path + replaced,                         // no .ics
		calendar.Path + replaced[:20] + ".ics",           // cut short
		calendar.Path + "..%2f" + replaced + ".ics",
	} {
		if resp, _ := w.get(path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s, want 404", path, resp.Status)
		}
	}
	if _, err := w.store.Forget(w.ctx, mother); err != nil {
		t.Fatal(err)
	}
	if s := w.status(replaced); s != http.StatusNotFound {
		t.Errorf("a forgotten account's address: %d, want 404", s)
	}
}
