#!/usr/bin/env bash
# Highlighting at the floor: `helpsite build` (one thread and all threads) next to the floor
# program (bench/highlight_floor.rs: the same parse + highlight + write with the same
# libraries, single-threaded, nothing else), alternating, medians. With BEFORE=path/to/helpsite
# an older build is timed in the same rounds (before/after).
#
# usage: bench/highlight.sh [PAGES=1000] [ROUNDS=5]     (corpus from ../shared/bench/gen_corpus.py)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
pages="${1:-1000}"
rounds="${2:-5}"
corpus="${CORPUS:-/tmp/corpus-$pages}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ ! -d "$corpus/content" ]; then
  python3 "$here/../shared/bench/gen_corpus.py" "$pages" "$corpus"
  # As bench/build-vs-hugo.sh: label the fences helpsite does not run.
  find "$corpus/content" -name '*.md' -exec sed -i -E \
    's/^```(toml|rust)$/```\1 {ignore="benchmark corpus"}/' {} +
fi
helpsite="${AFTER:-}"
floor="${FLOOR:-}"
if [ -z "$helpsite" ] || [ -z "$floor" ]; then
  (cd "$here" && cargo build --release --quiet --bin helpsite --example highlight-floor)
  helpsite="$here/target/release/helpsite"
  floor="$here/target/release/examples/highlight-floor"
fi
declare -A cmds=(
  [floor]="$floor $corpus $work/floor"
  [after_1thread]="env RAYON_NUM_THREADS=1 $helpsite build --root $corpus --out $work/after1"
  [after]="$helpsite build --root $corpus --out $work/after"
)
order=(floor after_1thread after)
if [ -n "${BEFORE:-}" ]; then
  cmds[before_1thread]="env RAYON_NUM_THREADS=1 $BEFORE build --root $corpus --out $work/before1"
  cmds[before]="$BEFORE build --root $corpus --out $work/before"
  order=(before_1thread floor after_1thread before after)
fi
mkdir -p "$work/floor"
declare -A times
for round in $(seq 1 "$rounds"); do
  # Alternate the order every round.
  if [ $((round % 2)) -eq 0 ]; then
    list=("${order[@]}")
  else
    list=(); for ((i=${#order[@]}-1; i>=0; i--)); do list+=("${order[$i]}"); done
  fi
  for name in "${list[@]}"; do
    start=$(date +%s.%N)
    ${cmds[$name]} >/dev/null 2>&1 || { echo "$name failed" >&2; exit 1; }
    end=$(date +%s.%N)
    times[$name]+="$(echo "$end - $start" | bc) "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
floor_median=$(echo "${times[floor]}" | median)
printf '%-16s %8s %8s   %s\n' what median "x floor" "all rounds (s)"
for name in "${order[@]}"; do
  m=$(echo "${times[$name]}" | median)
  printf '%-16s %8.2f %8.2f   %s\n' "$name" "$m" "$(echo "$m / $floor_median" | bc -l)" "${times[$name]}"
done
