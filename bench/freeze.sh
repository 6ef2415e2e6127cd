#!/usr/bin/env bash
# A frozen database: the served binary over a throwaway cluster of its own
# (never the shared test cluster), whose server processes are stopped with
# SIGSTOP while requests arrive, then resumed with SIGCONT.
# Checks: (1) with the database frozen an authenticated request answers
# 503 unavailable with Retry-After within 5 s; (2) /readyz says 503; (3)
# after SIGCONT the next request succeeds without restarting the service.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "freeze.sh: PostgreSQL is not installed" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/sinergi-freeze-XXXXXX)
chmod 755 "$work"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
pgport=$(free_port)
port=$(free_port)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  if [ -f "$work/data/postmaster.pid" ]; then
    pm=$(head -1 "$work/data/postmaster.pid")
    kill -CONT "$pm" $(pgrep -P "$pm" || true) 2>/dev/null || true
    as_owner "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

as_owner "$bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log"
as_owner "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 -o \
  "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories='' -c fsync=off" start >/dev/null
"$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE sinergi"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/sinergi?sslmode=disable"
export SIGNING_KEK=$(head -c 32 /dev/urandom | base64) LISTEN_ADDR=127.0.0.1:$port BASE_URL=http://127.0.0.1:$port
export RUN_WORKER=false LOG_LEVEL=warn
go build -o "$work/sinergi" ./cmd/sinergi
"$work/sinergi" migrate up >/dev/null 2>&1
admin=$("$work/sinergi" seed --admin-key | awk '/admin:/ {print $2}')
"$work/sinergi" serve 2>"$work/serve.log" &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

req() { # sets status and secs
  local out
  out=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code} %{time_total}' --max-time 30 \
    -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/v1/institutions" || true)
  status=${out% *} secs=${out#* }
}
req
echo "before: $status in ${secs}s"
[ "$status" = 200 ] || { echo "FAIL: the service does not answer before the freeze"; exit 1; }

# The postmaster's pid is the first line of postmaster.pid; every backend
# and helper process is its child.
postmaster=$(head -1 "$work/data/postmaster.pid")
pids="$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
kill -STOP $pids
echo "froze postgres: $(echo $pids | wc -w) processes (postmaster $postmaster)"
fail=0
for i in 1 2 3; do
  req
  retry=$(grep -i '^retry-after:' "$work/headers" | tr -d '\r' | awk '{print $2}')
  echo "frozen, request $i: $status in ${secs}s, Retry-After ${retry:-none}, $(cat "$work/body")"
  if [ "$status" != 503 ] || [ -z "$retry" ] || awk -v s="$secs" 'BEGIN { exit !(s > 5) }'; then fail=1; fi
done
ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/readyz")
echo "frozen, /readyz: $ready"
[ "$ready" = 503 ] || fail=1
kill -CONT $pids
echo "resumed postgres"
req
echo "after: $status in ${secs}s"
[ "$status" = 200 ] || fail=1
kill "$server"; wait "$server" 2>/dev/null || true; server=""
if [ "$fail" = 1 ]; then echo "FAIL"; exit 1; fi
echo "PASS: 503 with Retry-After within 5 s while frozen; recovered after SIGCONT without a restart"
