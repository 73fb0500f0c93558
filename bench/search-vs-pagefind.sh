#!/usr/bin/env bash
# The bytes a browser downloads for one search query, helpsite against Pagefind 1.6, on the same
# built 10,000-page corpus. usage: bench/search-vs-pagefind.sh [PAGES]   (default 10000)
#
# Generates the corpus (shared/bench/gen_corpus.py) into bench-work/, builds it with
# target/release/helpsite, runs Pagefind (npm `pagefind@1.6.0` into bench-work/pagefind) on the
# same output, serves it with python3's http.server on 127.0.0.1, and opens one page per query
# and tool in a fresh headless Chromium driven by chromedriver (bench/search_bytes_run.py: new
# profile, no cache, outside hosts unresolvable):
#   helpsite: bench/search-bytes-helpsite.html, the site's index.html with the query typed into
#             its box; counts static/search.js, static/search-index.js and static/search/* as
#             loaded until the 20 results are shown.
#   pagefind: bench/search-bytes-pagefind.html, pagefind.js's search() and data() of the first
#             N results (5: what its UI shows first; 20: as many as helpsite shows); counts
#             everything under pagefind/ (pagefind.js, the wasm, entry, meta, index chunks,
#             fragments). Its UI script and CSS are left out, as helpsite's CSS is.
# Bytes are what the server sent (bench/search_bytes_server.py, python's http.server counting
# status line + headers + body per request: Pagefind's web worker fetches too, which the page's
# Resource Timing does not see). No compression: Pagefind's index files are gzipped on disk,
# helpsite's are text.
# The gzip column is what helpsite's files weigh gzip -9, for a server that compresses.
# Prints the table (bench/search_vs_pagefind.py); the raw runs stay in bench-work/.
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-10000}"
work="bench-work"
corpus="$work/corpus-$pages"
out="$work/vs-pagefind-$pages"
mkdir -p "$work"
source bench/lib.sh
if [ ! -d "$corpus/content" ]; then
  python3 "$(shared_bench)/gen_corpus.py" "$pages" "$corpus"
fi
# As bench/build-vs-hugo.sh: label the generator's bare ```toml / ```rust fences (helpsite runs
# every other block as a test); idempotent, so a corpus shared with that script is left as is.
find "$corpus/content" -name '*.md' -exec sed -i -E \
  's/^```(toml|rust)$/```\1 {ignore="benchmark corpus"}/' {} +
# HELPSITE_BIN: a helpsite binary to use instead of this checkout's release build.
bin="${HELPSITE_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin helpsite
  bin=target/release/helpsite
fi
rm -rf "$out"
"$bin" build --quiet --root "$corpus" --out "$out"
if [ ! -x "$work/pagefind/node_modules/@pagefind/linux-x64/bin/pagefind_extended" ] &&
   [ ! -x "$work/pagefind/node_modules/@pagefind/linux-x64/bin/pagefind" ]; then
  npm install --silent --prefix "$work/pagefind" pagefind@1.6.0 >/dev/null
fi
pf_bin="$work/pagefind/node_modules/@pagefind/linux-x64/bin"
pagefind="$pf_bin/pagefind"
[ -x "$pagefind" ] || pagefind="$pf_bin/pagefind_extended"
"$pagefind" --version
# print.html holds every page: Pagefind would index it as one more, giant page; a site adding
# Pagefind would leave it out, so it is moved aside while Pagefind runs.
mv "$out/print.html" "$work/print.html.aside"
"$pagefind" --site "$out" --output-path "$out/pagefind" --silent
mv "$work/print.html.aside" "$out/print.html"
cp bench/search-bytes-helpsite.html bench/search-bytes-pagefind.html "$out/"

browser="$(command -v chromium || command -v chromium-browser)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$work/vs-pagefind-$pages.log"
: > "$log"
python3 bench/search_bytes_server.py "$out" "$port" "$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/index.html')" 2>/dev/null && break
  sleep 0.1
done

queries=("api token" "ssh key" "git push" "app password" "permission denied")
pages_to_open=()
for q in "${queries[@]}"; do
  enc="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"
  pages_to_open+=("search-bytes-helpsite.html#$enc" "search-bytes-pagefind.html#5#$enc"
    "search-bytes-pagefind.html#20#$enc")
done
runs="$work/vs-pagefind-$pages.runs.jsonl"
python3 bench/search_bytes_run.py "$(command -v chromedriver)" "$browser" \
  "http://127.0.0.1:$port/" "$log" "${pages_to_open[@]}" > "$runs"
results="$work/vs-pagefind-$pages.jsonl"
python3 - "$runs" "${queries[@]}" > "$results" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
for i, q in enumerate(sys.argv[2:]):
    h, p5, p20 = runs[3 * i:3 * i + 3]
    print(json.dumps({"query": q, "helpsite": h, "pagefind5": p5, "pagefind20": p20}))
PY
python3 bench/search_vs_pagefind.py "$out" "$results"
