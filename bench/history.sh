#!/usr/bin/env bash
# The history-index benchmark (issue 3 item 8): for each size, a synthetic
# repository (examples/synth_repo.rs), then on the same machine in the same run:
#   git log --no-merges --name-only   the reference
#   isms check (first)                no cache: one revision walk and every tree diff
#   isms check (cached)               the cache under .git/isms/ is current: no walk
# Each figure is the best of 3 runs, as CPU time (user + system: steady on a shared machine)
# and wall time; peak memory is max RSS. Usage: bench/history.sh [SIZES...]
# (default: 1000 10000 50000). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(1000 10000 50000)
cargo build --release --quiet --bin isms --example synth_repo
isms="$PWD/target/release/isms"
synth="$PWD/target/release/examples/synth_repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One run of "$@": "cpu wall rss_kb" (the command's exit status is ignored).
measure() {
  { /usr/bin/time -f '%U %S %e %M' "$@" 2>&1 >/dev/null || true; } | tail -1 |
    awk '{ printf "%.3f %.3f %d\n", $1 + $2, $3, $4 }'
}
# Best of 3 by CPU time; "$prepare" runs before each (clears the cache for first runs).
best() {
  local prepare=$1; shift
  local out=""
  for _ in 1 2 3; do
    $prepare
    local m; m=$(measure "$@")
    if [ -z "$out" ] || awk -v a="${m%% *}" -v b="${out%% *}" 'BEGIN { exit !(a < b) }'; then out=$m; fi
  done
  echo "$out"
}

echo "| commits | git log: cpu (wall) | isms first: cpu (wall) | first / git log | isms cached: cpu (wall) | cached / first | max RSS: git log, first, cached |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  repo="$work/r$n"
  "$synth" "$repo" --commits "$n" >/dev/null
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
done
