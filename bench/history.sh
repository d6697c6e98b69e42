#!/usr/bin/env bash
# The history-index benchmark (issue 3 item 8): for each size, a synthetic
# repository (examples/synth_repo.rs), then on the same machine in the same run:
#   git log --no-merges --name-only   the reference
#   isms check (first)                no cache: one revision walk and every tree diff
#   isms check (cached)               the cache under .git/isms/ is current: no walk
# Each figure is the best of 3 runs, as CPU time (user + system: steady on a shared machine)
# and wall time; peak memory is max RSS. Prints a Markdown table.
# Usage: bench/history.sh [SIZES...] [--repo PATH]...
#   SIZES        synthetic histories of that many commits (default 1000 10000 50000, none
#                when only --repo is given)
#   --repo PATH  a real repository: cloned (hard links) with a synthetic ISMS committed on top,
#                whose areas share its top-level folders (examples/synth_repo.rs --on)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=()
repos=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) [ $# -ge 2 ] || { echo "--repo takes a path" >&2; exit 2; }
            repos+=("$(cd "$2" && pwd)"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -eq 0 ] && [ ${#repos[@]} -eq 0 ] && sizes=(1000 10000 50000)
cargo build --release --quiet --bin isms --example synth_repo
isms="$PWD/target/release/isms"
synth="$PWD/target/release/examples/synth_repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source bench/measure.sh

echo "| history | git log: cpu (wall) | isms first: cpu (wall) | first / git log | isms cached: cpu (wall) | cached / first | max RSS: git log, first, cached |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
# One row: "$1" names the history, "$repo" holds it with the ISMS at "$repo/isms".
row() {
  local n=$1
  nothing() { :; }
  clear_cache() { rm -rf "$repo/.git/isms"; }
  check=("$isms" check "$repo/isms" --format json --today 2026-11-27)
  read -r gc gw gm < <(best nothing git -C "$repo" log --no-merges --name-only)
  read -r fc fw fm < <(best clear_cache "${check[@]}")
  "${check[@]}" >/dev/null || true
  read -r cc cw cm < <(best nothing "${check[@]}")
  awk -v n="$n" -v gc="$gc" -v gw="$gw" -v gm="$gm" -v fc="$fc" -v fw="$fw" -v fm="$fm" -v cc="$cc" -v cw="$cw" -v cm="$cm" 'BEGIN {
    printf "| %s | %.2fs (%.2fs) | %.2fs (%.2fs) | %.2fx | %.3fs (%.3fs) | %.1f%% | %d / %d / %d MB |\n",
      n, gc, gw, fc, fw, fc / gc, cc, cw, 100 * cc / fc, gm / 1024, fm / 1024, cm / 1024 }'
  rm -rf "$repo"
}
for n in ${sizes[@]+"${sizes[@]}"}; do
  repo="$work/r$n"
  "$synth" "$repo" --commits "$n" >/dev/null
  row "$n"
done
for real in ${repos[@]+"${repos[@]}"}; do
  repo="$work/real"
  "$synth" "$repo" --on "$real" >/dev/null
  name=$(basename "$real"); [ "$name" = repo ] && name=$(basename "$(dirname "$real")")
  row "$name at $(git -C "$repo" rev-parse --short=12 HEAD~1), $(git -C "$repo" rev-list --count HEAD)"
done
