package diary_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// twoSchools is 7А (class7A) with a maths lesson on Saturdays, and Даша's
// brother Максим in 5Б at a school in Yekaterinburg, two hours ahead of Moscow.
// Their mother is linked to both.
type twoSchools struct {
	*class7A
	c5b, history5b diary.ClassID
	maxim          diary.PersonID
}

func newTwoSchools(t *testing.T) *twoSchools {
	c := &twoSchools{class7A: newClass7A(t)}
	f := c.fixture
	f.Lesson(c.math, 6, 1, "08:30", "09:15", "Математика", c.ivanova, "214")

	moscowSchool := f.ID
	f.ID = f.Insert(`INSERT INTO schools (sourced_id, name, time_zone) VALUES ('s2', 'Школа №2', 'Asia/Yekaterinburg') RETURNING id`)
	c.c5b = f.Homeroom("5Б")
	c.history5b = f.Section("5Б История", "История")
	c.maxim = f.Pupil("Алёшин", "Максим", c.c5b, c.history5b)
	f.Lesson(c.history5b, 6, 1, "09:00", "09:45", "История", 0, "12")
	f.Lesson(c.history5b, 7, 2, "10:00", "10:45", "История", 0, "12") // a school on Sundays
	f.ID = moscowSchool

	f.Link(c.mum, c.maxim, diary.RoleGuardian)
	return c
}

// digests composes the digests of the accounts at the instant now.
func (c *twoSchools) digests(now time.Time, accounts ...diary.AccountID) []diary.Digest {
	c.t.Helper()
	ds, err := c.store.Digests(context.Background(), accounts, now)
	if err != nil {
		c.t.Fatal(err)
	}
	return ds
}

// lateFriday is 22:30 on Friday in Moscow: already Saturday in Yekaterinburg.
var lateFriday = time.Date(2026, 11, 27, 22, 30, 0, 0, moscow)

