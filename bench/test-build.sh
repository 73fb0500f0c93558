#!/usr/bin/env bash
# `cargo test --no-run` wall time of this checkout against an older revision, side by side.
#
# usage: bench/test-build.sh [REV] [ROUNDS]    (default: 71943fa, the commit before issue 9; 3)
#
# The older revision is checked out (git worktree) into bench-work/test-build-REV with its own
# target folder; one unrecorded build of each first builds the dependencies. Then, in ROUNDS
# rounds that alternate which tree goes first:
#   crate-cold: `cargo clean -p helpsite`, then `cargo test --no-run` (every crate of the project
#               compiled again, the ~170 dependencies kept: what a change to Cargo.toml's lints
#               or a fresh checkout of the project over a warm registry costs);
#   touched:    `touch src/site/mod.rs` (src/site.rs before the split) and `cargo test --no-run`
#               (an edit to one library file: the library and every test binary that links it).
# Prints every timing, the medians and the ratios, and the number of test binaries each built.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-71943fa}"
rounds="${2:-3}"
here="$(pwd)"
old="$here/bench-work/test-build-$rev"
mkdir -p bench-work
if [ ! -d "$old" ]; then
  git worktree add --detach "$old" "$rev" >/dev/null
fi

secs() { # secs DIR COMMAND...: wall seconds of COMMAND run in DIR
  local dir="$1"; shift
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && "$@" >/dev/null 2>&1)
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}
touch_one() { # the library's stage driver in either layout
  if [ -f "$1/src/site/mod.rs" ]; then touch "$1/src/site/mod.rs"; else touch "$1/src/site.rs"; fi
}
binaries() { # how many test executables `cargo test --no-run` lists
  (cd "$1" && cargo test --no-run 2>&1 | grep -c 'Executable ')
}

echo "warm-up (dependencies, not recorded)"
secs "$old" cargo test --no-run >/dev/null
secs "$here" cargo test --no-run >/dev/null

declare -A cold touched
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then order=("$old" "$here"); else order=("$here" "$old"); fi
  for dir in "${order[@]}"; do
    name=after; [ "$dir" = "$old" ] && name=before
    (cd "$dir" && cargo clean -p helpsite >/dev/null 2>&1)
    c=$(secs "$dir" cargo test --no-run)
    touch_one "$dir"
    t=$(secs "$dir" cargo test --no-run)
    cold[$name]+="$c "
    touched[$name]+="$t "
    echo "round $i $name: crate-cold ${c} s, touched ${t} s"
  done
done

python3 - "${cold[before]}" "${cold[after]}" "${touched[before]}" "${touched[after]}" <<'EOF'
import statistics, sys
cb, ca, tb, ta = ([float(x) for x in a.split()] for a in sys.argv[1:])
for label, b, a in (("crate-cold", cb, ca), ("touched", tb, ta)):
    mb, ma = statistics.median(b), statistics.median(a)
    print(f"{label:10} before {mb:6.1f} s ({min(b):.1f}-{max(b):.1f})  after {ma:6.1f} s "
          f"({min(a):.1f}-{max(a):.1f})  after/before {ma / mb:.2f}x")
EOF
echo "test binaries: before $(binaries "$old"), after $(binaries "$here")"
