package diary

import (
	"context"
	"testing"
	"time"
)

// BenchmarkDigestPlans checks the plans of the digest's and the weekly summary's
// queries for a batch of all the benchmark district's linked accounts, as
// BenchmarkViewPlans does those of the views.
func BenchmarkDigestPlans(b *testing.B) {
	s, pupils := benchStore(b)
	accounts := make([]AccountID, len(pupils))
	for i, p := range pupils {
		accounts[i] = p.account
	}
	evening := benchDay.Add(16 * time.Hour) // 19:00 in Moscow
	aud, err := s.audience(context.Background(), accounts, evening)
	if err != nil {
		b.Fatal(err)
	}
	var (
		today, tomorrow, fortnight pupilDays
		events, signatures         childRequests[time.Time]
	)
	for i, a := range aud.pupils {
		day := aud.today[i]
		monday, sunday := WeekOf(day)
		today.add(a.Pupil.ID, day, day)
		tomorrow.add(a.Pupil.ID, day.AddDate(0, 0, 1), day.AddDate(0, 0, 1))
		fortnight.add(a.Pupil.ID, monday.AddDate(0, 0, -7), sunday)
		events.add(a, eventsUntil(day, a.School.Location))
		signatures.add(a, monday)
	}
	checkPlans(b, s, map[string][]any{
		accountsSQL:     {accounts},
		accountLinksSQL: {accounts},
		classesSQL:      today.args(),
		lessonsSQL:      tomorrow.args(),
		homeworkSQL:     tomorrow.args(),
		gradesSQL:       fortnight.args(),
		attendanceSQL:   fortnight.args(),
		remarksSQL:      fortnight.args(),
		eventsSQL:       append(events.args(), evening),
		signedSQL:       signatures.args(),
	})
}
