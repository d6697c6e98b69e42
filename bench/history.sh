#!/usr/bin/env bash
# The history-index benchmark (DESIGN.md section 7, issue 3 item 8): for each size, a synthetic
# repository (examples/synth_repo.rs), then on the same machine in the same run:
#   git log --no-merges --name-only   the reference
#   isms check (first)                no cache: one revision walk and every tree diff
#   isms check (cached)               the cache under .git/isms/ is current: no walk
# Wall time is the best of 3 runs; peak memory (max RSS) from /usr/bin/time.
# Usage: bench/history.sh [SIZES...]   (default: 1000 10000 50000). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(1000 10000 50000)
cargo build --release --quiet --bin isms --example synth_repo
isms="$PWD/target/release/isms"
synth="$PWD/target/release/examples/synth_repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# best of 3 wall-clock seconds of "$@", output discarded
best() {
  local best=""
  for _ in 1 2 3; do
    local t0 t1 d
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (( $(echo "$d < $best" | bc -l) )); then best=$d; fi
  done
  printf '%.3f' "$best"
}
rss() { { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1; }
first() { rm -rf "$1/.git/isms"; "$isms" check "$1/isms" --format json --today 2026-11-27; }

echo "| commits | git log --no-merges --name-only | isms check, first | ratio | isms check, cached | cached/first | max RSS first / cached |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  repo="$work/r$n"
  "$synth" "$repo" --commits "$n" >/dev/null
  git -C "$repo" log --no-merges --name-only >/dev/null   # warm the page cache for everyone
  g=$(best git -C "$repo" log --no-merges --name-only)
  f=$(best first "$repo")
  "$isms" check "$repo/isms" --format json --today 2026-11-27 >/dev/null || true
  c=$(best "$isms" check "$repo/isms" --format json --today 2026-11-27)
  rf=$(rm -rf "$repo/.git/isms"; rss "$isms" check "$repo/isms" --format json --today 2026-11-27)
  rc=$(rss "$isms" check "$repo/isms" --format json --today 2026-11-27)
  printf '| %s | %ss | %ss | %.2fx | %ss | %.1f%% | %s MB / %s MB |\n' "$n" "$g" "$f" "$(echo "$f / $g" | bc -l)" "$c" \
    "$(echo "100 * $c / $f" | bc -l)" "$((rf / 1024))" "$((rc / 1024))"
  rm -rf "$repo"
done
