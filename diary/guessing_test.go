package diary_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// 100,000 code guesses from 100 Telegram users over 100 minutes, as fast as
// the database takes them: not one links anything, no user gets more than 5
// wrong codes checked in any 15 minutes, and the flood of wrong codes is
// seen (CodeFailuresLastMinute past CodeFlood brakes the bot's code checks).
// The codes handed out still work afterwards.
func TestHundredThousandGuessesFindNothing(t *testing.T) {
	f, _ := codeClass(t)
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(f.now.UnixNano())
	f.store.SetClock(func() time.Time { return time.Unix(0, clock.Load()).In(moscow) })
	codes, err := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	const (
		users    = 100
		guesses  = 100_000
		perMin   = guesses / 100 // the clock moves a minute every perMin guesses
		alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	)
	accounts := make([]diary.AccountID, users)
	for i := range accounts {
		accounts[i] = f.Account()
	}
	var (
		done, checked, locked, linked atomic.Int64
		maxFlood                      atomic.Int64
		wg                            sync.WaitGroup
		failure                       atomic.Value
	)
	for u := range users {
		wg.Go(func() {
			code := make([]byte, 12)
			for range guesses / users {
				for i := range code {
					code[i] = alphabet[rand.IntN(len(alphabet))]
				}
				_, err := f.store.Redeem(ctx, accounts[u], int64(90_000+u), string(code))
				switch diary.ErrorCode(err) {
				case "":
					linked.Add(1)
				case diary.EINVALID:
					checked.Add(1)
				case diary.ELOCKED:
					locked.Add(1)
				default:
					failure.CompareAndSwap(nil, err)
					return
				}
				if n := done.Add(1); n%perMin == 0 {
					if flood, err := f.store.CodeFailuresLastMinute(ctx); err == nil && int64(flood) > maxFlood.Load() {
						maxFlood.Store(int64(flood))
					}
					clock.Add(int64(time.Minute))
				}
			}
		})
	}
	wg.Wait()
	if err := failure.Load(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d guesses: %d checked, %d locked out, %d linked; at most %d wrong codes in a minute",
		done.Load(), checked.Load(), locked.Load(), linked.Load(), maxFlood.Load())
	if linked.Load() != 0 {
		t.Errorf("%d guesses linked an account", linked.Load())
	}
	// 100 minutes are at most 8 windows of 15 minutes with 5 wrong codes each.
	if max := int64(users * diary.MaxCodeAttempts * 8); checked.Load() > max || locked.Load() < guesses-max {
		t.Errorf("%d wrong codes checked, %d locked out; want at most %d checked", checked.Load(), locked.Load(), max)
	}
	if maxFlood.Load() < diary.CodeFlood {
		t.Errorf("at most %d wrong codes in a minute: the flood brake never engaged", maxFlood.Load())
	}
	var worst int
	err = f.db.QueryRow(ctx, `
SELECT coalesce(max(n), 0) FROM (
    SELECT count(*) OVER (PARTITION BY telegram_user_id ORDER BY attempted_at
                          RANGE BETWEEN interval '15 minutes' - interval '1 microsecond' PRECEDING AND CURRENT ROW) AS n
    FROM link_attempts WHERE NOT succeeded) w`).Scan(&worst)
	if err != nil || worst > diary.MaxCodeAttempts {
		t.Errorf("a user had %d wrong codes checked within 15 minutes (%v), want at most %d", worst, err, diary.MaxCodeAttempts)
	}
	if _, err := f.store.Redeem(ctx, f.Account(), 1, codes[0].Code); err != nil {
		t.Errorf("a code handed out no longer works: %v", err)
	}
}
