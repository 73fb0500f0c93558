# Sourced by the bench scripts. shared_bench: the folder with gen_corpus.py and hugo-site/ —
# $HELPSITE_BENCH_DIR, else the project's shared/bench beside the clone (../shared/bench) or
# beside the worktree folder (../../shared/bench).
shared_bench() {
  local dir
  for dir in "${HELPSITE_BENCH_DIR:-}" ../shared/bench ../../shared/bench; do
    if [ -n "$dir" ] && [ -f "$dir/gen_corpus.py" ]; then
      (cd "$dir" && pwd)
      return
    fi
  done
  echo "bench: cannot find shared/bench/gen_corpus.py; set HELPSITE_BENCH_DIR" >&2
  return 1
}

# bench_repo GIT_DIR COMMITS: a bare repository of COMMITS generated commits (bench/remote_repo.py,
# ~50 MB at 10,000), packed; prints its size.
bench_repo() {
  echo "== building a $2-commit repository"
  mkdir -p "$(dirname "$1")"
  git init -q --bare -b main "$1"
  python3 bench/remote_repo.py "$2" | git --git-dir="$1" fast-import --quiet
  git --git-dir="$1" gc -q
  du -sh "$1" | sed 's/^/size: /'
}

# helpsite_bin PROFILE: builds the helpsite binary in PROFILE (release or debug) and prints its
# path.
helpsite_bin() {
  if [ "$1" = release ]; then cargo build -q --release --bin helpsite; else cargo build -q --bin helpsite; fi
  echo "$PWD/target/$1/helpsite"
}
