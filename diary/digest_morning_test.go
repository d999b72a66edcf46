package diary_test

import (
	"testing"
	"time"
)

// A digest composed in the morning (04:00–11:59 in the child's school's zone)
// tells of today: its lessons, which alone are worth telling then, and the
// homework due today. The same accounts' evening digest tells of tomorrow.
func TestMorningDigestTellsToday(t *testing.T) {
	c := newTwoSchools(t)
	c.fixture.Homework(c.history5b, "2026-11-25", "2026-11-28", "Due on Максим's Saturday")

	// 08:00 on Saturday in Moscow, 10:00 in Yekaterinburg.
	ds := c.digests(time.Date(2026, 11, 28, 8, 0, 0, 0, moscow), c.mum)
	if len(ds) != 1 || len(ds[0].Children) != 2 {
		t.Fatalf("digests = %+v", ds)
	}
	dasha, maxim := ds[0].Children[0], ds[0].Children[1]
	if !dasha.Morning || !dasha.Ahead.Date.Equal(day("2026-11-28")) || len(dasha.Ahead.Lessons) != 1 || dasha.Empty {
		t.Errorf("Даша's Saturday morning: morning %v, day %v, lessons %+v, empty %v", dasha.Morning, dasha.Ahead.Date, dasha.Ahead.Lessons, dasha.Empty)
	}
	if l := maxim.Ahead.Lessons; !maxim.Morning || !maxim.Ahead.Date.Equal(day("2026-11-28")) || len(l) != 1 || len(l[0].Homework) != 1 {
		t.Errorf("Максим's Saturday morning: morning %v, day %v, lessons %+v", maxim.Morning, maxim.Ahead.Date, l)
	}

	// Sunday morning: Даша's school rests, Максим's does not.
	ds = c.digests(time.Date(2026, 11, 29, 7, 0, 0, 0, moscow), c.mum)
	if dasha, maxim := ds[0].Children[0], ds[0].Children[1]; !dasha.Empty || maxim.Empty || len(maxim.Ahead.Lessons) != 1 {
		t.Errorf("Sunday morning: Даша empty %v, Максим empty %v with %d lessons", dasha.Empty, maxim.Empty, len(maxim.Ahead.Lessons))
	}

	// Friday evening: tomorrow's usual lesson alone is no news.
	ds = c.digests(time.Date(2026, 11, 27, 19, 0, 0, 0, moscow), c.mum)
	if dasha := ds[0].Children[0]; dasha.Morning || !dasha.Ahead.Date.Equal(day("2026-11-28")) || !dasha.Empty {
		t.Errorf("Даша's Friday evening: morning %v, day %v, empty %v", dasha.Morning, dasha.Ahead.Date, dasha.Empty)
	}
}
