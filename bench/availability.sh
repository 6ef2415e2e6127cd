#!/usr/bin/env bash
# Candidates while trainers hold the worst availability the API accepts
# (50 daily windows, four BYHOUR values each): the same roster of 5,000,
# ranked before and after three trainers declare it, in one run. Target:
# within 2x of the normal time. Also one availability check (Covers) for a
# weekly timetable against the worst declaration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
go test ./scheduling/ -run '^$' -bench 'Covers' -benchmem -count "${COUNT:-3}" | grep -E 'Benchmark|ok|FAIL'
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) go test ./api/ -run '^$' -bench CandidatesWorstAvailability \
  -benchtime "${BENCHTIME:-200x}" -count "${COUNT:-3}" | tee /dev/stderr |
  awk '/normal/ {n += $3; nn++} /three-worst-trainers/ {w += $3; wn++}
       END { if (nn && wn) printf "candidates: normal %.2f ms, three worst trainers %.2f ms, ratio %.2f (target <= 2)\n",
             n/nn/1e6, w/wn/1e6, (w/wn)/(n/nn); if (!nn || !wn || (w/wn)/(n/nn) > 2) exit 1 }'
