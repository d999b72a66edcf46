package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Digest is the daily message of one account: for each child it may see, what
// happened today and what the coming school day brings. An evening digest tells
// of tomorrow; a morning one (composed from 04:00 to noon, see Morning) of today.
type Digest struct {
	Account  AccountID
	ChatID   int64
	Language string
	Settings Settings
	Children []ChildDigest
}

// ChildDigest is one child's part of a digest. Today and the day ahead are in
// the child's school's time zone at the instant the digest is composed for.
type ChildDigest struct {
	Pupil  Person
	Role   Role   // the account's: guardian, trusted or the pupil themself
	Class  string // the homeroom class's title, e.g. 7А
	School School
	Today  time.Time
	// Morning tells a morning digest (Clock.Morning): it tells of today.
	Morning bool
	// Ahead is the day the digest prepares for, its lessons with their changes
	// and the homework due: tomorrow in the evening, today in the morning.
	Ahead    Day
	Grades   []Grade          // given today
	Absences []AttendanceMark // today's absences and late arrivals
	Remarks  []Remark         // given today
	Events   []Event          // not over, starting before the end of DigestEventDays after today
	// Empty tells that there is nothing to tell: no grades, marks or remarks
	// today, no homework due on the day ahead and no event ahead; in the
	// evening, no changed lesson tomorrow either (tomorrow's usual lessons
	// alone are no news), in the morning no lesson today (today's lessons are
	// what a morning digest is for).
	Empty bool
}

// Morning tells whether a digest composed at the instant t is a morning one in
// the zone loc (Clock.Morning). Each child's digest takes its own school's
// zone: for the children of one account in schools of zones hours apart, the
// digest of one may be a morning one and of another an evening one.
func Morning(t time.Time, loc *time.Location) bool {
	local := t.In(loc)
	return Clock(local.Hour()*60 + local.Minute()).Morning()
}

// DigestEventDays is how many days after today a digest announces events for.
const DigestEventDays = 3

// Digests composes the digests of a batch of distinct accounts (the
// scheduler's: those whose digest time has come) at the instant now, usually
// s.Now(). Each child's today is the date at now in its school's time zone, so
// schools in different zones in one batch each get their own today and day
// ahead: tomorrow, or today itself in the morning there (Morning).
//
// An account gets a digest when it is not blocked and may see a child at now, by
// the rule of PupilAccess; the digest has the children it may see. Digests come
// in the order of accounts. Whatever the size of the batch, it takes a fixed
// number of set-based queries, never one per account or pupil: two to find the
// accounts and their children, then the rest in two batches sent side by side.
func (s *Store) Digests(ctx context.Context, accounts []AccountID, now time.Time) ([]Digest, error) {
	aud, err := s.audience(ctx, accounts, now)
	if err != nil || len(aud.recipients) == 0 {
		return nil, err
	}
	var (
		today, ahead pupilDays
		parts        dayParts
		events       childRequests[time.Time]
		eventLists   [][]Event
		lessons      = &pgx.Batch{}
		records      = &pgx.Batch{}
	)
	for i, a := range aud.pupils {
		day, next := aud.today[i], aud.today[i].AddDate(0, 0, 1)
		if Morning(now, a.School.Location) {
			next = day
		}
		today.add(a.Pupil.ID, day, day)
		ahead.add(a.Pupil.ID, next, next)
	}
	for _, r := range aud.recipients {
		for _, a := range r.children {
			events.add(a, eventsUntil(aud.today[aud.index[a.Pupil.ID]], a.School.Location))
		}
	}
	parts.queueLessons(lessons, &ahead)
	aud.queueClasses(lessons, &today)
	parts.queueHomework(records, &ahead)
	parts.queueRecords(records, &today)
	records.Queue(eventsSQL, append(events.args(), now)...).Query(func(rows pgx.Rows) error {
		var err error
		eventLists, err = collectPerRequest(rows, len(events.pupils), scanEvent)
		return err
	})
	if err := s.sendBatches(ctx, lessons, records); err != nil {
		return nil, fmt.Errorf("read digests of %d accounts: %w", len(accounts), err)
	}

	aheads := make([]Day, len(aud.pupils))
	for i := range aheads {
		aheads[i] = assembleDays(ahead.from[i], ahead.to[i], parts.lessonsOf(i), parts.homework[i], nil, nil, nil)[0]
	}
	digests := make([]Digest, len(aud.recipients))
	next := 0 // the next of eventLists, which follow the recipients' children in order
	for k, r := range aud.recipients {
		d := Digest{Account: r.ID, ChatID: r.ChatID, Language: r.Language, Settings: r.Settings}
		for _, a := range r.children {
			i := aud.index[a.Pupil.ID]
			c := ChildDigest{
				Pupil: a.Pupil, Role: a.Role, Class: aud.classes[i], School: a.School, Today: aud.today[i],
				Morning: Morning(now, a.School.Location), Ahead: aheads[i],
				Grades: parts.grades[i], Absences: parts.marks[i], Remarks: parts.remarks[i], Events: eventLists[next],
			}
			next++
			c.Empty = c.nothingToTell()
			d.Children = append(d.Children, c)
		}
		digests[k] = d
	}
	return digests, nil
}

// sendBatches sends the batches at once, each on a connection of its own, so
// that PostgreSQL answers them on as many cores.
func (s *Store) sendBatches(ctx context.Context, batches ...*pgx.Batch) error {
	errs := make(chan error, len(batches))
	for _, b := range batches {
		go func() { errs <- s.db.SendBatch(ctx, b).Close() }()
	}
	var err error
	for range batches {
		err = errors.Join(err, <-errs)
	}
	return err
}

