#!/usr/bin/env bash
# Checks the README's two commands from a fresh clone in a private directory
# (mode 700), as root and as an ordinary user: `make run` must serve the demo
# and `make test` must reach its database. CI runs it; so can anyone (as root).
#
#   scripts/private-clone-check.sh [PKGS]   PKGS: what `make test` runs (default ./postgres/)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
pkgs=${1:-./postgres/}
user=sinergi-dev
[ "$(id -u)" = 0 ] || { echo "run as root: it creates the user $user" >&2; exit 2; }

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# check DIR AS: clone into DIR (mode 700) and run both commands as user AS.
check() {
  local home=$1 as=$2 clone=$1/sinergi port; port=$(free_port)
  rm -rf "$clone"; git clone -q "$src" "$clone"; chmod 700 "$home"
  [ "$as" = root ] || chown -R "$as:" "$home"
  local run=(env -C "$clone" PATH="$PATH:/usr/local/go/bin")
  [ "$as" = root ] || run=(runuser -u "$as" -- env -C "$clone" HOME="$home" PATH="$PATH:/usr/local/go/bin")
  echo "== make test PKGS=$pkgs as $as in $clone"
  "${run[@]}" make -s test PKGS="$pkgs" TEST_FLAGS=-count=1
  echo "== make run as $as"
  # The mail catcher is left out here (it is built once per clone, minutes on a cold cache): mail waits in
  # the outbox for an SMTP server that is not there, which the service tolerates.
  setsid "${run[@]}" SMTP_URL=smtp+plain://127.0.0.1:9 make -s run LISTEN_ADDR=127.0.0.1:$port BASE_URL=http://127.0.0.1:$port >"$home/run.log" 2>&1 &
  local pid=$! ok=
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  local key; key=$(grep -o 'staff[^:]*: snrg_[A-Za-z0-9_-]*' "$home/run.log" | head -1 | sed 's/.*: //' || true)
  [ -n "$key" ] || key=$(grep -ho 'snrg_[A-Za-z0-9_-]*' "$clone/.pgdata/demo-keys" 2>/dev/null | tail -1 || true)
  local people=
  if [ -n "$ok" ] && [ -n "$key" ]; then
    people=$(curl -fs -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/people?kind=practitioner&limit=1" || true)
  fi
  kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  "${run[@]}" make -s db-destroy >/dev/null 2>&1 || true
  if [ -z "$ok" ] || [[ "$people" != *'"items"'* ]]; then
    echo "make run as $as did not serve the demo:"; tail -20 "$home/run.log"; return 1
  fi
  echo "ok: make run as $as served the demo on :$port"
}

root_home=$(mktemp -d /root/sinergi-private.XXXXXX)
check "$root_home" root
rm -rf "$root_home"

id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
user_home=$(getent passwd "$user" | cut -d: -f6)/private
mkdir -p "$user_home"
check "$user_home" "$user"
rm -rf "$user_home"
echo "private clone check: passed"
