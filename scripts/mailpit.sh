#!/usr/bin/env bash
# Local mail catcher for development: Mailpit catches every message the
# service sends over SMTP and shows it in a web inbox, so invitations and
# their answer links can be read without a real mail server.
#
#   scripts/mailpit.sh install   build bin/mailpit at the pinned version from the Go module proxy
#                                (with its web inbox when npm is there to build it)
#   scripts/mailpit.sh start     start it in the background on 127.0.0.1 (SMTP 1025 and web 8025 when
#                                free, else free ports) and print SMTP_URL=… and MAILPIT_WEB=… (idempotent)
#   scripts/mailpit.sh stop      stop it
#   scripts/mailpit.sh smtp-url  print the SMTP_URL of the running catcher
#   scripts/mailpit.sh web-url   print the address of its web inbox
#
# MAILPIT_VERSION pins the version; MAILPIT_UI=0 skips building the web inbox
# (mail is then read at /view/latest.html and /api/v1/messages).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/.mailpit
bin=$root/bin/mailpit
version=${MAILPIT_VERSION:-v1.27.11}
module=github.com/axllent/mailpit

log() { echo "mailpit.sh: $*" >&2; }

# shellcheck source=free-port.sh
. "$(dirname "$0")/free-port.sh"

# build_with_ui builds Mailpit from its module source with the web inbox,
# which the module leaves out (it is built with npm and esbuild).
build_with_ui() {
  command -v npm >/dev/null || return 1
  local src work
  src=$(cd / && go mod download -json "$module@$version" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])') || return 1
  work=$(mktemp -d)
  cp -R "$src/." "$work" && chmod -R u+w "$work"
  if (cd "$work" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null &&
      npm run package >/dev/null 2>&1 && go build -trimpath -o "$bin" .); then
    rm -rf "$work"; return 0
  fi
  rm -rf "$work"; return 1
}

install() {
  if [ -x "$bin" ] && [ "$(cat "$bin.version" 2>/dev/null)" = "$version" ]; then return; fi
  mkdir -p "$root/bin"
  log "building Mailpit $version"
  if [ "${MAILPIT_UI:-1}" = 1 ] && build_with_ui; then
    :
  else
    log "building without the web inbox (no npm, or its build failed): read mail at /view/latest.html and /api/v1/messages"
    GOBIN="$root/bin" go install "$module@$version"
  fi
  echo "$version" >"$bin.version"
}

running() {
  [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

start() {
  install
  if ! running; then
    mkdir -p "$dir"
    local smtp web
    smtp=$(free_port "${MAILPIT_SMTP_PORT:-1025}")
    web=$(free_port "${MAILPIT_WEB_PORT:-8025}")
    nohup "$bin" --smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$web" --database "$dir/mail.db" \
      --disable-version-check --quiet >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    echo "$smtp" >"$dir/smtp-port"
    echo "$web" >"$dir/web-port"
    for _ in $(seq 50); do
      if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$web/readyz', timeout=1)" 2>/dev/null; then break; fi
      running || { log "Mailpit did not start:"; cat "$dir/log" >&2; exit 1; }
      sleep 0.2
    done
  fi
  echo "SMTP_URL=$(smtp_url)"
  echo "MAILPIT_WEB=$(web_url)"
}

stop() {
  if running; then kill "$(cat "$dir/pid")"; fi
  rm -f "$dir/pid"
}

smtp_url() { echo "smtp+plain://127.0.0.1:$(cat "$dir/smtp-port")"; }
web_url() { echo "http://127.0.0.1:$(cat "$dir/web-port")/"; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  smtp-url) running || { log "not running; use: scripts/mailpit.sh start"; exit 1; }; smtp_url ;;
  web-url) running || { log "not running; use: scripts/mailpit.sh start"; exit 1; }; web_url ;;
  *) echo "usage: $0 install|start|stop|smtp-url|web-url" >&2; exit 2 ;;
esac