// eventsUntil is the end of the last day a digest composed today announces
// events for: midnight after it, in the school's zone.
func eventsUntil(today time.Time, loc *time.Location) time.Time {
	return time.Date(today.Year(), today.Month(), today.Day()+DigestEventDays+1, 0, 0, 0, 0, loc)
}

func (c *ChildDigest) nothingToTell() bool {
	if len(c.Grades) > 0 || len(c.Absences) > 0 || len(c.Remarks) > 0 || len(c.Events) > 0 || len(c.Ahead.Homework) > 0 {
		return false
	}
	if c.Morning && len(c.Ahead.Lessons) > 0 {
		return false
	}
	for _, l := range c.Ahead.Lessons {
		if l.Change != nil || len(l.Homework) > 0 {
			return false
		}
	}
	return true
}

// audience is who a batch of messages goes to: the accounts that are not
// blocked and may see a child, and their children, each pupil once.
type audience struct {
	recipients []recipient
	pupils     []PupilAccess    // each pupil once, in the order met; the access of its first account
	index      map[PersonID]int // a pupil's place in pupils
	today      []time.Time      // each pupil's today in its school's zone
	classes    []string         // each pupil's homeroom class, once queueClasses is read
}

// recipient is an account of a batch with the children it may see.
type recipient struct {
	Account
	children []PupilAccess
}

// accountsSQL reads the accounts of a batch ($1) that have not blocked the bot.
const accountsSQL = `SELECT ` + accountColumns + ` FROM accounts WHERE id = ANY((SELECT $1::bigint[])::bigint[]) AND blocked_at IS NULL`

// audience reads the accounts of a batch and their links in one round trip, and
// keeps the accounts and children that PupilAccess's rule lets through at now,
// and still lets through at the store's clock when that is later: a digest
// composed for the evening and sent in the morning reaches no one whose link
// ended overnight.
func (s *Store) audience(ctx context.Context, accounts []AccountID, now time.Time) (*audience, error) {
	checkAt := now
	if later := s.Now(); later.After(checkAt) {
		checkAt = later
	}
	var (
		found = map[AccountID]Account{}
		links []PupilAccess
		b     = &pgx.Batch{}
	)
	b.Queue(accountsSQL, accounts).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			a, err := scanAccount(rows)
			if err != nil {
				return err
			}
			found[a.ID] = a
		}
		return rows.Err()
	})
	b.Queue(accountLinksSQL, accounts).Query(func(rows pgx.Rows) error {
		var err error
		links, err = liveLinks(rows, checkAt)
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read %d accounts and their links: %w", len(accounts), err)
	}

	children := map[AccountID][]PupilAccess{}
	for _, a := range links {
		children[a.Account] = append(children[a.Account], a)
	}
	aud := &audience{index: map[PersonID]int{}}
	for _, id := range accounts {
		account, ok := found[id]
		if !ok || len(children[id]) == 0 {
			continue
		}
		aud.recipients = append(aud.recipients, recipient{Account: account, children: children[id]})
		for _, a := range children[id] {
			if _, seen := aud.index[a.Pupil.ID]; !seen {
				aud.index[a.Pupil.ID] = len(aud.pupils)
				aud.pupils = append(aud.pupils, a)
				aud.today = append(aud.today, Date(now, a.School.Location))
			}
		}
	}
	return aud, nil
}

// classesSQL is the homeroom class of each request's pupil.
const classesSQL = `SELECT q.n, ` + homeroomOfP + ` FROM ` + requests + ` JOIN people p ON p.id = q.pupil_id`

// queueClasses queues the query of the pupils' homeroom classes; r has a
// request for each of aud.pupils, in order.
func (aud *audience) queueClasses(b *pgx.Batch, r *pupilDays) {
	b.Queue(classesSQL, r.args()...).Query(func(rows pgx.Rows) error {
		aud.classes = make([]string, len(aud.pupils))
		var n int
		var title string
		_, err := pgx.ForEachRow(rows, []any{&n, &title}, func() error {
			aud.classes[n-1] = title
			return nil
		})
		return err
	})
}

// DueDigests lists the accounts whose digest falls in the minute that
// holds at. Accounts without a live link to a child have nothing to read and are
// left out; whether each child may still be seen is Digests' business.
func (s *Store) DueDigests(ctx context.Context, at time.Time) ([]DueAccount, error) {
	rows, _ := s.db.Query(ctx, dueDigestsSQL, at)
	due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DueAccount, error) {
		var d DueAccount
		var zone string
		if err := row.Scan(&d.Account, &zone); err != nil {
			return d, err
		}
		var err error
		d.Location, err = location(zone)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("find digests due at %s: %w", at.UTC().Format(time.RFC3339), err)
	}
	return due, nil
}

// DueAccount is an account whose digest is due, with the zone its digest
// time is read in.
type DueAccount struct {
	Account  AccountID
	Location *time.Location
}

// dueDigestsSQL finds the accounts whose digest time is the minute $1 in their
// zone: the account's own, else the school of their first linked child. One pass
// over the accounts a minute: tens of thousands of rows, milliseconds.
const dueDigestsSQL = `
SELECT a.id, z.tz
FROM accounts a
CROSS JOIN LATERAL (
    SELECT coalesce(a.time_zone, sc.time_zone, 'Europe/Moscow') AS tz
    FROM account_links l
    JOIN people p ON p.id = l.person_id
    LEFT JOIN schools sc ON sc.id = p.school_id
    WHERE l.account_id = a.id AND l.revoked_at IS NULL AND l.role <> 'teacher'
    ORDER BY l.id
    LIMIT 1) z
WHERE a.blocked_at IS NULL
  AND a.digest_time = date_trunc('minute', $1::timestamptz AT TIME ZONE z.tz)::time
ORDER BY a.id`
