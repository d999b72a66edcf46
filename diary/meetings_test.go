package diary_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// meetingNotice is the latest notice of a meeting: its action and audience.
func (f *fixture) meetingNotice(event int64) (action string, class diary.ClassID, toPupils bool) {
	f.t.Helper()
	err := f.db.QueryRow(context.Background(), `SELECT action, class_id, to_pupils FROM notices
	                                            WHERE kind = 'meeting' AND ref_id = $1 ORDER BY id DESC LIMIT 1`, event).Scan(&action, &class, &toPupils)
	if err != nil {
		f.t.Fatalf("notice of meeting %d: %v", event, err)
	}
	return action, class, toPupils
}

func (f *classroom) meeting(account diary.AccountID, class diary.ClassID) int64 {
	f.t.Helper()
	id, err := f.store.CreateMeeting(context.Background(), f.teaching(account, class), diary.NewMeeting{Title: "Родительское собрание",
		Starts: time.Date(2026, 12, 3, 18, 30, 0, 0, moscow), Place: "Кабинет 214", Agenda: "Итоги четверти"})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func TestCreateMeeting(t *testing.T) {
	f := newClassroom(t)
	id := f.meeting(f.ivanova, f.c7a)
	var title, place, agenda string
	var starts time.Time
	var by diary.PersonID
	err := f.db.QueryRow(context.Background(), `SELECT title, place, agenda, starts_at, created_by FROM events
	                                            WHERE id = $1 AND kind = 'meeting' AND class_id = $2`, id, f.c7a).
		Scan(&title, &place, &agenda, &starts, &by)
	if err != nil || place != "Кабинет 214" || agenda != "Итоги четверти" || by != f.ivanovaID ||
		!starts.Equal(time.Date(2026, 12, 3, 18, 30, 0, 0, moscow)) {
		t.Errorf("event: %q %q %q %s by %d (%v)", title, place, agenda, starts, by, err)
	}
	if action, class, toPupils := f.meetingNotice(id); action != "new" || class != f.c7a || toPupils {
		t.Errorf("notice: %s, class %d, to pupils %v", action, class, toPupils)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'meeting.create' AND ref_id = $1`, id); n != 1 {
		t.Errorf("%d audit records", n)
	}
}

func TestMeetingRefusedWritesNothing(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	good := diary.NewMeeting{Title: "Собрание", Starts: f.now.Add(24 * time.Hour), Place: "214"}
	c7a := f.teaching(f.ivanova, f.c7a)
	for name, edit := range map[string]func(m *diary.NewMeeting){
		"in the past":   func(m *diary.NewMeeting) { m.Starts = f.now.Add(-time.Minute) },
		"too far ahead": func(m *diary.NewMeeting) { m.Starts = f.now.AddDate(2, 0, 0) },
		"no place":      func(m *diary.NewMeeting) { m.Place = " " },
	} {
		m := good
		edit(&m)
		_, err := f.store.CreateMeeting(ctx, c7a, m)
		if diary.ErrorCode(err) != diary.EINVALID {
			t.Errorf("%s: %v, want %s", name, err, diary.EINVALID)
		}
	}
	// Another class's teacher, or a parent, gets no access to call one.
	_, err := f.store.TeacherClassAccess(ctx, f.volkova, f.c7b)
	wantCode(t, err, diary.EFORBIDDEN)
	_, err = f.store.TeacherClassAccess(ctx, f.mum, f.c7a)
	wantCode(t, err, diary.EFORBIDDEN)
	if n := f.count(`SELECT count(*) FROM events`); n != 0 {
		t.Errorf("%d events written", n)
	}
	f.nothingWritten()
}

func TestChangeAndCancelMeeting(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	id := f.meeting(f.ivanova, f.c7a)
	f.Exec(`UPDATE notices SET fanned_out_at = now(), recipients = 2`) // the invitation went out

	// Волкова teaches 7А too: she may move it; she may not touch a 7Б meeting.
	later := time.Date(2026, 12, 4, 19, 0, 0, 0, moscow)
	if err := f.store.ChangeMeeting(ctx, f.meetingAccess(f.volkova, id), diary.MeetingChange{Starts: later}); err != nil {
		t.Fatal(err)
	}
	a, err := f.store.MeetingAccess(ctx, f.ivanova, id)
	if m := a.Meeting; err != nil || !m.Starts.Equal(later) || m.Place != "Кабинет 214" {
		t.Errorf("after the move: %+v, %v", m, err)
	}
	if action, _, _ := f.meetingNotice(id); action != "changed" {
		t.Errorf("move told as %q", action)
	}
	if err := f.store.ChangeMeeting(ctx, a, diary.MeetingChange{Place: "Актовый зал"}); err != nil {
		t.Fatal(err)
	}
	if m := f.meetingAccess(f.ivanova, id).Meeting; m.Place != "Актовый зал" || !m.Starts.Equal(later) {
		t.Errorf("after the new place: %+v", m)
	}

	other := f.meeting(f.ivanova, f.c7b)
	before := f.count(`SELECT count(*) FROM audit_log`)
	_, err = f.store.MeetingAccess(ctx, f.volkova, other)
	wantCode(t, err, diary.EFORBIDDEN)
	wantCode(t, f.store.ChangeMeeting(ctx, a, diary.MeetingChange{Starts: f.now.Add(-time.Hour)}), diary.EINVALID)
	_, err = f.store.MeetingAccess(ctx, f.ivanova, 999999)
	wantCode(t, err, diary.ENOTFOUND)
	if n := f.count(`SELECT count(*) FROM audit_log`); n != before {
		t.Errorf("refused changes wrote %d audit records", n-before)
	}

	if err := f.store.CancelMeeting(ctx, a); err != nil {
		t.Fatal(err)
	}
	if action, class, toPupils := f.meetingNotice(id); action != "cancelled" || class != f.c7a || toPupils {
		t.Errorf("cancel told as %q to class %d, pupils %v", action, class, toPupils)
	}
	// Cancelled: neither the access taken before nor one taken after changes it.
	wantCode(t, f.store.CancelMeeting(ctx, a), diary.ECONFLICT)
	wantCode(t, f.store.ChangeMeeting(ctx, f.meetingAccess(f.ivanova, id), diary.MeetingChange{Place: "x"}), diary.ECONFLICT)
	var actions []string
	rows, _ := f.db.Query(ctx, `SELECT action FROM audit_log WHERE ref_id = $1 ORDER BY id`, id)
	for rows.Next() {
		var action string
		_ = rows.Scan(&action)
		actions = append(actions, action)
	}
	if want := "[meeting.create meeting.change meeting.change meeting.cancel]"; fmt.Sprint(actions) != want {
		t.Errorf("audit %s, want %s", fmt.Sprint(actions), want)
	}
}

func TestTeacherMeetingsAnswers(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	id := f.meeting(f.ivanova, f.c7a)
	f.meeting(f.ivanova, f.c7b)
	f.Exec(`INSERT INTO event_rsvps (event_id, account_id, answer) VALUES ($1, $2, 'yes')`, id, f.mum)
	past := f.Insert(`INSERT INTO events (school_id, class_id, kind, title, starts_at) VALUES ($1, $2, 'meeting', 'Было', $3) RETURNING id`,
		f.ID, f.c7a, f.now.Add(-48*time.Hour))

	meetings, err := f.store.TeacherMeetings(ctx, f.volkova)
	if err != nil || len(meetings) != 1 || meetings[0].ID != id || meetings[0].ID == past {
		t.Fatalf("Волкова's meetings: %+v, %v", meetings, err)
	}
	got := map[string][3]int{}
	for _, fam := range meetings[0].Families {
		got[fam.Pupil.GivenName] = [3]int{fam.Yes, fam.No, fam.Unanswered}
	}
	// Даша: mum yes, granny not yet (dad blocked the bot); Петя's link was
	// revoked and Лев has nobody: no family in the bot.
	want := map[string][3]int{"Дарья": {1, 0, 1}, "Пётр": {0, 0, 0}, "Лев": {0, 0, 0}}
	if len(got) != len(want) || got["Дарья"] != want["Дарья"] || got["Пётр"] != want["Пётр"] || got["Лев"] != want["Лев"] {
		t.Errorf("answers %v, want %v", got, want)
	}
	if meetings[0].School.Location == nil || meetings[0].Class != "7А" {
		t.Errorf("meeting lacks its school zone or class: %+v", meetings[0])
	}
	f.Exec(`INSERT INTO event_rsvps (event_id, account_id, answer) VALUES ($1, $2, 'no')`, id, f.granny)
	meetings, _ = f.store.TeacherMeetings(ctx, f.ivanova)
	if len(meetings) != 2 || meetings[0].Families[0].No != 1 || meetings[0].Families[0].Unanswered != 0 {
		t.Errorf("Иванова's meetings after granny said no: %+v", meetings)
	}
	if _, err := f.store.TeacherMeetings(ctx, f.mum); diary.ErrorCode(err) != diary.EFORBIDDEN {
		t.Errorf("a parent listed teachers' meetings: %v", err)
	}
}

// A meeting cancelled before its invitation went out is told to no one: its
// invitation is withdrawn, and no cancellation follows it.
func TestMeetingCancelledBeforeAnyoneHeard(t *testing.T) {
	f := newClassroom(t)
	id := f.meeting(f.ivanova, f.c7a)
	if err := f.store.CancelMeeting(context.Background(), f.meetingAccess(f.ivanova, id)); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM notices WHERE ref_id = $1`, id); n != 0 {
		t.Errorf("%d notices of a meeting nobody heard of", n)
	}
}