func TestDigestPerSchoolDay(t *testing.T) {
	c := newTwoSchools(t)
	f := c.fixture
	f.Exec(`INSERT INTO lesson_changes (class_id, lesson_date, period, kind, room) VALUES ($1, '2026-11-28', 1, 'room', '301')`, c.math)
	f.Homework(c.math, "2026-11-25", "2026-11-28", "§12")
	f.Homework(c.history5b, "2026-11-25", "2026-11-28", "Not Максим's: due on his today")
	f.Homework(c.history5b, "2026-11-26", "2026-11-29", "Даты Смуты")
	f.Grade(c.math, c.dasha, "2026-11-27", 5, 1)
	f.Grade(c.math, c.petya, "2026-11-27", 2, 1) // another family's
	f.Grade(c.history5b, c.maxim, "2026-11-27", 3, 1)
	f.Grade(c.history5b, c.maxim, "2026-11-28", 4, 1)
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status) VALUES ($1, $2, '2026-11-27', NULL, 'absent')`, c.homeroom, c.dasha)
	f.Exec(`INSERT INTO remarks (pupil_id, kind, body, given_on) VALUES ($1, 'praise', 'Молодец', '2026-11-27')`, c.dasha)
	meeting := f.Insert(`INSERT INTO events (school_id, class_id, kind, title, starts_at) VALUES ($1, $2, 'meeting', 'Собрание', '2026-11-30 18:30+03') RETURNING id`,
		f.ID, c.homeroom)
	f.Exec(`INSERT INTO events (school_id, kind, title, starts_at) VALUES ($1, 'event', 'Концерт', '2026-12-01 12:00+03')`, f.ID) // too far
	f.Exec(`INSERT INTO event_rsvps (event_id, account_id, answer) VALUES ($1, $2, 'yes')`, meeting, c.mum)

	ds := c.digests(lateFriday, c.mum)
	if len(ds) != 1 || ds[0].Account != c.mum || ds[0].Language != "ru" || ds[0].Settings.DigestTime.String() != "19:00" || len(ds[0].Children) != 2 {
		t.Fatalf("digests = %+v", ds)
	}
	dasha, maxim := ds[0].Children[0], ds[0].Children[1]
	if dasha.Pupil.ID != c.dasha || dasha.Class != "7А" || dasha.School.Location.String() != "Europe/Moscow" || dasha.Empty {
		t.Errorf("Даша: %+v", dasha)
	}
	if !dasha.Today.Equal(day("2026-11-27")) || !dasha.Ahead.Date.Equal(day("2026-11-28")) {
		t.Errorf("Даша's today %v, tomorrow %v", dasha.Today, dasha.Ahead.Date)
	}
	if l := dasha.Ahead.Lessons; len(l) != 1 || l[0].Change == nil || l[0].Room != "301" || len(l[0].Homework) != 1 {
		t.Errorf("Даша's Saturday: %+v", l)
	}
	if len(dasha.Grades) != 1 || dasha.Grades[0].Score != 5 || len(dasha.Absences) != 1 || len(dasha.Remarks) != 1 {
		t.Errorf("Даша's Friday: grades %+v, marks %+v, remarks %+v", dasha.Grades, dasha.Absences, dasha.Remarks)
	}
	if len(dasha.Events) != 1 || dasha.Events[0].Title != "Собрание" || dasha.Events[0].Answer != "yes" {
		t.Errorf("Даша's events: %+v", dasha.Events)
	}

	if maxim.Class != "5Б" || !maxim.Today.Equal(day("2026-11-28")) || !maxim.Ahead.Date.Equal(day("2026-11-29")) {
		t.Errorf("Максим in Yekaterinburg: class %q, today %v, tomorrow %v", maxim.Class, maxim.Today, maxim.Ahead.Date)
	}
	if l := maxim.Ahead.Lessons; len(l) != 1 || l[0].Period != 2 || len(l[0].Homework) != 1 || l[0].Homework[0].Text != "Даты Смуты" {
		t.Errorf("Максим's Sunday: %+v", l)
	}
	if len(maxim.Grades) != 1 || maxim.Grades[0].Score != 4 || len(maxim.Events) != 0 {
		t.Errorf("Максим's Saturday: grades %+v, events %+v", maxim.Grades, maxim.Events)
	}
}

// Only children the account may see now get into its digest, by the rule of
// PupilAccess; accounts with none, and blocked ones, get no digest.
func TestDigestAccess(t *testing.T) {
	c := newTwoSchools(t)
	f := c.fixture
	f.Grade(c.math, c.dasha, "2026-11-27", 5, 1)

	unlinked := f.Guardian(c.maxim) // revoked from Даша, still linked to Максим
	f.Exec(`UPDATE account_links SET revoked_at = '2026-11-20', revoked_by = 'school' WHERE id = $1`, f.Link(unlinked, c.dasha, diary.RoleGuardian))
	dad := f.Account()
	dadLink := f.Link(dad, c.dasha, diary.RoleGuardian)
	grandma := f.Account()
	f.Exec(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from, valid_until)
	        VALUES ($1, $2, 'trusted', $3, '2026-11-01', '2027-08-31')`, grandma, c.dasha, dadLink)
	f.Exec(`UPDATE account_links SET revoked_at = '2026-11-20', revoked_by = 'school' WHERE id = $1`, dadLink)
	blocked := f.Guardian(c.dasha)
	f.Exec(`UPDATE accounts SET blocked_at = '2026-11-20' WHERE id = $1`, blocked)
	expired := f.Guardian(c.dasha)
	f.Exec(`UPDATE account_links SET valid_until = '2026-11-27 20:00+03' WHERE account_id = $1`, expired)
	petyasMum := f.Guardian(c.petya) // Петя has nothing today: an empty digest
	stranger := f.Account()

	ds := c.digests(lateFriday, stranger, petyasMum, blocked, grandma, unlinked, dad, expired, c.mum)
	var got []diary.AccountID
	for _, d := range ds {
		got = append(got, d.Account)
	}
	want := []diary.AccountID{petyasMum, unlinked, c.mum}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("digests for accounts %v, want %v", got, want)
	}
	if p := ds[0].Children; len(p) != 1 || p[0].Pupil.ID != c.petya || !p[0].Empty {
		t.Errorf("Петя's digest: %+v, want one empty child", p)
	}
	if m := ds[1].Children; len(m) != 1 || m[0].Pupil.ID != c.maxim {
		t.Errorf("unlinked from Даша: children %+v, want Максим only", m)
	}
	if ds[2].Children[0].Empty {
		t.Error("Даша's digest with a grade is empty")
	}
}

