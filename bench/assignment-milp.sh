#!/usr/bin/env bash
# Whole-course assignment against an exact MILP on the same candidate pairs
# and scores, in one run: bench/assigncmp builds each course (a lead and 2
# or 3 co-trainers per session; ten days of four staggered sessions, and
# three days of four parallel ones) from a random roster, solves it and
# writes the instance; SciPy's milp (HiGHS) solves the same instance with
# one constraint per person and moment (no two overlapping sessions), per
# session role and per person (the cap). Prints the solver's time (fastest
# of REPEAT; scoring the candidates, the same for both, is shown apart),
# HiGHS's, their ratio, whether the solver proved optimality and whether
# the optimal values are equal. Needs Debian's python3-scipy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c 'import scipy' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null
fi
go build -o bin/assigncmp ./bench/assigncmp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-22s %5s %7s %11s %9s %9s %7s %8s %6s %s\n' instance seed edges scoring_ms go_ms milp_ms ratio optimal nodes equal
for seed in ${SEEDS:-1 2 3}; do
  bin/assigncmp -people "${PEOPLE:-3000}" -seed "$seed" -repeat "${REPEAT:-5}" >"$tmp/in.json"
  $PY - "$tmp/in.json" "$seed" "${REPEAT:-5}" <<'PY'
import json, sys, time
import numpy as np
from scipy.optimize import milp, LinearConstraint, Bounds
from scipy.sparse import coo_matrix
instances, seed, repeat = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
for ins in instances:
    edges = ins["edges"]
    n = len(edges)
    rows, cols, ub = [], [], []
    def add(members, bound):
        r = len(ub)
        for e in members:
            rows.append(r); cols.append(e)
        ub.append(bound)
    by_role, by_person = {}, {}
    for k, (p, s, lead, score) in enumerate(edges):
        by_role.setdefault((s, lead), []).append(k)
        by_person.setdefault(p, []).append(k)
    for (s, lead), ks in by_role.items():
        add(ks, ins["places"][s][0 if lead else 1])
    sessions = ins["sessions"]
    for p, ks in by_person.items():
        add(ks, ins["max_slots"])
        # One constraint per moment a session starts: the person's sessions
        # running then all overlap, so at most one of them.
        mine = sorted({edges[k][1] for k in ks})
        seen = set()
        for t in sorted({sessions[s][0] for s in mine}):
            running = frozenset(s for s in mine if sessions[s][0] <= t < sessions[s][1])
            if running in seen:
                continue
            seen.add(running)
            add([k for k in ks if edges[k][1] in running], 1)
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ub), n)).tocsr()
    c = -np.array([ins["fill_value"] + e[3] for e in edges], dtype=float)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        res = milp(c, constraints=LinearConstraint(A, -np.inf, np.array(ub, dtype=float)), integrality=np.ones(n),
                   bounds=Bounds(0, 1))
        best = min(best, time.perf_counter() - t)
    value = int(round(-res.fun))
    ms = best * 1000
    print(f"{ins['name']:<22} {seed:>5} {n:>7} {ins['prepare_ms']:>11.1f} {ins['solve_ms']:>9.2f} {ms:>9.2f} "
          f"{ins['solve_ms']/ms:>7.2f} {str(ins['optimal']):>8} {ins['nodes']:>6} {value == ins['value'] and res.status == 0}")
PY
done
