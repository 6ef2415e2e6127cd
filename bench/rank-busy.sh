#!/usr/bin/env bash
# Ranking while the institution is busy: the median and 95th-percentile
# latency of GET /v1/sessions/{id}/candidates (top 10 co-trainers) with
# nobody else using the service, then while WRITERS clients (default 64)
# book people through the API as fast as they can; on the demo-sized
# roster (360 people) and on 60,000. Prints both latencies, their ratio
# (target: busy p50 at most 2× idle) and the bookings made per second
# meanwhile. SAMPLES rankings per phase (default 200), COUNT runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) WRITERS=${WRITERS:-64} go test ./api/ -run '^$' \
  -bench RankingWhileBooking -benchtime "${SAMPLES:-200}x" -count "${COUNT:-3}" -timeout 30m |
  awk '/^Benchmark/ {
      for (i = 3; i < NF; i++) v[$(i+1)] = $i
      printf "%-44s idle p50 %7.2f ms  p95 %7.2f ms | busy p50 %7.2f ms  p95 %7.2f ms | ratio %5.2f | %5.0f bookings/s\n",
        $1, v["idle-p50-ms"], v["idle-p95-ms"], v["busy-p50-ms"], v["busy-p95-ms"], v["p50-ratio"], v["bookings/s"]
    }
    /^(ok|FAIL)/ { print }'
