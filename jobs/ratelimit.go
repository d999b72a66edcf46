package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// The rate limits are github.com/go-redis/redis_rate. The limit holds for all
// worker processes together, so its state must live where they all see it:
// Redis, which they share already. redis_rate keeps one GCRA timestamp per key
// there and checks and moves it in one Lua script, so a check is one atomic
// round trip with no lock, no counter to refill and no clock of our own (the
// script reads Redis's). It is the go-redis project's limiter, on the go-redis
// v9 client asynq already brings in. An in-process limiter such as
// golang.org/x/time/rate would let N processes send N times the rate.

// Keys of the limits; redis_rate prefixes them with "rate:".
const (
	globalRateKey = "dnevnik:global"
	chatRateKey   = "dnevnik:chat:"
)

// rateLimiter paces sends: the whole bot's rate and each chat's interval.
type rateLimiter struct {
	redis  *redis_rate.Limiter
	global *redis_rate.Limit // nil: no limit
	chat   *redis_rate.Limit // nil: no limit
}

func newRateLimiter(rdb redis.UniversalClient, globalInterval, chatInterval time.Duration) *rateLimiter {
	return &rateLimiter{redis: redis_rate.NewLimiter(rdb), global: oneEvery(globalInterval, 2), chat: oneEvery(chatInterval, 1)}
}

// oneEvery is a limit of one send per interval, nil for an interval of 0 or
// less. Its burst is how many slots may be taken at once: 1 takes a slot only
// when it is due; 2 also reserves the next one, whose taker then waits for its
// time (see reserve). Either way sends go one interval apart: Telegram counts
// the sends within any one second, and a burst after a pause would go over.
func oneEvery(interval time.Duration, burst int) *redis_rate.Limit {
	if interval <= 0 {
		return nil
	}
	return &redis_rate.Limit{Rate: 1, Burst: burst, Period: interval}
}

// wait blocks until a message may go to the chat, or ctx ends. It reserves a
// slot of the global limit and, once that is due, takes the chat's, so that
// the message goes at both slots' time; a global slot that comes while the
// chat is busy goes unused, which only slows the bot down a little.
func (l *rateLimiter) wait(ctx context.Context, chatID int64) error {
	chatKey := chatRateKey + strconv.FormatInt(chatID, 10)
	for {
		if err := l.reserve(ctx, globalRateKey, l.global); err != nil {
			return err
		}
		taken, retry, err := l.take(ctx, chatKey, l.chat)
		if err != nil || taken {
			return err
		}
		if err := sleep(ctx, retry); err != nil {
			return err
		}
	}
}

// reserve takes the next slot of the limit and waits until it is due.
// Reserving ahead keeps the limit's full rate however late a waiting sender
// wakes: the slots stay one interval apart, and a late taker of a slot
// reserved in time does not push the next one back.
func (l *rateLimiter) reserve(ctx context.Context, key string, limit *redis_rate.Limit) error {
	for {
		taken, wait, err := l.take(ctx, key, limit)
		if err != nil {
			return err
		}
		if err := sleep(ctx, wait); err != nil || taken {
			return err
		}
	}
}

// take asks the limit for a slot. Taken, wait is how long until the slot is
// due (0 unless it was reserved ahead); refused, how long until one may be
// asked for again.
func (l *rateLimiter) take(ctx context.Context, key string, limit *redis_rate.Limit) (taken bool, wait time.Duration, err error) {
	if limit == nil {
		return true, 0, nil
	}
	res, err := l.redis.Allow(ctx, key, *limit)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if res.Allowed > 0 {
		// Taking the slot moved the limit's state one interval past it, to ResetAfter.
		return true, res.ResetAfter - limit.Period, nil
	}
	return false, res.RetryAfter, nil
}

// sleep waits for d, or less if ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
