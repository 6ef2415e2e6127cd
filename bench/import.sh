#!/usr/bin/env bash
# Roster import of a 10,000-row CSV through the router and the real
# database (half updates of people imported before, half new people, each
# with two competencies): the dry run and the application are reported
# separately, in ns per file. The target is under 5 s per file for both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) go test ./api/ -run '^$' -bench RosterImport \
  -benchtime "${BENCHTIME:-3x}" -count "${COUNT:-3}" | grep -E 'Benchmark|ok|FAIL' |
  awk '/ns\/op/ { for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") printf "%s  %.2f s per 10,000 rows\n", $1, $i / 1e9; next } { print }'
