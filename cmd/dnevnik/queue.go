package main

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/jobs"
)

// queueOpt is asynq's connection to the Redis of opts.
func queueOpt(opts *redis.Options) asynq.RedisClientOpt {
	return asynq.RedisClientOpt{Addr: opts.Addr, Username: opts.Username, Password: opts.Password, DB: opts.DB,
		TLSConfig: opts.TLSConfig}
}

// wakeWorker tells the worker, through the queue at REDIS_URL, that notices
// are due, so families hear of them within seconds; without REDIS_URL, or when
// Redis cannot be reached, the worker's minute look finds them anyway, and
// the person running the command is told which.
func wakeWorker(ctx context.Context, e *env, notices int64) error {
	if e.cfg.RedisURL == "" {
		_, err := fmt.Fprintf(e.stdout, "REDIS_URL is not set: the worker finds the %d notices within a minute\n", notices)
		return err
	}
	opts, err := redis.ParseURL(e.cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	client := asynq.NewClient(queueOpt(opts))
	defer client.Close()
	if err := jobs.NewEnqueuer(client).NoticesDue(ctx); err != nil {
		e.log.Warn("wake the worker", "err", err)
		_, err := fmt.Fprintf(e.stdout, "the worker could not be told (Redis): it finds the %d notices within a minute\n", notices)
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "the worker is told of the %d notices\n", notices)
	return err
}
