#!/usr/bin/env bash
# Measures the search index on a generated corpus: size (raw, gzip -9), node read+parse and
# prepare time, and query times. usage: bench/search-index.sh [PAGES]   (default 10000)
# Writes into bench-work/ (git-ignored). Figures go in README "Search".
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-10000}"
corpus="bench-work/corpus-$pages"
index="bench-work/search-index-$pages.js"
mkdir -p bench-work
source bench/lib.sh
if [ ! -d "$corpus/content" ]; then
  python3 "$(shared_bench)/gen_corpus.py" "$pages" "$corpus"
fi
cargo build --release --quiet --example search-index
target/release/examples/search-index "$corpus" "$index"
raw=$(wc -c < "$index")
gz=$(gzip -9 -c "$index" | wc -c)
echo "size: $raw bytes raw, $gz bytes gzip -9"
node bench/search-load.js "$index" templates/static/search.js

# The browser: headless Chromium opens a page that loads the same two scripts from file://.
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -n "$browser" ]; then
  page_dir="bench-work/browser-$pages"
  mkdir -p "$page_dir"
  cp "$index" "$page_dir/search-index.js"
  cp templates/static/search.js bench/search-browser.html "$page_dir/"
  for _ in 1 2 3; do
    "$browser" --headless --no-sandbox --disable-gpu --dump-dom \
      "file://$(pwd)/$page_dir/search-browser.html" 2>/dev/null | grep -o 'browser: load+parse [0-9][^<]*'
  done
else
  echo "browser: chromium not installed (apt-get install chromium), skipped"
fi
