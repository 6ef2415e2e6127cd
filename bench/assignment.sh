#!/usr/bin/env bash
# Assignment solvers against SciPy on the same random instances, in one run:
#   sparse (20 eligible per row) — SolveSparse vs scipy.sparse.csgraph.min_weight_full_bipartite_matching
#   dense                        — SolveDense  vs scipy.optimize.linear_sum_assignment
# square and rectangular in both orientations. Each line prints both times
# (fastest of REPEAT solves, input preparation excluded), their ratio
# (go/scipy: below 1 is faster) and whether the optimal totals are equal.
# Needs Debian's python3-scipy (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c 'import scipy' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null
fi
go build -o bin/lapcmp ./bench/lapcmp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-7s %11s %7s %10s %10s %7s %s\n' kind rows×cols per_row go_ms scipy_ms ratio equal
SPECS=${SPECS:-"sparse 1000 1000 20
sparse 5000 5000 20
sparse 1000 1500 20
sparse 1500 1000 20
sparse 5000 7500 20
sparse 7500 5000 20
dense 1000 1000 0
dense 5000 5000 0
dense 1000 1500 0
dense 1500 1000 0"}
while read -r kind rows cols per; do
  [ -z "$kind" ] && continue
  for seed in ${SEEDS:-1 2}; do
    repeat=$([ "$rows" -ge 5000 ] && [ "$kind" = dense ] && echo 1 || echo "${REPEAT:-3}")
    goout=$(bin/lapcmp -rows "$rows" -cols "$cols" -per-row "$per" -seed "$seed" -repeat "$repeat" -out "$tmp/m")
    $PY - "$tmp/m" "$rows" "$cols" "$goout" "$kind" "$per" "$repeat" <<'PY'
import json, sys, time
import numpy as np
path, nr, nc, goout, kind, per, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5], sys.argv[6], int(sys.argv[7])
if kind == 'dense':
    from scipy.optimize import linear_sum_assignment
    m = np.fromfile(path, dtype='<f8').reshape(nr, nc)
    solve = lambda: linear_sum_assignment(m)
    total_of = lambda r, c: float(m[r, c].sum())
else:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching
    m = csr_matrix((np.fromfile(path + '.data', dtype='<f8'), np.fromfile(path + '.indices', dtype='<i8'),
                    np.fromfile(path + '.indptr', dtype='<i8')), shape=(nr, nc))
    solve = lambda: min_weight_full_bipartite_matching(m)
    total_of = lambda r, c: float(np.asarray(m[r, c]).sum())
best = float('inf')
for _ in range(repeat):
    t = time.perf_counter()
    r, c = solve()
    best = min(best, time.perf_counter() - t)
total = total_of(r, c)
ms = best * 1000
print(f"{kind:<7} {str(nr) + '×' + str(nc):>11} {per:>7} {goout['ms']:>10.2f} {ms:>10.2f} {goout['ms']/ms:>7.2f} {total == goout['total']}")
PY
  done
done <<<"$SPECS"
