#!/usr/bin/env bash
# Benchmarks of the snippet harness (a script, not a test; rerun it any time):
#  1. per-snippet overhead, measured with empty snippets (`:`):
#     a. `isolated` snippets (each pays its own sandbox + mock remote + bash start and teardown),
#     b. many snippets in one chain (the marginal cost of one more snippet);
#  2. a page of 10 transcripts that clone/push/fetch, run by `helpsite test`, against the same
#     git commands typed into one bash against `helpsite remote` (same proxy + CA path).
# Each figure is the median of N runs (N=7 by default), in milliseconds; the runs being compared
# alternate round by round, so machine noise falls on both sides alike. PROFILE=release to
# measure the release build (default: debug, the build `cargo test` uses).
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-debug}
N=${N:-7}
if [ "$PROFILE" = release ]; then cargo build -q --release --bin helpsite; else cargo build -q --bin helpsite; fi
BIN=$PWD/target/$PROFILE/helpsite
WORK=$PWD/bench-work/snippets
rm -rf "$WORK" && mkdir -p "$WORK"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# run_once CMD... → "WALL CPU" of one run in ms (CPU: user+sys of the command and its children;
# on a busy machine it is the steadier figure).
run_once() {
    local t0 t
    t0=$(now_ms)
    /usr/bin/time -f '%U %S' -o "$WORK/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    t=$(( $(now_ms) - t0 ))
    echo "$t $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/time")"
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# rounds NAME=CMD... : N rounds, each running every NAME's command once, in turn; sets R_NAME to
# "MEDIAN_WALL MEDIAN_CPU".
rounds() {
    local -A walls=() cpus=()
    local pair name r
    for _ in $(seq "$N"); do
        for pair in "$@"; do
            name=${pair%%=*}
            r=$(run_once sh -c "${pair#*=}")
            walls[$name]+="${r% *} "; cpus[$name]+="${r#* } "
        done
    done
    for pair in "$@"; do
        name=${pair%%=*}
        # shellcheck disable=SC2086
        printf -v "R_$name" '%s %s' "$(median ${walls[$name]})" "$(median ${cpus[$name]})"
    done
}
wall() { echo "${1% *}"; }
cpu() { echo "${1#* }"; }
site() { mkdir -p "$WORK/$1/content"; echo 'title = "bench"' > "$WORK/$1/helpsite.toml"; }
page() { printf '+++\ntitle = "p"\n+++\n\n# Bench\n' > "$1"; }
empty_snippet() { printf '\n```sh\n:\n```\n'; }

site none; page "$WORK/none/content/p.md"
site iso20; page "$WORK/iso20/content/p.md"; for i in $(seq 20); do printf '\n```sh {isolated}\n:\n```\n' >> "$WORK/iso20/content/p.md"; done
site chain200; page "$WORK/chain200/content/p.md"; for i in $(seq 200); do empty_snippet >> "$WORK/chain200/content/p.md"; done

printf '#!/bin/sh\nRAYON_NUM_THREADS=1 exec "%s" test --root "%s/$1"\n' "$BIN" "$WORK" > "$WORK/run.sh"
run() { sh "$WORK/run.sh" "$1"; }
rounds none="sh $WORK/run.sh none" iso20="sh $WORK/run.sh iso20" chain200="sh $WORK/run.sh chain200"
r_none=$R_none; r_pages=$R_iso20; r_chain=$R_chain200
per() { echo $(( ($(wall "$1") - $(wall "$r_none")) * 1000 / $2 ))µs wall, $(( ($(cpu "$1") - $(cpu "$r_none")) * 1000 / $2 ))µs CPU; }
echo "($PROFILE build, medians of $N alternating rounds; load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "process with no snippets:              $(wall "$r_none") ms wall, $(cpu "$r_none") ms CPU"
echo "1a. per snippet, own sandbox+remote:   $(per "$r_pages" 20)   (20 isolated snippets: each its own sandbox, mock remote, shell)"
echo "1b. per snippet, within a chain:       $(per "$r_chain" 200)   (200 snippets in one chain)"

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

# The baseline: helpsite remote already running, the same commands typed into one bash.
out="$WORK/remote.out"
"$BIN" remote --root "$WORK/typed-repos" > "$out" 2>&1 &
remote_pid=$!
trap 'kill $remote_pid 2>/dev/null || true' EXIT
while ! grep -q '^Ready' "$out" 2>/dev/null; do sleep 0.01; done
proxy=$(sed -n 's/.*export HTTPS_PROXY=\([^ ]*\) GIT_SSL_CAINFO=\(.*\)$/\1/p' "$out")
ca=$(sed -n 's/.*export HTTPS_PROXY=\([^ ]*\) GIT_SSL_CAINFO=\(.*\)$/\2/p' "$out")
home="$WORK/typed-home"
mkdir -p "$home"
token=$(awk '$NF == "$BITBUCKET_API_TOKEN" && $2 == "/" { print $3 }' "$out")
printf '#!/bin/sh\ncase "$1" in Username*) echo username;; *) echo %s;; esac\n' "$token" > "$home/askpass"
chmod +x "$home/askpass"
{
    echo "rm -rf '$home/work' && mkdir -p '$home/work' && cd '$home/work'"
    echo "export HOME='$home' HTTPS_PROXY='$proxy' GIT_SSL_CAINFO='$ca' GIT_ASKPASS='$home/askpass' GIT_CONFIG_NOSYSTEM=1"
    echo "export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@example.com"
    printf '%s\n' "${CMDS[@]}"
} > "$WORK/typed.sh"
rounds harness="sh $WORK/run.sh push10" typed="bash -e $WORK/typed.sh"
r_harness=$R_harness; r_typed=$R_typed
t_harness=$(wall "$r_harness"); t_typed=$(wall "$r_typed")
echo "2. 10 transcripts with push/fetch:     helpsite test ${t_harness} ms, typed into one shell against helpsite remote ${t_typed} ms: ratio $(awk "BEGIN{printf \"%.2f\", $t_harness/$t_typed}") (wall)"
