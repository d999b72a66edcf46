// Package faults holds the fault runs of `make faults`: each scenario runs the
// built dnevnik binary as real processes against a real PostgreSQL, a real
// Redis and the Bot API fake (bot/bottest), breaks one of them (SIGKILL, a
// flush, a restart, a bad day at Telegram), and prints what it measured.
// RELIABILITY.md names the promise each one shows.
//
// The scenarios are tests behind the build tag "faults", so that `make test`
// leaves them out; run them with
//
//	make faults
//
// which builds bin/dnevnik and runs
//
//	DNEVNIK_BIN=bin/dnevnik go test -tags faults -count 1 -v ./cmd/faults/
//
// They start their own PostgreSQL and Redis (cmd/internal/services), since
// they restart them.
package faults
