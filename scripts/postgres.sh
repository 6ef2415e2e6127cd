#!/usr/bin/env bash
# Throwaway PostgreSQL for development and tests.
#
#   scripts/postgres.sh start   install Debian's postgresql if missing, create the
#                               cluster in .pgdata/ (once), start it on 127.0.0.1,
#                               print DATABASE_URL=… (idempotent)
#   scripts/postgres.sh stop    stop it
#   scripts/postgres.sh url     print the URL of the running cluster
#   scripts/postgres.sh destroy stop it and delete its data
#
# PGPORT picks the port (default: 55432 if free, else any free port). Works as
# root (the server runs as the postgres user) and as an ordinary user.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
db=${PGDATABASE_NAME:-sinergi}

log() { echo "postgres.sh: $*" >&2; }

pgbin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

install_postgres() {
  if [ -n "$(pgbin)" ] && [ -x "$(pgbin)/initdb" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed; run: sudo apt-get install -y postgresql postgresql-contrib"; exit 1
  fi
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
}

# as_owner runs a command as the cluster's owner: postgres when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=free-port.sh
. "$(dirname "$0")/free-port.sh"

# The cluster lives in .pgdata/ unless the server's user cannot reach it (a
# clone in a private home, mode 700, as root): then in a folder of /tmp named
# after the checkout, recorded in .pgdata/cluster so every command finds it.
# .pgdata/ itself stays the checkout's own folder (it also keeps the KEK).
resolve_dir() {
  if [ -n "${SINERGI_PGDATA:-}" ]; then dir=$SINERGI_PGDATA; return; fi
  if [ -s "$root/.pgdata/cluster" ]; then dir=$(cat "$root/.pgdata/cluster"); return; fi
  dir=$root/.pgdata
}

running() {
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$(pgbin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

url() {
  echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/$db?sslmode=disable"
}

start() {
  install_postgres
  local bin; bin=$(pgbin)
  [ -L "$root/.pgdata" ] && rm -f "$root/.pgdata"  # left by older versions of this script
  mkdir -p "$root/.pgdata"
  if [ "$(id -u)" = 0 ] && [ -z "${SINERGI_PGDATA:-}" ] && [ ! -s "$root/.pgdata/cluster" ]; then
    chown postgres:postgres "$root/.pgdata"
    if ! runuser -u postgres -- test -w "$root/.pgdata"; then
      local fallback; fallback=/tmp/sinergi-pgdata-$(echo "$root" | md5sum | cut -c1-8)
      mkdir -p "$fallback"; chmod 700 "$fallback"; chown postgres:postgres "$fallback"
      echo "$fallback" >"$root/.pgdata/cluster"
      log "$root is not reachable by the postgres user; the cluster lives in $fallback"
    fi
  fi
  resolve_dir
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
  fi
  if ! running; then
    local port; port=$(free_port "${PGPORT:-55432}")
    echo "$port" >"$dir/port"
    # TCP only: a Unix socket path in a deep checkout can exceed the 107-byte limit.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC -c max_connections=300" \
      start >/dev/null
  fi
  local port; port=$(cat "$dir/port")
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
  fi
  echo "DATABASE_URL=$(url)"
}

stop() {
  if running; then as_owner "$(pgbin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
}

resolve_dir
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running || { log "not running; use: scripts/postgres.sh start"; exit 1; }; url ;;
  destroy) stop; rm -rf "$dir" "$root/.pgdata" ;;
  *) echo "usage: $0 start|stop|url|destroy" >&2; exit 2 ;;
esac
