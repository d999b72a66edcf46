package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/jobs/jobstest"
)

// A sender that wakes up late for its slot (a stalled process) books another
// rather than send late, where it would land beside the next slot's message;
// after lateRetries late slots it sends anyway. One on time books once.
func TestLateSlotIsBookedAgain(t *testing.T) {
	rdb := redis.NewClient(jobstest.New(t))
	defer rdb.Close()
	for _, c := range []struct {
		name     string
		late     time.Duration
		bookings int
	}{
		{"on time", 0, 1},
		{"late", 3 * maxLate, lateRetries + 1},
	} {
		l := newRateLimiter(rdb, 20*time.Millisecond, 0)
		bookings := 0
		l.sleep = func(ctx context.Context, d time.Duration) error {
			bookings++
			return sleep(ctx, d+c.late)
		}
		if err := l.wait(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		if bookings != c.bookings {
			t.Errorf("%s: %d slots booked, want %d", c.name, bookings, c.bookings)
		}
	}
}
