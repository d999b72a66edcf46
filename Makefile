# The two commands of the README: `make test` and `make demo`.
# Each starts what it needs and says what it is doing.

GO ?= go
# Extra flags for go test, e.g. make test TESTFLAGS='-run Schema -v'
TESTFLAGS ?=

# The benchmark district (BENCHMARKS.md): generated once, kept between runs.
BENCH_SCHOOLS ?= 20
BENCH_PUPILS ?= 1000
BENCH_DIR ?= /tmp/dnevnik-district-$(BENCH_SCHOOLS)x$(BENCH_PUPILS)
BENCH_FLAGS ?= -benchtime 3000x

.PHONY: test fuzz build fmt bench bench-import bench-load demo faults

## test: gofmt, go vet, staticcheck, then every test with the race detector against a throwaway
## PostgreSQL and Redis (or the ones DATABASE_URL / REDIS_URL name), with pdftotext (which
## reads the printed week back) installed from Debian when missing; then the tests of the
## views on a replica (named *Replica*) against a PostgreSQL with a streaming replica. Only
## they get one: a replica replays every test's CREATE DATABASE, which slowed the rest by a
## quarter.
test:
	@echo "==> checking gofmt"
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	@echo "==> go vet ./..."
	$(GO) vet ./...
	@echo "==> staticcheck ./... (go tool: the version go.mod pins)"
	$(GO) tool staticcheck ./...
	$(GO) tool staticcheck -tags faults ./cmd/faults/
	@echo "==> go test -race ./... with PostgreSQL and Redis"
	@$(GO) build -o bin/devenv ./cmd/devenv
	bin/devenv --postgres --redis --tools pdftotext -- $(GO) test -race $(TESTFLAGS) ./...
	bin/devenv --postgres --replica -- $(GO) test -race -run Replica $(TESTFLAGS) ./diary/...
	@$(MAKE) --no-print-directory fuzz

