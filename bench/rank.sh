#!/usr/bin/env bash
# Ranking speed: the in-memory index alone (10,000 widyaiswara and 50,000
# practitioners) and through HTTP with the same roster in Postgres, plus a
# whole-course assignment. Target: under 50 ms per ranking request.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh start >/dev/null
go test ./matching/ -run '^$' -bench 'RankTop10|AssignCourse' -benchmem -count "${COUNT:-3}" | grep -E 'Benchmark|ok|FAIL'
SINERGI_TEST_DATABASE_URL=$(scripts/postgres.sh url) go test ./api/ -run '^$' -bench CandidatesHTTP -benchmem \
  -count "${COUNT:-3}" | grep -E 'Benchmark|ok|FAIL'
