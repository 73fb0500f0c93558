#!/usr/bin/env bash
# Benchmarks of the snippet harness (a script, not a test; rerun it any time):
#  1. per-snippet overhead, measured with empty snippets (`:`):
#     a. one snippet per page (each pays its own sandbox + mock remote + bash start),
#     b. many snippets in one chain (the marginal cost of one more snippet);
#  2. a page of 10 transcripts that clone/push/fetch, run by `helpsite test`, against the same
#     git commands typed into one bash against `helpsite remote` (same proxy + CA path).
# Each figure is the best of N runs (N=5 by default), in milliseconds. PROFILE=release to
# measure the release build (default: debug, the build `cargo test` uses).
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-debug}
N=${N:-5}
if [ "$PROFILE" = release ]; then cargo build -q --release --bin helpsite; else cargo build -q --bin helpsite; fi
BIN=$PWD/target/$PROFILE/helpsite
WORK=$PWD/bench-work/snippets
rm -rf "$WORK" && mkdir -p "$WORK"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
best_of() { # best_of CMD... → prints the fastest wall time in ms
    local best=999999999 t0 t
    for _ in $(seq "$N"); do
        t0=$(now_ms); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@" >&2 || true; exit 1; }
        t=$(( $(now_ms) - t0 )); [ "$t" -lt "$best" ] && best=$t
    done
    echo "$best"
}
site() { mkdir -p "$WORK/$1/content"; echo 'title = "bench"' > "$WORK/$1/helpsite.toml"; }
page() { printf '+++\ntitle = "p"\n+++\n\n# Bench\n' > "$1"; }
empty_snippet() { printf '\n```sh\n:\n```\n'; }

site none; page "$WORK/none/content/p.md"
site pages20; for i in $(seq 20); do page "$WORK/pages20/content/p$i.md"; empty_snippet >> "$WORK/pages20/content/p$i.md"; done
site chain200; page "$WORK/chain200/content/p.md"; for i in $(seq 200); do empty_snippet >> "$WORK/chain200/content/p.md"; done

run() { RAYON_NUM_THREADS=1 "$BIN" test --root "$WORK/$1"; }
t_none=$(best_of run none)
t_pages=$(best_of run pages20)
t_chain=$(best_of run chain200)
echo "process with no snippets:              ${t_none} ms"
echo "1a. per snippet, own sandbox+remote:   $(( (t_pages - t_none) / 20 )) ms   (20 one-snippet pages: ${t_pages} ms)"
echo "1b. per snippet, within a chain:       $(( (t_chain - t_none) * 1000 / 200 )) µs  (200 snippets in one chain: ${t_chain} ms)"

# 2. Ten transcripts with network operations.
site push10
P="$WORK/push10/content/p.md"; page "$P"
ANS='answer=username answer="$BITBUCKET_API_TOKEN"'
printf '\n```console {%s}\n$ git clone -q https://bitbucket.org/username/demo.git && cd demo\nUsername for '"'"'https://bitbucket.org'"'"': username\nPassword for '"'"'https://username@bitbucket.org'"'"':\n```\n' "$ANS" >> "$P"
CMDS=("git clone -q https://bitbucket.org/username/demo.git && cd demo")
for i in $(seq 2 10); do
    if [ $((i % 2)) = 0 ]; then cmd="git commit -q --allow-empty -m c$i && git push -q"; else cmd="git fetch -q"; fi
    CMDS+=("$cmd")
    printf '\n```console {%s}\n$ %s\nUsername for '"'"'https://bitbucket.org'"'"': username\nPassword for '"'"'https://username@bitbucket.org'"'"':\n```\n' "$ANS" "$cmd" >> "$P"
done
t_harness=$(best_of run push10)

typed() {
    local out="$WORK/remote.out" home="$WORK/typed-home"
    rm -rf "$home" && mkdir -p "$home/work"
    "$BIN" remote --root "$WORK/typed-repos-$RANDOM" > "$out" 2>&1 & local pid=$!
    while ! grep -q '^Ready' "$out" 2>/dev/null; do sleep 0.005; done
    local proxy ca
    proxy=$(sed -n 's/.*export HTTPS_PROXY=\([^ ]*\) GIT_SSL_CAINFO=\(.*\)$/\1/p' "$out")
    ca=$(sed -n 's/.*export HTTPS_PROXY=\([^ ]*\) GIT_SSL_CAINFO=\(.*\)$/\2/p' "$out")
    printf '#!/bin/sh\ncase "$1" in Username*) echo username;; *) echo ATATT-made-up-api-token-read-write;; esac\n' > "$home/askpass"
    chmod +x "$home/askpass"
    local script; script=$(printf '%s\n' "${CMDS[@]}")
    env -i PATH="$PATH" HOME="$home" HTTPS_PROXY="$proxy" GIT_SSL_CAINFO="$ca" GIT_ASKPASS="$home/askpass" \
        GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=a \
        GIT_COMMITTER_EMAIL=a@example.com bash -e -c "cd '$home/work'; $script"
    local rc=$?
    kill "$pid"; wait "$pid" 2>/dev/null || true
    return $rc
}
t_typed=$(best_of typed)
echo "2. 10 transcripts with push/fetch:     helpsite test ${t_harness} ms, typed into one shell against helpsite remote ${t_typed} ms (ratio $(awk "BEGIN{printf \"%.2f\", $t_harness/$t_typed}"))"
