// Package jobstest gives each test its own Redis logical database.
//
// The server is the one REDIS_URL points at (make test starts one with enough
// databases). A test leases a free database number with SET NX in database 0,
// flushes it before and after use, and gives the lease back when it ends. The lease
// expires by itself if a test binary dies, so a crashed run never blocks the next.
package jobstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

const (
	leasePrefix = "dnevnik:jobstest:lease:"
	leaseTTL    = 15 * time.Minute // longer than any test; go test's default timeout is 10 min
)

// New returns client options for an empty Redis database that belongs to the test
// until it ends.
func New(t testing.TB) *redis.Options {
	t.Helper()
	raw := os.Getenv("REDIS_URL")
	if raw == "" {
		t.Fatal("jobstest: REDIS_URL is not set: run the tests with `make test`, which starts Redis")
	}
	base, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("jobstest: REDIS_URL: %v", err)
	}
	ctx := context.Background()
	ctl := redis.NewClient(withDB(base, 0))
	defer ctl.Close()

	n := databases(ctx, ctl)
	token := randomToken()
	deadline := time.Now().Add(time.Minute)
	for {
		for db := 1; db < n; db++ {
			key := leasePrefix + strconv.Itoa(db)
			ok, err := ctl.SetNX(ctx, key, token, leaseTTL).Result()
			if err != nil {
				t.Fatalf("jobstest: lease a database: %v", err)
			}
			if ok {
				return claim(t, base, db, key, token)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobstest: all %d Redis databases stayed in use for a minute", n-1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Asynq returns asynq's connection options for a Redis database of the test's own.
func Asynq(t testing.TB) asynq.RedisClientOpt {
	t.Helper()
	o := New(t)
	return asynq.RedisClientOpt{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig}
}

// AsynqConfig is a server configuration for tests: asynq's defaults poll for new,
// delayed and retried tasks every few seconds, which would make every test wait.
func AsynqConfig() asynq.Config {
	return asynq.Config{
		Concurrency:              4,
		TaskCheckInterval:        50 * time.Millisecond,
		DelayedTaskCheckInterval: 100 * time.Millisecond,
		RetryDelayFunc:           func(int, error, *asynq.Task) time.Duration { return 100 * time.Millisecond },
		LogLevel:                 asynq.ErrorLevel,
	}
}

func claim(t testing.TB, base *redis.Options, db int, key, token string) *redis.Options {
	t.Helper()
	opts := withDB(base, db)
	flush := func() error {
		c := redis.NewClient(opts)
		defer c.Close()
		return c.FlushDB(context.Background()).Err()
	}
	if err := flush(); err != nil {
		t.Fatalf("jobstest: flush database %d: %v", db, err)
	}
	t.Cleanup(func() {
		if err := flush(); err != nil {
			t.Errorf("jobstest: flush database %d: %v", db, err)
		}
		ctl := redis.NewClient(withDB(base, 0))
		defer ctl.Close()
		// Give the lease back only if it is still ours.
		release := redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)
		if err := release.Run(context.Background(), ctl, []string{key}, token).Err(); err != nil {
			t.Errorf("jobstest: release database %d: %v", db, err)
		}
	})
	return opts
}

// databases asks the server how many logical databases it has; servers that refuse
// CONFIG (managed ones) get Redis's default of 16.
func databases(ctx context.Context, c *redis.Client) int {
	cfg, err := c.ConfigGet(ctx, "databases").Result()
	if err != nil {
		return 16
	}
	n, err := strconv.Atoi(cfg["databases"])
	if err != nil || n < 2 {
		return 16
	}
	return n
}

func withDB(base *redis.Options, db int) *redis.Options {
	o := *base
	o.DB = db
	return &o
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
