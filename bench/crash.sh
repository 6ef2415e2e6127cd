#!/usr/bin/env bash
# Crash safety: runs the served binary while four clients book and invite
# with Idempotency-Keys, kills it with SIGKILL at a random point, restarts
# it, and checks after every kill that each invited booking has exactly one
# queued invitation, that no Idempotency-Key is claimed past its lease and
# that the audit log matches the bookings. ROUNDS kills (default 50).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) go test ./cmd/sinergi/ -count=1 -run '^TestCrashRecovery$' -v \
  -args -crash.rounds "${ROUNDS:-50}" | grep -E 'crash_test|PASS|FAIL|ok'
