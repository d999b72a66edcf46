package services

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// SentinelMaster is the name the sentinel knows the master by.
const SentinelMaster = "dnevnik"

// Sentinel is a Redis master with one replica, watched by one Redis Sentinel
// (redis-server --sentinel): the least that can fail over.
type Sentinel struct {
	Master, Replica, Sentinel *Server
	masterPort, replicaPort   int
	sentinelPort              int
	replicaConn               *redis.Client
	sentinelConn              *redis.SentinelClient
}

// StartSentinel starts the master, its replica and the sentinel, and waits
// until the replica has the master's data and the sentinel knows of it.
func StartSentinel(ctx context.Context) (*Sentinel, error) {
	var s Sentinel
	var err error
	plain := func(dir string, port int, more ...string) []string {
		return append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
			"--save", "", "--appendonly", "no"}, more...)
	}
	if s.Master, s.masterPort, err = startRedis(ctx, "Redis master", func(dir string, port int) []string {
		return plain(dir, port)
	}); err != nil {
		return nil, err
	}
	if s.Replica, s.replicaPort, err = startRedis(ctx, "Redis replica", func(dir string, port int) []string {
		return plain(dir, port, "--replicaof", "127.0.0.1", strconv.Itoa(s.masterPort))
	}); err != nil {
		s.Stop()
		return nil, err
	}
	if s.Sentinel, s.sentinelPort, err = startRedis(ctx, "Redis Sentinel", func(dir string, port int) []string {
		// The sentinel rewrites its configuration file, so it gets one of its own.
		conf := filepath.Join(dir, "sentinel.conf")
		_ = os.WriteFile(conf, []byte(strings.Join([]string{
			"port " + strconv.Itoa(port), "bind 127.0.0.1", "dir " + dir,
			fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 1", SentinelMaster, s.masterPort),
			"sentinel down-after-milliseconds " + SentinelMaster + " 1000",
			"sentinel failover-timeout " + SentinelMaster + " 10000",
		}, "\n")+"\n"), 0o644)
		return []string{conf, "--sentinel"}
	}); err != nil {
		s.Stop()
		return nil, err
	}
	s.replicaConn = redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", s.replicaPort)})
	s.sentinelConn = redis.NewSentinelClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", s.sentinelPort)})
	if err := s.await(ctx, "the replica in sync and known to the sentinel", func(ctx context.Context) (bool, error) {
		info, err := s.replicaConn.Info(ctx, "replication").Result()
		if err != nil || !strings.Contains(info, "master_link_status:up") {
			return false, err
		}
		replicas, err := s.sentinelConn.Replicas(ctx, SentinelMaster).Result()
		return len(replicas) > 0, err
	}); err != nil {
		s.Stop()
		return nil, err
	}
	Logf("Redis Sentinel is ready: REDIS_URL=%s", s.URL())
	return &s, nil
}

// URL is REDIS_URL for the master behind the sentinel.
func (s *Sentinel) URL() string {
	return fmt.Sprintf("redis+sentinel://127.0.0.1:%d/0?master_name=%s", s.sentinelPort, SentinelMaster)
}

// Failover asks the sentinel to promote the replica, as it does when the
// master fails, and waits until the replica is the master the sentinel names.
func (s *Sentinel) Failover(ctx context.Context) error {
	if err := s.sentinelConn.Failover(ctx, SentinelMaster).Err(); err != nil {
		return fmt.Errorf("SENTINEL FAILOVER: %w", err)
	}
	return s.await(ctx, "the replica promoted", func(ctx context.Context) (bool, error) {
		addr, err := s.sentinelConn.GetMasterAddrByName(ctx, SentinelMaster).Result()
		if err != nil || len(addr) != 2 || addr[1] != strconv.Itoa(s.replicaPort) {
			return false, err
		}
		role, err := s.replicaConn.Do(ctx, "ROLE").Slice()
		return err == nil && len(role) > 0 && role[0] == "master", err
	})
}

// Stop stops the three servers.
func (s *Sentinel) Stop() {
	if s.replicaConn != nil {
		s.replicaConn.Close()
		s.sentinelConn.Close()
	}
	for _, srv := range []*Server{s.Sentinel, s.Replica, s.Master} {
		if srv != nil {
			srv.Stop()
		}
	}
}

// await polls done for up to 30 s.
func (s *Sentinel) await(ctx context.Context, what string, done func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := done(ctx)
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sentinel set-up: %s did not happen in 30 s (%v)", what, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