## fuzz: every fuzz target (go test -fuzz) for FUZZTIME each; what a target's
## corpus in testdata/fuzz holds runs with every go test as regression cases.
## Locally, FUZZTIME=5m. Go 1.26's fuzzing can stop a target at the end of its
## time with "context deadline exceeded" and no failing input (a race in the
## coordinator, Go issue 75804, fixed in Go 1.27): such a target runs once
## more; a failing input written, or a second failure, fails.
FUZZTIME ?= 20s
FUZZ = $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg > /tmp/dnevnik-fuzz.log 2>&1
fuzz:
	@echo "==> every fuzz target for $(FUZZTIME)"
	@for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$pkg/*_test.go); do \
	    echo "--> $$pkg $$target"; \
	    if ! $(FUZZ); then \
	      if grep -q 'Failing input written' /tmp/dnevnik-fuzz.log || ! grep -q 'context deadline exceeded' /tmp/dnevnik-fuzz.log; then \
	        cat /tmp/dnevnik-fuzz.log; exit 1; \
	      fi; \
	      echo "    stopped at its deadline with no failing input (Go issue 75804): once more"; \
	      $(FUZZ) || { cat /tmp/dnevnik-fuzz.log; exit 1; }; \
	    fi; \
	  done; \
	done

## faults: the fault runs (cmd/faults, RELIABILITY.md): the built dnevnik as real
## processes against their own PostgreSQL and Redis and the Bot API fake, with a
## worker killed, Redis flushed and restarted, PostgreSQL restarted, Telegram failing,
## a held message revoked; each scenario prints its figures.
faults: build
	@echo "==> make faults: bin/dnevnik against PostgreSQL, Redis and the Bot API fake, one fault at a time"
	DNEVNIK_BIN=$(CURDIR)/bin/dnevnik $(GO) test -tags faults -count 1 -v -timeout 25m ./cmd/faults/

## demo: a demo school on a throwaway PostgreSQL (or the one DATABASE_URL names) and the
## bot on it: on Telegram with TELEGRAM_TOKEN, otherwise chatting in this terminal.
## Ctrl-C stops it and removes the throwaway data. DEMOFLAGS='--lang en' for English.
## The log shows warnings only, unless LOG_LEVEL says otherwise: it shares the terminal.
DEMOFLAGS ?=
demo: build
	@$(GO) build -o bin/devenv ./cmd/devenv
	@echo "==> dnevnik demo: the bot $(if $(TELEGRAM_TOKEN),on Telegram,in this terminal chat); Ctrl-C stops it and removes the throwaway data"
	LOG_LEVEL=$(or $(LOG_LEVEL),warn) bin/devenv --postgres -- bin/dnevnik demo $(DEMOFLAGS)

## build: a static binary in bin/dnevnik
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/dnevnik ./cmd/dnevnik

fmt:
	gofmt -w .

## bench: generate the district, import it into a fresh database on a throwaway
## PostgreSQL (each import prints its time), then run the view and bot command
## benchmarks on it.
bench: build
	@$(GO) build -o bin/devenv ./cmd/devenv
	bin/devenv --postgres -- sh -ec '\
	  if [ ! -f $(BENCH_DIR)/results.csv ]; then \
	    echo "==> generating $(BENCH_SCHOOLS) schools x $(BENCH_PUPILS) pupils into $(BENCH_DIR)"; \
	    bin/dnevnik gen --schools $(BENCH_SCHOOLS) --pupils-per-school $(BENCH_PUPILS) --out $(BENCH_DIR) --force; \
	  fi; \
	  psql -qX "$$DATABASE_URL" -c "DROP DATABASE IF EXISTS dnevnik_bench" -c "CREATE DATABASE dnevnik_bench"; \
	  export DATABASE_URL=$$(echo "$$DATABASE_URL" | sed "s|/postgres?|/dnevnik_bench?|"); \
	  bin/dnevnik migrate up >/dev/null; \
	  echo "==> dnevnik import oneroster $(BENCH_DIR)"; \
	  bin/dnevnik import oneroster $(BENCH_DIR); \
	  echo "==> dnevnik import oneroster $(BENCH_DIR), again: nothing changes"; \
	  bin/dnevnik import oneroster $(BENCH_DIR) | tail -12; \
	  echo "==> dnevnik import timetable $(BENCH_DIR)/timetable.csv"; \
	  bin/dnevnik import timetable $(BENCH_DIR)/timetable.csv; \
	  psql -qX "$$DATABASE_URL" -c "VACUUM ANALYZE"; \
	  echo "==> view and bot command benchmarks"; \
	  DNEVNIK_BENCH_DATABASE_URL=$$DATABASE_URL $(GO) test -run "^$$" -bench . $(BENCH_FLAGS) ./diary/ ./bot/ ./webapp/'

## bench-import: the import against its floor (BENCHMARKS.md). On a throwaway
## PostgreSQL, BenchmarkImportDistrict COPYs the district's files into text tables
## (the floor, before and after), imports them into a fresh database and again,
## unchanged, and prints the three times and the two ratios; BENCH_IMPORT_COUNT runs.
BENCH_IMPORT_COUNT ?= 2
bench-import: build
	@$(GO) build -o bin/devenv ./cmd/devenv
	@if [ ! -f $(BENCH_DIR)/results.csv ]; then \
	  echo "==> generating $(BENCH_SCHOOLS) schools x $(BENCH_PUPILS) pupils into $(BENCH_DIR)"; \
	  bin/dnevnik gen --schools $(BENCH_SCHOOLS) --pupils-per-school $(BENCH_PUPILS) --out $(BENCH_DIR) --force; \
	fi
	DNEVNIK_BENCH_DISTRICT=$(BENCH_DIR) bin/devenv --postgres -- \
	  $(GO) test -run '^$$' -bench ImportDistrict -benchtime 1x -count $(BENCH_IMPORT_COUNT) -timeout 30m ./imports/oneroster/

## bench-load: the load tool, dnevnik bench (BENCHMARKS.md, "Load"), on the issue's district
## of two schools (2,000 pupils, kept in LOAD_DIR): the bot's webhook offered LOAD_RATES
## updates a second by 500 linked parents (the chart goes to LOAD_CHART), then an
## announcement to 900 chats at Telegram's 30 msg/s and to 5,000 chats with paid
## broadcast (1000 msg/s), both over a 100 ms round trip.
LOAD_DIR ?= /tmp/dnevnik-district-2x1000
LOAD_RATES ?= 100,300,500,1000
LOAD_DURATION ?= 20s
LOAD_CHART ?= bin/bench-webhook.png
bench-load: build
	@$(GO) build -o bin/devenv ./cmd/devenv
	bin/devenv --postgres --redis -- sh -ec '\
	  if [ ! -f $(LOAD_DIR)/results.csv ]; then \
	    echo "==> generating 2 schools x 1000 pupils into $(LOAD_DIR)"; \
	    bin/dnevnik gen --schools 2 --pupils-per-school 1000 --out $(LOAD_DIR) --force; \
	  fi; \
	  bin/dnevnik migrate up >/dev/null; \
	  bin/dnevnik import oneroster --silent $(LOAD_DIR); \
	  bin/dnevnik import timetable $(LOAD_DIR)/timetable.csv; \
	  psql -qX "$$DATABASE_URL" -c "VACUUM ANALYZE"; \
	  echo "==> dnevnik bench webhook: $(LOAD_RATES) updates/s, $(LOAD_DURATION) each, 500 parents"; \
	  bin/dnevnik bench webhook --rates $(LOAD_RATES) --duration $(LOAD_DURATION) --parents 500 --chart $(LOAD_CHART); \
	  echo "==> dnevnik bench broadcast: 900 chats at 30 msg/s, 100 ms round trip"; \
	  bin/dnevnik bench broadcast --chats 900 --limit 30 --latency 100ms; \
	  echo "==> dnevnik bench broadcast: 5,000 chats, paid broadcast (1000 msg/s), 100 ms round trip"; \
	  bin/dnevnik bench broadcast --chats 5000 --paid --latency 100ms'
