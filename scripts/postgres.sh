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
dir=${SINERGI_PGDATA:-$root/.pgdata}
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

free_port() {
  python3 - "$1" <<'PY'
import socket, sys
want = int(sys.argv[1])
for port in (want, 0):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(s.getsockname()[1]); break
    except OSError:
        continue
    finally:
        s.close()
PY
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
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    # The postgres user must be able to reach the folder; fall back to /tmp.
    if ! runuser -u postgres -- test -w "$dir"; then
      dir=/tmp/sinergi-pgdata-$(echo "$root" | md5sum | cut -c1-8)
      mkdir -p "$dir"; chown postgres:postgres "$dir"
      ln -sfn "$dir" "$root/.pgdata" 2>/dev/null || true
    fi
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
  fi
  if ! running; then
    local port; port=$(free_port "${PGPORT:-55432}")
    echo "$port" >"$dir/port"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC -c max_connections=300" \
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

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running || { log "not running; use: scripts/postgres.sh start"; exit 1; }; url ;;
  destroy) stop; rm -rf "$(readlink -f "$dir")" "$root/.pgdata" ;;
  *) echo "usage: $0 start|stop|url|destroy" >&2; exit 2 ;;
esac
