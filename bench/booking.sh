#!/usr/bin/env bash
# Booking throughput under concurrency against the real database: runs the
# Go benchmark (router + Postgres, 16 concurrent bookers on 200 partly
# overlapping sessions and 100 people) and prints ns/op, bookings created,
# conflicts and the double-booking count, which must be 0.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) go test ./api/ -run '^$' -bench BookingThroughput \
  -benchtime "${BENCHTIME:-5000x}" -count "${COUNT:-3}" | grep -E 'Benchmark|ok|FAIL'