// The number of queries of a batch does not grow with the batch.
func TestDigestQueriesDoNotGrowWithTheBatch(t *testing.T) {
	c := newTwoSchools(t)
	f := c.fixture
	accounts := []diary.AccountID{c.mum}
	for range 49 {
		accounts = append(accounts, f.Guardian(f.Pupil("Ученик", "Новый", c.homeroom, c.math)))
	}
	counter := &queryCounter{}
	store := diary.NewStore(diarytest.Traced(t, f.db, counter))
	ctx := context.Background()
	count := func(compose func([]diary.AccountID) (int, error), batch []diary.AccountID) int64 {
		counter.n.Store(0)
		n, err := compose(batch)
		if err != nil || n != len(batch) {
			t.Fatalf("%d of %d accounts composed: %v", n, len(batch), err)
		}
		return counter.n.Load()
	}
	for name, compose := range map[string]func([]diary.AccountID) (int, error){
		"Digests": func(batch []diary.AccountID) (int, error) {
			ds, err := store.Digests(ctx, batch, lateFriday)
			return len(ds), err
		},
		"WeeklySummaries": func(batch []diary.AccountID) (int, error) {
			ws, err := store.WeeklySummaries(ctx, batch, lateFriday)
			return len(ws), err
		},
	} {
		one, fifty := count(compose, accounts[:1]), count(compose, accounts)
		t.Logf("%s: %d queries", name, one)
		if one != fifty || one == 0 {
			t.Errorf("%s: %d queries for one account, %d for fifty", name, one, fifty)
		}
	}
}

// queryCounter counts the queries run, alone or in a batch.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *queryCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (c *queryCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.n.Add(1)
}

