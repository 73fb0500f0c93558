#!/usr/bin/env bash
# The guide's full snippet run on 1 core and on 2, side by side: `helpsite test --no-report`
# under `taskset -c 0` (the scheduler and rayon see one CPU: std's available_parallelism reads
# the affinity mask) and unrestricted, in N alternating rounds (N=5 by default). Prints each run
# and the medians and their ratio. The release build by default (PROFILE=debug for cargo test's).
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
N=${N:-5}
source bench/lib.sh
BIN=$(helpsite_bin "$PROFILE")
command -v taskset >/dev/null || { echo "taskset (util-linux) is needed" >&2; exit 1; }
cores=$(nproc)

run() { # run LABEL CMD...: prints the wall ms of one guide run
  local start end
  shift
  start=$(date +%s%N)
  "$@" test --no-report >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

one=() all=()
for i in $(seq 1 "$N"); do
  if [ $((i % 2)) -eq 1 ]; then
    a=$(run one taskset -c 0 "$BIN"); b=$(run all "$BIN")
  else
    b=$(run all "$BIN"); a=$(run one taskset -c 0 "$BIN")
  fi
  one+=("$a"); all+=("$b")
  echo "round $i: 1 core ${a} ms, $cores cores ${b} ms"
done
python3 - "${one[*]}" "${all[*]}" "$cores" <<'EOF'
import statistics, sys
one, every = ([int(x) for x in a.split()] for a in sys.argv[1:3])
m1, m2 = statistics.median(one), statistics.median(every)
print(f"median: 1 core {m1} ms, {sys.argv[3]} cores {m2} ms, speed-up {m1 / m2:.2f}x")
EOF
