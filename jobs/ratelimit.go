package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The rate limits hold for all worker processes together, so their state
// lives where they all see it: Redis, which they share already. An
// in-process limiter such as golang.org/x/time/rate would let N processes
// send N times the rate.
//
// Each limit is one timestamp in Redis: when its next slot is free. A send
// books the global slot and its chat's slot in one script, one round trip:
// the slot goes to the caller, who sleeps until it is due, and the next
// caller books the one after. Nobody polls: a booked slot is kept however
// late its taker wakes, so the slots stay one interval apart at the limit's
// full rate. (go-redis/redis_rate, used before, can only be asked "may I now";
// the waiting senders asked again and again, 80 Redis commands a message at
// 25 a second, and its two separate limits could take a global slot for a
// chat that was busy.)

// The keys share one hash tag: a script may touch several keys on a Redis
// Cluster only when they hash to one slot.
const (
	globalRateKey = "{dnevnik:rate}:global"
	chatRateKey   = "{dnevnik:rate}:chat:"
)

// bookScript books the next global slot for a chat. KEYS: the global limit,
// the chat's; ARGV: their intervals in microseconds, 0 for no limit. It
// answers {1, wait}: booked, due in wait µs; or {0, wait}: the chat is busy
// for wait µs more, and nothing was booked. The clock is Redis's, the one
// every process shares.
var bookScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local every, chatEvery = tonumber(ARGV[1]), tonumber(ARGV[2])
local slot = now
if every > 0 then
  slot = math.max(slot, tonumber(redis.call('GET', KEYS[1]) or 0))
end
if chatEvery > 0 then
  local free = tonumber(redis.call('GET', KEYS[2]) or 0)
  if free > slot then
    return {0, free - now}
  end
  redis.call('SET', KEYS[2], slot + chatEvery, 'PX', math.ceil((slot + chatEvery - now) / 1000) + 1)
end
if every > 0 then
  redis.call('SET', KEYS[1], slot + every, 'PX', math.ceil((slot + every - now) / 1000) + 1000)
end
return {1, slot - now}
`)

// rateLimiter paces sends: the whole bot's rate and each chat's interval.
type rateLimiter struct {
	rdb       redis.UniversalClient
	sleep     func(context.Context, time.Duration) error // sleep, but in tests
	every     string                                     // the global interval in µs, "0" for none
	chatEvery string                                     // the chat interval in µs, "0" for none
}

func newRateLimiter(rdb redis.UniversalClient, globalInterval, chatInterval time.Duration) *rateLimiter {
	return &rateLimiter{rdb: rdb, sleep: sleep, every: micros(globalInterval), chatEvery: micros(chatInterval)}
}

// micros is an interval as the script takes it: 0 for none.
func micros(d time.Duration) string {
	return strconv.FormatInt(max(d.Microseconds(), 0), 10)
}

// wait blocks until a message may go to the chat, or ctx ends: it books the
// message's slot and sleeps until it is due. A chat still busy (its last
// message less than an interval ago) books nothing, so no global slot goes
// unused: it asks again when the chat is free.
//
// A slot taken late is given up and another booked: a process that stalled
// (a pause of the collector, a busy machine) and then sent every slot it had
// booked meanwhile would send them at once, and Telegram counts the messages
// within any one second. Sends at most maxLate after their slot keep within
// the margin DefaultRate leaves (arrivalJitter); after lateRetries late slots
// in a row (Redis itself slow to answer) the message goes anyway.
func (l *rateLimiter) wait(ctx context.Context, chatID int64) error {
	keys := []string{globalRateKey, chatRateKey + strconv.FormatInt(chatID, 10)}
	for late := 0; ; {
		asked := time.Now()
		res, err := bookScript.Run(ctx, l.rdb, keys, l.every, l.chatEvery).Int64Slice()
		if err != nil {
			return fmt.Errorf("rate limit: %w", err)
		}
		if len(res) != 2 {
			return fmt.Errorf("rate limit: the script answered %v", res)
		}
		// The slot is due wait after Redis read its clock, sometime between
		// asked and answered: counted from answered, it is never early, and at
		// most answered - asked late before the sleep.
		answered := time.Now()
		booked, due := res[0] == 1, answered.Add(time.Duration(res[1])*time.Microsecond)
		if err := l.sleep(ctx, time.Until(due)); err != nil {
			return err
		}
		if !booked {
			continue
		}
		if time.Since(due)+answered.Sub(asked) <= maxLate || late == lateRetries {
			return nil
		}
		late++
	}
}

const (
	maxLate     = 10 * time.Millisecond
	lateRetries = 3
)

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
