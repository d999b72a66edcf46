# The two commands of the README: `make test` and (with the bot) `make demo`.
# Each starts what it needs and says what it is doing.

GO ?= go
# Extra flags for go test, e.g. make test TESTFLAGS='-run Schema -v'
TESTFLAGS ?=

.PHONY: test build fmt

## test: gofmt, go vet, then every test with the race detector against a throwaway
## PostgreSQL and Redis (or the ones DATABASE_URL / REDIS_URL name).
test:
	@echo "==> checking gofmt"
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	@echo "==> go vet ./..."
	$(GO) vet ./...
	@echo "==> go test -race ./... with PostgreSQL and Redis"
	@$(GO) build -o bin/devenv ./cmd/devenv
	bin/devenv --postgres --redis -- $(GO) test -race $(TESTFLAGS) ./...

## build: a static binary in bin/dnevnik
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/dnevnik ./cmd/dnevnik

fmt:
	gofmt -w .
