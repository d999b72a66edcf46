package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// redisConn is REDIS_URL read: one Redis server, a master found through Redis
// Sentinel, or a Redis Cluster. Every Redis user of a process connects through
// it: the asynq client, server and inspector (it is an asynq.RedisConnOpt) and
// the shared send rate (client).
//
// The forms are go-redis's own URL forms (its ParseURL, ParseFailoverURL and
// ParseClusterURL, with their query options), told apart by the scheme, since
// all three are redis:// to go-redis:
//
//	redis://[user:password@]host:6379[/db]                    one server (rediss:// with TLS)
//	redis+sentinel://[user:password@]sentinel:26379[/db]?master_name=NAME[&addr=sentinel2:26379…]
//	redis+cluster://[user:password@]node:6379[?addr=node2:6379…]
//
// The user and password are Redis's (the master's and replicas'), as in the
// plain form; sentinels that need their own take sentinel_username and
// sentinel_password in the query.
type redisConn struct {
	kind  string   // "Redis", "Redis Sentinel" or "Redis Cluster"
	where []string // the addresses it starts from, for error messages
	open  func() redis.UniversalClient
}

// parseRedisURL reads one of redisConn's forms. Its errors say what is wrong
// without quoting the URL, which may hold a password.
func parseRedisURL(raw string) (redisConn, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return redisConn{}, errors.New("it does not parse as a URL")
	}
	scheme := u.Scheme
	base, mode, _ := strings.Cut(scheme, "+")
	if base != "redis" && base != "rediss" {
		return redisConn{}, fmt.Errorf(badScheme, scheme)
	}
	u.Scheme = base // go-redis's own form
	switch mode {
	case "":
		o, err := redis.ParseURL(u.String())
		if err != nil {
			return redisConn{}, err
		}
		return redisConn{kind: "Redis", where: []string{o.Addr},
			open: func() redis.UniversalClient { return redis.NewClient(o) }}, nil
	case "sentinel":
		return parseSentinelURL(u)
	case "cluster":
		if db := strings.Trim(u.Path, "/"); db != "" && db != "0" {
			return redisConn{}, fmt.Errorf("it names database %s, and a Redis Cluster has only database 0", db)
		}
		u.Path = ""
		o, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return redisConn{}, err
		}
		return redisConn{kind: "Redis Cluster", where: o.Addrs,
			open: func() redis.UniversalClient { return redis.NewClusterClient(o) }}, nil
	}
	return redisConn{}, fmt.Errorf(badScheme, scheme)
}

const badScheme = "its scheme is %q; it must be redis, rediss, redis+sentinel or redis+cluster (rediss+… with TLS)"

// parseSentinelURL reads the Sentinel form: go-redis takes the URL's user for
// the sentinels' and the master's from the query; ours is the other way
// round, so that the URL's password means Redis's in every form.
func parseSentinelURL(u *url.URL) (redisConn, error) {
	q := u.Query()
	if q.Has("username") || q.Has("password") {
		return redisConn{}, errors.New("it has Redis's user or password in the query: write them before the host, " +
			"redis+sentinel://user:password@sentinel:26379/0?master_name=NAME")
	}
	user, password := u.User.Username(), ""
	if p, ok := u.User.Password(); ok {
		password = p
	}
	sentinelUser, sentinelPassword := q.Get("sentinel_username"), q.Get("sentinel_password")
	q.Del("sentinel_username")
	q.Del("sentinel_password")
	u.User, u.RawQuery = nil, q.Encode()
	o, err := redis.ParseFailoverURL(u.String())
	if err != nil {
		return redisConn{}, err
	}
	if o.MasterName == "" {
		return redisConn{}, errors.New("it names no master: add ?master_name=NAME, the name the sentinels monitor")
	}
	o.Username, o.Password = user, password
	o.SentinelUsername, o.SentinelPassword = sentinelUser, sentinelPassword
	return redisConn{kind: "Redis Sentinel", where: o.SentinelAddrs,
		open: func() redis.UniversalClient { return redis.NewFailoverClient(o) }}, nil
}

// redisLog is the logger of go-redis's own lines (a sentinel naming a new
// master, a dial that failed), in LOG_FORMAT: the command's, which run stores
// when the command logs to the process's stderr. go-redis has one logger per
// process, set before any goroutine starts; tests run many commands in one
// process, each logging to a buffer of its own, and a client of one test must
// not write to another's: there go-redis's lines go to slog's default.
var redisLog atomic.Pointer[slog.Logger]

func init() { redis.SetLogger(redisLogger{}) }

type redisLogger struct{}

func (redisLogger) Printf(_ context.Context, format string, args ...any) {
	log := redisLog.Load()
	if log == nil {
		log = slog.Default()
	}
	log.Info(fmt.Sprintf(format, args...), "component", "redis")
}

// MakeRedisClient makes asynq's connection (asynq.RedisConnOpt).
func (c redisConn) MakeRedisClient() any { return c.open() }

// client is a new connection pool; the caller closes it.
func (c redisConn) client() redis.UniversalClient { return c.open() }

// set tells whether REDIS_URL was given.
func (c redisConn) set() bool { return c.open != nil }

// String names it for people: the kind and the addresses, never a password.
func (c redisConn) String() string { return c.kind + " at " + strings.Join(c.where, ", ") }

// connect opens a pool and checks that Redis answers, so a wrong URL fails
// with one clear line.
func (c redisConn) connect(ctx context.Context) (redis.UniversalClient, error) {
	rdb := c.client()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("cannot reach %s: %w", c, err)
	}
	return rdb, nil
}
