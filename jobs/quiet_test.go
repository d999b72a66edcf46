package jobs

import (
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestHoldUntil(t *testing.T) {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	at := func(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, moscow) }
	h := func(hh, mm int) diary.Clock { return diary.Clock(hh*60 + mm) }
	cases := []struct {
		name     string
		due      time.Time
		from, to diary.Clock
		want     time.Time
	}{
		{"evening, before quiet", at(27, 21, 59), h(22, 0), h(7, 0), at(27, 21, 59)},
		{"evening, quiet starts", at(27, 22, 0), h(22, 0), h(7, 0), at(28, 7, 0)},
		{"after midnight", at(28, 3, 30), h(22, 0), h(7, 0), at(28, 7, 0)},
		{"quiet ends", at(28, 7, 0), h(22, 0), h(7, 0), at(28, 7, 0)},
		{"midday quiet", at(27, 14, 0), h(13, 0), h(15, 0), at(27, 15, 0)},
		{"after midday quiet", at(27, 15, 1), h(13, 0), h(15, 0), at(27, 15, 1)},
		{"no quiet hours", at(27, 23, 0), h(0, 0), h(0, 0), at(27, 23, 0)},
	}
	for _, c := range cases {
		if got := HoldUntil(c.due, c.from, c.to, moscow); !got.Equal(c.want) {
			t.Errorf("%s: HoldUntil(%v) = %v, want %v", c.name, c.due, got, c.want)
		}
	}
	// In another zone, the quiet hours are that zone's.
	ekb, _ := time.LoadLocation("Asia/Yekaterinburg")
	due := time.Date(2026, 11, 27, 20, 30, 0, 0, moscow) // 22:30 in Yekaterinburg
	if got, want := HoldUntil(due, h(22, 0), h(7, 0), ekb), time.Date(2026, 11, 28, 7, 0, 0, 0, ekb); !got.Equal(want) {
		t.Errorf("Yekaterinburg: %v, want %v", got, want)
	}
}
