# Sinergi — developer commands. `make run` and `make test` need nothing but
# this repository: they install and start a throwaway PostgreSQL themselves.
SHELL := /bin/bash
GO ?= go
PKGS := ./...
TEST_FLAGS ?= -race -count=1 -timeout 40m
LISTEN_ADDR ?= :8080
BASE_URL ?= http://localhost:8080

.PHONY: run test build db-start db-stop db-destroy vet fmt fuzz bench

build:
	$(GO) build -o bin/sinergi ./cmd/sinergi

db-start:
	@scripts/postgres.sh start >/dev/null

db-stop:
	@scripts/postgres.sh stop

db-destroy:
	@scripts/postgres.sh destroy

## run: start Postgres, migrate, load the demo, print keys and a curl line, serve on :8080
run: build db-start
	@test -s .pgdata/kek || (umask 077; head -c 32 /dev/urandom | base64 > .pgdata/kek)
	@export DATABASE_URL=$$(scripts/postgres.sh url) BASE_URL=$(BASE_URL) LISTEN_ADDR=$(LISTEN_ADDR) SIGNING_KEK=$$(cat .pgdata/kek); \
	  bin/sinergi migrate up && bin/sinergi seed --demo --admin-key && exec bin/sinergi serve

## test: start Postgres and run every test against it
test: db-start
	@SINERGI_TEST_DATABASE_URL=$$(scripts/postgres.sh url) $(GO) test $(TEST_FLAGS) $(PKGS)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed"; exit 1; }

bench: db-start
	@SINERGI_TEST_DATABASE_URL=$$(scripts/postgres.sh url) $(GO) test -run '^$$' -bench . -benchmem $(PKGS)
