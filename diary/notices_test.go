package diary_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

// noticeTo writes a notice of the kind to a class (or, with pupil, to one
// pupil's family) and loads it as the worker does.
func (f *fixture) noticeTo(kind diary.NoticeKind, class diary.ClassID, pupil diary.PersonID, toPupils bool) diary.Notice {
	f.t.Helper()
	body := ""
	if kind == diary.NoticeAnnouncement {
		body = "Текст"
	}
	id := f.Insert(`INSERT INTO notices (kind, school_id, class_id, pupil_id, body, to_pupils, created_at, due_at)
	            VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, $6, $7, $7) RETURNING id`,
		kind, f.ID, class, pupil, body, toPupils, f.now)
	n, err := f.store.LoadNotice(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// recipients reads every page of a notice's recipients, pages of size page.
func (f *fixture) recipients(n diary.Notice, page int) []diary.AccountID {
	f.t.Helper()
	var got []diary.AccountID
	for after := diary.AccountID(0); ; {
		rs, next, err := f.store.NoticeRecipients(context.Background(), n, after, page)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
		}
		if next == 0 {
			return got
		}
		after = next
	}
}

func TestNoticeRecipients(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.Homeroom("7А"), f.Homeroom("7Б")
	dasha, petya, maxim := f.Pupil("Алёшина", "Дарья", c7a), f.Pupil("Ёлкин", "Пётр", c7a), f.Pupil("Алёшин", "Максим", c7b)
	mother := f.Guardian(dasha)
	f.Link(mother, maxim, diary.RoleGuardian) // Дарья's and Максим's
	petyasMother := f.Guardian(petya)
	grandma := f.Account()
	f.Exec(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	        SELECT $1, $2, 'trusted', l.id, '2026-09-01' FROM account_links l WHERE l.account_id = $3`, grandma, petya, petyasMother)
	herself := f.Account()
	f.Link(herself, dasha, diary.RoleStudent)
	maxims := f.Guardian(maxim)
	blocked := f.Guardian(petya)
	if err := f.store.MarkBlocked(ctx, blocked); err != nil {
		t.Fatal(err)
	}
	revoked := f.Guardian(dasha)
	if err := f.store.Unlink(ctx, revoked, dasha); err != nil {
		t.Fatal(err)
	}
	noMeetings := f.Guardian(dasha)
	st := diary.Settings{DigestTime: 19 * 60, QuietFrom: 22 * 60, QuietTo: 7 * 60, Grades: true}
	if err := f.store.SaveSettings(ctx, noMeetings, st); err != nil {
		t.Fatal(err)
	}

	for _, page := range []int{1, 2, 500} {
		families := f.recipients(f.noticeTo(diary.NoticeMeeting, c7a, 0, false), page)
		if want := []diary.AccountID{mother, petyasMother, grandma}; !slices.Equal(families, want) {
			t.Errorf("page %d: a meeting of 7А goes to %v, want %v", page, families, want)
		}
	}
	everyone := f.recipients(f.noticeTo(diary.NoticeAnnouncement, c7a, 0, true), 500)
	if want := []diary.AccountID{mother, petyasMother, grandma, herself, noMeetings}; !slices.Equal(everyone, want) {
		t.Errorf("an announcement to 7А and its pupils goes to %v, want %v", everyone, want)
	}
	one := f.recipients(f.noticeTo(diary.NoticeGrade, c7a, dasha, true), 500)
	if want := []diary.AccountID{mother, herself, noMeetings}; !slices.Equal(one, want) {
		t.Errorf("Дарья's grade goes to %v, want %v", one, want)
	}
	school := f.recipients(f.noticeTo(diary.NoticeAnnouncement, 0, 0, false), 500)
	if want := []diary.AccountID{mother, petyasMother, grandma, maxims, noMeetings}; !slices.Equal(school, want) {
		t.Errorf("a school announcement goes to %v, want %v", school, want)
	}
	// A parent of two children in the audience gets one message about both.
	rs, _, err := f.store.NoticeRecipients(ctx, f.noticeTo(diary.NoticeAnnouncement, 0, 0, false), 0, 1)
	if err != nil || len(rs) != 1 || rs[0].ID != mother || len(rs[0].Children) != 2 {
		t.Errorf("the mother of two: %+v, %v", rs, err)
	}
}

func TestLoadNoticeOfUndoneGradeIsGone(t *testing.T) {
	f := newFixture(t)
	c := f.Section("7А Математика", "Математика")
	p := f.Pupil("Алёшина", "Дарья", c)
	f.Grade(c, p, "2026-11-27", 5, 1)
	grade := f.Insert(`SELECT id FROM grades`)
	id := f.Insert(`INSERT INTO notices (kind, school_id, class_id, pupil_id, ref_id) VALUES ('grade', $1, $2, $3, $4) RETURNING id`,
		f.ID, c, p, grade)
	n, err := f.store.LoadNotice(context.Background(), id)
	if err != nil || n.Gone || n.Grade == nil || n.Grade.Score != 5 || n.Grade.Subject != "Математика" {
		t.Fatalf("before the undo: %+v, %v", n, err)
	}
	f.Exec(`DELETE FROM grades WHERE id = $1`, grade)
	if n, err := f.store.LoadNotice(context.Background(), id); err != nil || !n.Gone {
		t.Errorf("after the undo: gone %v, %v", n.Gone, err)
	}
}

func TestAnswerMeeting(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c7a, c7b := f.Homeroom("7А"), f.Homeroom("7Б")
	dasha, maxim := f.Pupil("Алёшина", "Дарья", c7a), f.Pupil("Алёшин", "Максим", c7b)
	mother, other := f.Guardian(dasha), f.Guardian(maxim)
	herself, grandma := f.Account(), f.Account()
	f.Link(herself, dasha, diary.RoleStudent)
	f.Insert(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	      SELECT $1, $2, 'trusted', id, '2026-09-01' FROM account_links WHERE account_id = $3 AND person_id = $2
	      RETURNING id`, grandma, dasha, mother) // invited by her mother: reads the diary, never writes in it
	meeting := func(starts string, cancelled bool) int64 {
		return f.Insert(`INSERT INTO events (school_id, class_id, kind, title, starts_at, cancelled_at)
		             VALUES ($1, $2, 'meeting', 'Собрание', $3, CASE WHEN $4 THEN now() END) RETURNING id`,
			f.ID, c7a, starts, cancelled)
	}
	next := meeting("2026-12-02 18:30+03", false)
	if err := f.store.AnswerMeeting(ctx, mother, next, true); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AnswerMeeting(ctx, mother, next, false); err != nil { // changed her mind
		t.Fatal(err)
	}
	var answer string
	if err := f.db.QueryRow(ctx, `SELECT answer FROM event_rsvps WHERE event_id = $1 AND account_id = $2`, next, mother).Scan(&answer); err != nil || answer != "no" {
		t.Errorf("stored answer %q, %v", answer, err)
	}
	for name, c := range map[string]struct {
		account diary.AccountID
		event   int64
		want    diary.Code
	}{
		"another class's parent": {other, next, diary.EFORBIDDEN},
		"the pupil":              {herself, next, diary.EFORBIDDEN},
		"a trusted person":       {grandma, next, diary.EFORBIDDEN},
		"a guessed event":        {mother, next + 1000, diary.EFORBIDDEN},
		"a cancelled meeting":    {mother, meeting("2026-12-03 18:30+03", true), diary.ECONFLICT},
		"a past meeting":         {mother, meeting("2026-11-20 18:30+03", false), diary.EEXPIRED},
	} {
		if err := f.store.AnswerMeeting(ctx, c.account, c.event, true); diary.ErrorCode(err) != c.want {
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
	}
	var n int
	if err := f.db.QueryRow(ctx, `SELECT count(*) FROM event_rsvps`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d answers stored, want 1", n)
	}
}
