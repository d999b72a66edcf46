package jobstest_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/jobs/jobstest"
)

// Two parallel tests write the same key at the same time; each reads back its own
// value and finds an empty database at the start.
func TestParallelTestsAreIsolated(t *testing.T) {
	var written sync.WaitGroup
	written.Add(2)
	for _, value := range []string{"first", "second"} {
		t.Run(value, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			c := redis.NewClient(jobstest.New(t))
			defer c.Close()
			n, err := c.DBSize(ctx).Result()
			if err != nil {
				written.Done()
				t.Fatal(err)
			}
			err = c.Set(ctx, "asynq:shared-key", value, 0).Err()
			written.Done()
			if err != nil {
				t.Fatal(err)
			}
			written.Wait()
			got, err := c.Get(ctx, "asynq:shared-key").Result()
			if err != nil {
				t.Fatal(err)
			}
			if n != 0 || got != value {
				t.Errorf("database had %d keys at start; key = %q, want %q", n, got, value)
			}
		})
	}
}

// A task enqueued in the test's database is run by a server on it, and a failing
// one is retried without asynq's default delay of seconds.
func TestAsynqRoundTrip(t *testing.T) {
	t.Parallel()
	opt := jobstest.Asynq(t)
	client := asynq.NewClient(opt)
	defer client.Close()

	runs := make(chan int, 10)
	var attempts atomic.Int32
	mux := asynq.NewServeMux()
	mux.HandleFunc("test:flaky", func(ctx context.Context, task *asynq.Task) error {
		n := attempts.Add(1)
		runs <- int(n)
		if n == 1 {
			return errors.New("first attempt fails")
		}
		return nil
	})
	srv := asynq.NewServer(opt, jobstest.AsynqConfig())
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()

	if _, err := client.Enqueue(asynq.NewTask("test:flaky", nil), asynq.MaxRetry(3)); err != nil {
		t.Fatal(err)
	}
	for want := 1; want <= 2; want++ {
		select {
		case n := <-runs:
			if n != want {
				t.Fatalf("run %d, want %d", n, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d did not happen within 5 s", want)
		}
	}
}
