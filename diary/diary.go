// Package diary is the core of Dnevnik: the domain types, the rule of who may see
// what, and the PostgreSQL store that answers the bot's and the worker's questions.
//
// It imports nothing else of ours and knows nothing of Telegram, asynq or
// translations. Every view takes the asking account and goes through the access
// check in access.go first. The schema it reads is in package migrations.
//
// Dates (a lesson's day, a due date) are time.Time values at 00:00 UTC: calendar
// days, not instants. Which day is "today" depends on the school's time zone; see
// Store.Today.
package diary

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store answers questions about the diary from PostgreSQL.
type Store struct {
	db *pgxpool.Pool
	// reads is where a family's views read (ReadViewsFrom): a replica may lag
	// the primary by a moment, so only reads that need not see a write just
	// made go there. Every write, every read in a write's transaction, the
	// access rule (a revoked link ends at once, a new one works at once), the
	// teachers' screens (redrawn right after a mark is set) and what the
	// worker sends read db.
	reads *pgxpool.Pool
	clock func() time.Time
	// codeKeys are the keys link codes are hashed under; see UseCodeSecrets.
	codeKeys [][]byte
}

// NewStore returns a store on the pool, with the wall clock.
func NewStore(db *pgxpool.Pool) *Store {
	return &Store{db: db, reads: db, clock: time.Now}
}

// ReadViewsFrom sends the family's views (days and weeks, grades,
// attendance, remarks, homework, missed topics) to another pool: a
// streaming replica of the primary.
func (s *Store) ReadViewsFrom(replica *pgxpool.Pool) { s.reads = replica }

// Now is the store's clock: the only one the diary reads, so that a test
// (SetClock) pins every "now" and "today" at once.
func (s *Store) Now() time.Time { return s.clock() }

// SetClock replaces the wall clock, for tests and simulations.
func (s *Store) SetClock(now func() time.Time) { s.clock = now }

// Ids of the things accounts ask about. Distinct types keep a pupil's id from
// being passed where a class's is meant.
type (
	AccountID int64
	PersonID  int64
	ClassID   int64
	SchoolID  int64
)

// Person is a pupil, guardian or teacher as the diary shows them.
type Person struct {
	ID         PersonID
	FamilyName string
	GivenName  string
	MiddleName string
}

// School is what views need to know of a pupil's school.
type School struct {
	ID       SchoolID
	Name     string
	Location *time.Location
	GradeMin int
	GradeMax int
}

// Date returns the calendar day of t in loc, as a date value (00:00 UTC).
func Date(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the current day in the school's time zone.
func (s *Store) Today(school School) time.Time {
	return Date(s.Now(), school.Location)
}

// WeekOf returns Monday and Sunday of the week holding day.
func WeekOf(day time.Time) (monday, sunday time.Time) {
	offset := (int(day.Weekday()) + 6) % 7 // days since Monday
	monday = day.AddDate(0, 0, -offset)
	return monday, monday.AddDate(0, 0, 6)
}

// Clock is a time of day in minutes since midnight: a bell time.
type Clock int

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// A digest from MorningFrom to just before Noon is a morning one, about today;
// from noon to just before MorningFrom an evening one, about tomorrow (one
// composed at half past midnight still prepares for the coming school day).
const (
	MorningFrom Clock = 4 * 60
	Noon        Clock = 12 * 60
)

// Morning tells a time of a morning digest: from 04:00 to 11:59.
func (c Clock) Morning() bool { return c >= MorningFrom && c < Noon }

// checkRange refuses a reversed or overlong range: views are for people, and a
// request for ten years of lessons is a mistake or an attack.
func checkRange(from, to time.Time, maxDays int) error {
	if to.Before(from) {
		return Errorf(EINVALID, "range ends before it starts")
	}
	if to.Sub(from) > time.Duration(maxDays)*24*time.Hour {
		return Errorf(EINVALID, "range longer than %d days", maxDays)
	}
	return nil
}
