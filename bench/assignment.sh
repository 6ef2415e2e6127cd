#!/usr/bin/env bash
# Assignment solver against SciPy's linear_sum_assignment on the same random
# instances, in one run: dense n×n and sparse (about 20 eligible people per
# session). Prints both times, their ratio and whether the optimal totals are
# equal. Needs Debian's python3-scipy (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c 'import scipy' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null
fi
go build -o bin/lapcmp ./bench/lapcmp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-8s %6s %8s %12s %12s %8s %s\n' kind n per_row go_ms scipy_ms ratio equal
for spec in "dense 1000 0" "sparse 1000 20" "sparse 5000 20" "dense 5000 0"; do
  read -r kind n per <<<"$spec"
  for seed in ${SEEDS:-1 2}; do
    goout=$(bin/lapcmp -n "$n" -per-row "$per" -seed "$seed" -repeat "$([ "$n" -gt 2000 ] && echo 1 || echo 3)" -out "$tmp/m.bin")
    $PY - "$tmp/m.bin" "$n" "$goout" "$kind" "$per" <<'PY'
import json, sys, time
import numpy as np
from scipy.optimize import linear_sum_assignment
path, n, goout, kind, per = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
m = np.fromfile(path, dtype='<f8').reshape(n, n)
best = float('inf')
for _ in range(1 if n > 2000 else 3):
    t = time.perf_counter()
    r, c = linear_sum_assignment(m)
    best = min(best, time.perf_counter() - t)
total = float(m[r, c].sum())
ms = best * 1000
print(f"{kind:<8} {n:>6} {per:>8} {goout['ms']:>12.1f} {ms:>12.1f} {goout['ms']/ms:>8.2f} {total == goout['total']}")
PY
  done
done
