package jobs

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// HoldUntil is when a message that is not urgent, due at `at`, may reach a person
// whose quiet hours run from `from` to `to` in loc (wrapping midnight when from is
// later than to; none when they are equal): `at` itself outside the quiet hours,
// else the moment they end. Nothing is dropped, only held.
func HoldUntil(at time.Time, from, to diary.Clock, loc *time.Location) time.Time {
	if from == to {
		return at
	}
	local := at.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	now := diary.Clock(local.Hour()*60 + local.Minute())
	end := func(dayOffset int) time.Time {
		// Built from the date, so a DST change that day is honoured.
		d := midnight.AddDate(0, 0, dayOffset)
		return time.Date(d.Year(), d.Month(), d.Day(), int(to)/60, int(to)%60, 0, 0, loc)
	}
	switch {
	case from < to && now >= from && now < to: // 13:00–15:00
		return end(0)
	case from > to && now >= from: // 22:00–07:00, evening part
		return end(1)
	case from > to && now < to: // 22:00–07:00, morning part
		return end(0)
	}
	return at
}