func (c *queryCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func TestWeeklySummaries(t *testing.T) {
	c := newTwoSchools(t)
	f := c.fixture
	for _, g := range []struct {
		class         diary.ClassID
		date          string
		score, weight float64
	}{
		{c.math, "2026-11-15", 2, 1},                               // a fortnight ago
		{c.math, "2026-11-17", 3, 1}, {c.math, "2026-11-20", 4, 1}, // last week: 3,50
		{c.math, "2026-11-24", 5, 1}, {c.math, "2026-11-27", 4, 2}, // this week: 4,33
		{c.russian, "2026-11-23", 5, 1}, // this week only
		{c.russian, "2026-11-30", 2, 1}, // next week
	} {
		f.Grade(g.class, c.dasha, g.date, g.score, g.weight)
	}
	f.Exec(`INSERT INTO attendance (class_id, pupil_id, lesson_date, period, status, excused) VALUES
	        ($1, $2, '2026-11-24', NULL, 'absent', true), ($1, $2, '2026-11-25', 2, 'absent', false),
	        ($1, $2, '2026-11-26', 1, 'late', false), ($1, $2, '2026-11-20', NULL, 'absent', false)`, c.homeroom, c.dasha)
	f.Exec(`INSERT INTO remarks (pupil_id, kind, body, given_on) VALUES ($1, 'praise', 'Молодец', '2026-11-23'),
	        ($1, 'warning', 'Без формы', '2026-11-29'), ($1, 'praise', 'Прошлая неделя', '2026-11-22')`, c.dasha)
	f.Exec(`INSERT INTO diary_signatures (pupil_id, week_start, account_id) VALUES ($1, '2026-11-23', $2)`, c.dasha, c.mum)
	dad := f.Guardian(c.dasha)
	grandma := f.Account()
	f.Exec(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	        SELECT $1, $2, 'trusted', id, '2026-11-01' FROM account_links WHERE account_id = $3`, grandma, c.dasha, dad)

	sunday := time.Date(2026, 11, 29, 19, 0, 0, 0, moscow)
	ws, err := c.store.WeeklySummaries(context.Background(), []diary.AccountID{c.mum, dad, grandma}, sunday)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 3 || len(ws[0].Children) != 2 {
		t.Fatalf("summaries = %+v", ws)
	}
	w := ws[0].Children[0]
	if w.Pupil.ID != c.dasha || w.Class != "7А" || !w.Monday.Equal(day("2026-11-23")) || !w.Sunday.Equal(day("2026-11-29")) {
		t.Errorf("Даша's week: %+v", w)
	}
	if len(w.Subjects) != 2 {
		t.Fatalf("subjects = %+v", w.Subjects)
	}
	maths, rus := w.Subjects[0], w.Subjects[1]
	if maths.Subject != "Математика" || len(maths.Grades) != 2 || !near(maths.Average, 13.0/3) || !near(maths.PreviousAverage, 3.5) {
		t.Errorf("maths: %d grades, average %v, previous %v", len(maths.Grades), maths.Average, maths.PreviousAverage)
	}
	if rus.Subject != "Русский язык" || len(rus.Grades) != 1 || rus.Average != 5 || rus.PreviousAverage != 0 {
		t.Errorf("Russian: %+v", rus)
	}
	if a := w.Attendance; a.AbsentDays != 1 || a.AbsentLessons != 1 || a.Late != 1 || a.Excused != 1 {
		t.Errorf("attendance: %+v", a)
	}
	if w.Remarks != 2 || !w.CanSign || !w.Signed {
		t.Errorf("remarks %d, can sign %v, signed %v", w.Remarks, w.CanSign, w.Signed)
	}
	if m := ws[0].Children[1]; m.Pupil.ID != c.maxim || m.Signed || len(m.Subjects) != 0 {
		t.Errorf("Максим's week: %+v", m)
	}
	if d := ws[1].Children[0]; !d.CanSign || d.Signed {
		t.Errorf("dad: can sign %v, signed %v: only mum signed", d.CanSign, d.Signed)
	}
	if g := ws[2].Children[0]; g.CanSign || len(g.Subjects) != 2 {
		t.Errorf("grandma: can sign %v, %d subjects", g.CanSign, len(g.Subjects))
	}
}

// The demo school's Thursday evening: Даша's mother reads of Friday's
// substitute and cancelled lesson, and of Максим's day in 7Б.
func TestDigestOfTheDemoSchool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	thursday := day("2026-11-26")
	db, school := diarytest.Demo(t, thursday)
	f := &fixture{t: t, db: db,
		school: diarytest.SchoolOf[diary.ClassID, diary.PersonID, diary.AccountID, diary.Role](t, db, demo.SchoolSourcedID)}
	store := diary.NewStore(f.db)
	mum := f.Account()
	for _, p := range []string{demo.Dasha, demo.Maxim} {
		f.Link(mum, diary.PersonID(school.Pupils[p]), diary.RoleGuardian)
	}
	ds, err := store.Digests(ctx, []diary.AccountID{mum}, time.Date(2026, 11, 26, 19, 0, 0, 0, moscow))
	if err != nil || len(ds) != 1 || len(ds[0].Children) != 2 {
		t.Fatalf("digests %+v, %v", ds, err)
	}
	dasha := ds[0].Children[0]
	if dasha.Pupil.GivenName != "Дарья" || dasha.Class != "7А" || !dasha.Ahead.Date.Equal(day("2026-11-27")) {
		t.Fatalf("first child: %+v", dasha)
	}
	var substitute, cancelled bool
	for _, l := range dasha.Ahead.Lessons {
		if c := l.Change; c != nil {
			substitute = substitute || c.Kind == diary.ChangeSubstitute && c.Substitute.FamilyName == "Фёдорова" && l.Room == "305"
			cancelled = cancelled || c.Kind == diary.ChangeCancelled
		}
	}
	if !substitute || !cancelled || len(dasha.Ahead.Lessons) != 6 {
		t.Errorf("Даша's Friday: substitute %v, cancelled %v, %d lessons", substitute, cancelled, len(dasha.Ahead.Lessons))
	}
	if dasha.Empty || len(dasha.Ahead.Lessons[0].Homework) == 0 {
		t.Errorf("Даша's digest: empty %v, no homework for Friday's first lesson", dasha.Empty)
	}
	if maxim := ds[0].Children[1]; maxim.Class != "7Б" || len(maxim.Ahead.Lessons) != 4 {
		t.Errorf("Максим: %+v", maxim)
	}
}
