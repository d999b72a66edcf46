package diary

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Calendar feeds: an account's private iCalendar address (/calendar). The
// address holds a random token; the diary keeps only its SHA-256, so a leaked
// database or backup gives no working address, and a token is shown once,
// when it is made.

// calendarTokenBytes is a token's randomness: 256 bits, beyond guessing.
const calendarTokenBytes = 32

// The feed's window around today, in the school's zone: what a calendar app
// shows of the diary.
const (
	CalendarDaysBack  = 14 // two weeks back
	CalendarDaysAhead = 56 // eight weeks ahead
)

// NewCalendarToken makes the account a new calendar token and returns it;
// the one it had, if any, stops working at once. Only the token's hash is
// stored: the token is in the address the bot shows, and nowhere else.
func (s *Store) NewCalendarToken(ctx context.Context, account AccountID) (string, error) {
	raw := make([]byte, calendarTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("calendar token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	_, err := s.db.Exec(ctx, `
INSERT INTO calendar_feeds (account_id, token_hash, created_at) VALUES ($1, $2, $3)
ON CONFLICT (account_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
		account, calendarTokenHash(token), s.Now())
	if err != nil {
		return "", fmt.Errorf("store the calendar token of account %d: %w", account, err)
	}
	return token, nil
}

// CalendarTokenMade tells when the account's calendar token was made; ok is
// false when it has none.
func (s *Store) CalendarTokenMade(ctx context.Context, account AccountID) (made time.Time, ok bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT created_at FROM calendar_feeds WHERE account_id = $1`, account).Scan(&made)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("calendar token of account %d: %w", account, err)
	}
	return made, true, nil
}

func calendarTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Calendar is what an account's feed holds: for each child the account may
// see now, the lessons, homework and events of the window around today.
type Calendar struct {
	Account  AccountID
	Language string
	Children []ChildCalendar
}

// ChildCalendar is one child's part of a feed, as the views show it: the
// lessons of Days (those moved in included, cancelled ones marked), the
// homework due in the window, and the school's and the child's classes'
// events with the account's answer.
type ChildCalendar struct {
	Access   PupilAccess
	From, To time.Time // the window's first and last day, in the school's zone
	Lessons  []Lesson
	Homework []Homework
	Events   []Event
}

// CalendarFeed is the feed of the account whose token this is. An unknown
// token, and one whose account may see no child now (links revoked or ended,
// the account forgotten), are ENOTFOUND alike: the answer tells nothing of
// which. The token and the access rule read the primary; the lessons,
// homework and events of all the children are one batch where the views read.
func (s *Store) CalendarFeed(ctx context.Context, token string) (Calendar, error) {
	var c Calendar
	err := s.db.QueryRow(ctx, `SELECT a.id, a.language FROM calendar_feeds f JOIN accounts a ON a.id = f.account_id
	                           WHERE f.token_hash = $1`, calendarTokenHash(token)).Scan(&c.Account, &c.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return Calendar{}, Errorf(ENOTFOUND, "no calendar with this token")
	}
	if err != nil {
		return Calendar{}, fmt.Errorf("find a calendar token: %w", err)
	}
	now := s.Now()
	rows, _ := s.db.Query(ctx, accountLinksSQL, []AccountID{c.Account})
	live, err := liveLinks(rows, now)
	if err != nil {
		return Calendar{}, fmt.Errorf("children of account %d: %w", c.Account, err)
	}
	if len(live) == 0 {
		return Calendar{}, Errorf(ENOTFOUND, "account %d sees no child now", c.Account)
	}
	var (
		days   pupilDays
		events childRequests[time.Time]
		parts  dayParts
		found  [][]Event
		b      = &pgx.Batch{}
	)
	c.Children = make([]ChildCalendar, len(live))
	for i, a := range live {
		today := Date(now, a.School.Location)
		ch := ChildCalendar{Access: a, From: today.AddDate(0, 0, -CalendarDaysBack), To: today.AddDate(0, 0, CalendarDaysAhead)}
		c.Children[i] = ch
		days.add(a.Pupil.ID, ch.From, ch.To)
		end := ch.To.AddDate(0, 0, 1)
		events.add(a, time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, a.School.Location))
	}
	parts.queueLessons(b, &days)
	parts.queueHomework(b, &days)
	queuePerRequest(b, len(live), eventsSQL, append(events.args(), now.AddDate(0, 0, -CalendarDaysBack)), scanEvent, &found)
	if err := s.reads.SendBatch(ctx, b).Close(); err != nil {
		return Calendar{}, fmt.Errorf("read the calendar of account %d: %w", c.Account, err)
	}
	for i := range c.Children {
		c.Children[i].Lessons, c.Children[i].Homework, c.Children[i].Events = parts.lessonsOf(i), parts.homework[i], found[i]
	}
	return c, nil
}
