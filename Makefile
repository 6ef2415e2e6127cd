# Sinergi — developer commands. `make run` and `make test` need nothing but
# this repository: they install and start a throwaway PostgreSQL themselves.
SHELL := /bin/bash
GO ?= go
PKGS := ./...
TEST_FLAGS ?= -race -count=1 -timeout 40m
LISTEN_ADDR ?= :8080
BASE_URL ?= http://localhost:8080
MAILPIT_VERSION ?= v1.27.11

.PHONY: run test build db-start db-stop db-destroy mail-start mail-stop stop vet fmt fuzz bench

build:
	$(GO) build -o bin/sinergi ./cmd/sinergi

db-start:
	@scripts/postgres.sh start >/dev/null

db-stop:
	@scripts/postgres.sh stop

db-destroy:
	@scripts/postgres.sh destroy

## mail-start: build (once) and start the local mail catcher; mail-stop stops it
mail-start:
	@MAILPIT_VERSION=$(MAILPIT_VERSION) scripts/mailpit.sh start >/dev/null

mail-stop:
	@scripts/mailpit.sh stop

## stop: stop Postgres and the mail catcher
stop: db-stop mail-stop

## run: start Postgres and the mail catcher (unless SMTP_URL is set), migrate, load the demo, print its keys,
## a curl line and the mail catcher's address, serve on :8080
run: build db-start
	@test -s .pgdata/kek || (umask 077; head -c 32 /dev/urandom | base64 > .pgdata/kek)
	@if [ -z "$$SMTP_URL" ]; then $(MAKE) --no-print-directory mail-start || echo "no mail catcher: mail waits in the outbox"; fi
	@export DATABASE_URL=$$(scripts/postgres.sh url) BASE_URL=$(BASE_URL) LISTEN_ADDR=$(LISTEN_ADDR) SIGNING_KEK=$$(cat .pgdata/kek); \
	  if [ -z "$$SMTP_URL" ]; then export SMTP_URL=$$(scripts/mailpit.sh smtp-url 2>/dev/null); MAIL_WEB=$$(scripts/mailpit.sh web-url 2>/dev/null); fi; \
	  bin/sinergi migrate up && bin/sinergi seed --demo --admin-key --keys-file .pgdata/demo-keys && \
	  { [ -z "$$MAIL_WEB" ] || echo "mail catcher (every message the service sends): $$MAIL_WEB  (SMTP_URL=$$SMTP_URL; make mail-stop stops it)"; } && \
	  exec bin/sinergi serve

## test: start Postgres and run every test against it
test: db-start
	@SINERGI_TEST_DATABASE_URL=$$(scripts/postgres.sh url) $(GO) test $(TEST_FLAGS) $(PKGS)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed"; exit 1; }

bench: db-start
	@SINERGI_TEST_DATABASE_URL=$$(scripts/postgres.sh url) $(GO) test -run '^$$' -bench . -benchmem $(PKGS)
