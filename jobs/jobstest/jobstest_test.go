package jobstest_test

import (
	"context"
	"sync"
	"testing"

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
