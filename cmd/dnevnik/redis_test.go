package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/cmd/internal/services"
	"github.com/dnevnik/dnevnik/imports/csvin/importtest"
)

// REDIS_URL names one Redis, a master behind Redis Sentinel or a Redis
// Cluster; the URL's password is Redis's in every form.
func TestRedisURLForms(t *testing.T) {
	for _, c := range []struct {
		url, want string
		password  string // what the client authenticates to Redis with
	}{
		{"redis://:pw@redis:6379/2", "Redis at redis:6379", "pw"},
		{"rediss://redis:6380", "Redis at redis:6380", ""},
		{"redis+sentinel://:pw@s1:26379/1?master_name=main&addr=s2:26379&sentinel_password=spw",
			"Redis Sentinel at s1:26379, s2:26379", "pw"},
		{"redis+cluster://:pw@n1:7000?addr=n2:7001&addr=n3:7002", "Redis Cluster at n1:7000, n2:7001, n3:7002", "pw"},
	} {
		conn, err := parseRedisURL(c.url)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if got := conn.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.url, got, c.want)
		}
		rdb := conn.client()
		var password string
		switch r := rdb.(type) {
		case *redis.Client:
			password = r.Options().Password
		case *redis.ClusterClient:
			password = r.Options().Password
		}
		rdb.Close()
		if password != c.password {
			t.Errorf("%s: Redis's password %q, want %q", c.url, password, c.password)
		}
	}
}

// A REDIS_URL that names no usable Redis is one line naming REDIS_URL and
// what is wrong, for each form.
func TestRedisURLErrorsNameTheVariable(t *testing.T) {
	for url, want := range map[string]string{
		"http://redis:6379":                                     `REDIS_URL is not a Redis URL: its scheme is "http"`,
		"redis+sentinel://s1:26379/0":                           "REDIS_URL is not a Redis URL: it names no master",
		"redis+sentinel://s1:26379/0?master_name=m&password=pw": "REDIS_URL is not a Redis URL: it has Redis's user or password in the query",
		"redis+cluster://n1:7000/3":                             "REDIS_URL is not a Redis URL: it names database 3",
		"redis+cluster://n1:7000?db=2":                          "REDIS_URL is not a Redis URL: redis: unexpected option: db",
		"redis+sentinel://s1:26379?master_name=m&x=1":           "REDIS_URL is not a Redis URL: redis: unexpected option: x",
	} {
		_, errs := loadConfig(envFrom(map[string]string{"REDIS_URL": url}), needRedis)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) {
			t.Errorf("REDIS_URL=%s: %v, want one error starting %q", url, errs, want)
		}
	}
}

// A worker on a Redis Sentinel URL (and `dnevnik import`, which wakes it on
// the same URL) sends a push; the sentinel then fails the master over to its
// replica, and the next push still goes out, with no restart.
func TestWorkerFollowsASentinelFailover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sentinel, err := services.StartSentinel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sentinel.Stop) // after the worker's, registered later
	push, fake := pushesThrough(t, sentinel.URL(), "525252:SENTINEL-token-for-the-fake-api")
	push(1)
	start := time.Now()
	if err := sentinel.Failover(ctx); err != nil {
		t.Fatal(err)
	}
	promoted := time.Since(start)
	push(2)
	t.Logf("replica promoted in %v; the push after it went out %v after the failover began",
		promoted.Round(time.Millisecond), pushedAt(fake, pushedParent, 1).Sub(start).Round(time.Millisecond))
}

// A worker on a Redis Cluster of three masters (asynq's queues and the send
// rate's keys spread over their slots) sends pushes as on one Redis.
func TestWorkerOnARedisCluster(t *testing.T) {
	t.Parallel()
	cluster, err := services.StartCluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Stop) // after the worker's, registered later
	push, _ := pushesThrough(t, cluster.URL(), "545454:CLUSTER-token-for-the-fake-api-0")
	push(1)
	push(2)
}

// pushedParent is the parent pushesThrough pushes grades to.
const pushedParent = 7002

// pushesThrough runs a worker on an imported school with REDIS_URL set to
// redisURL; push(n) changes a grade, imports it (the import wakes the worker
// through the same REDIS_URL) and waits for the nth push to the parent.
func pushesThrough(t *testing.T, redisURL, token string) (push func(n int), fake *bottest.Server) {
	t.Helper()
	fake, env, dir := importedSchool(t, token)
	env["REDIS_URL"] = redisURL
	linkGuardian(t, env["DATABASE_URL"], "class-7a", "s-7a-01", pushedParent)
	t.Cleanup(runWorker(t, env))
	line := "r-7a-math-cw1-s-7a-01,active,,li-7a-math-cw1,s-7a-01,fully graded,%d,2026-11-09,"
	return func(n int) {
		t.Helper()
		from, to := 6-n, 5-n // 5 → 4 → 3
		importtest.Replace(t, filepath.Join(dir, "results.csv"), fmt.Sprintf(line, from), fmt.Sprintf(line, to))
		code, out, stderr := dnevnik(t, env, "import", "oneroster", dir)
		if code != exitOK || !strings.Contains(out, "the worker is told of the 1 notices") {
			t.Fatalf("import: %d\n%s%s", code, out, stderr)
		}
		if err := fake.WaitFor(30*time.Second, func() bool { return len(fake.Sent(pushedParent)) == n }); err != nil {
			t.Fatalf("push %d never came: %d messages", n, len(fake.Sent(pushedParent)))
		}
	}, fake
}
