package services

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a Redis Cluster of three masters (no replicas): the least
// redis-cli --cluster create accepts.
type Cluster struct {
	Nodes []*Server
	ports []int
}

// StartCluster starts three redis-server --cluster-enabled nodes, joins them
// with redis-cli --cluster create, and waits until every slot is served.
func StartCluster(ctx context.Context) (*Cluster, error) {
	var c Cluster
	for i := range 3 {
		node, port, err := startRedis(ctx, fmt.Sprintf("Redis Cluster node %d", i+1), func(dir string, port int) []string {
			return []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
				"--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf")}
		})
		if err != nil {
			c.Stop()
			return nil, err
		}
		c.Nodes, c.ports = append(c.Nodes, node), append(c.ports, port)
	}
	args := []string{"--cluster", "create"}
	for _, p := range c.ports {
		args = append(args, fmt.Sprintf("127.0.0.1:%d", p))
	}
	cli, err := findBinary("redis-cli", "/usr/bin")
	if err == nil {
		var out []byte
		if out, err = exec.CommandContext(ctx, cli, append(args, "--cluster-replicas", "0", "--cluster-yes")...).CombinedOutput(); err != nil {
			err = fmt.Errorf("redis-cli --cluster create: %w:\n%s", err, out)
		}
	}
	if err != nil {
		c.Stop()
		return nil, err
	}
	client := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.ports[0])})
	defer client.Close()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		info, err := client.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			break
		}
		if time.Now().After(deadline) {
			c.Stop()
			return nil, fmt.Errorf("the Redis Cluster was not ready in 30 s: %v %s", err, info)
		}
	}
	Logf("Redis Cluster is ready: REDIS_URL=%s", c.URL())
	return &c, nil
}

// URL is REDIS_URL for the cluster.
func (c *Cluster) URL() string {
	u := fmt.Sprintf("redis+cluster://127.0.0.1:%d", c.ports[0])
	for i, p := range c.ports[1:] {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += fmt.Sprintf("%saddr=127.0.0.1:%d", sep, p)
	}
	return u
}

// Stop stops every node.
func (c *Cluster) Stop() {
	for _, n := range c.Nodes {
		n.Stop()
	}
}
