#!/usr/bin/env bash
# The cost of signature verification (issue 14): a synthetic repository whose every commit is
# SSH-signed by its author (examples/synth_repo.rs --sign), checked cold (no .git/isms cache)
# with `[independence] signatures` set to "off", "records" and "all" (each committed: only the
# committed setting counts), then warm with "all". Best of 3 by CPU time (user + system), wall
# time in brackets. ISMS_BIN=path measures another build of isms (a before/after comparison).
# Usage: bench/signatures.sh [SIZES...] (default: 10000). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(10000)
cargo build --release --quiet --bin isms --example synth_repo
isms="${ISMS_BIN:-$PWD/target/release/isms}"
synth="$PWD/target/release/examples/synth_repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source bench/measure.sh

echo "| commits | cold, off: cpu (wall) | cold, records | cold, all | all / off | warm, all |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  repo="$work/r$n"
  "$synth" "$repo" --commits "$n" --sign >/dev/null
  clear_cache() { rm -rf "$repo/.git/isms"; }
  nothing() { :; }
  check=("$isms" check "$repo/isms" --format json --today 2026-11-27)
  mode() {
    sed -i "s/^signatures = .*/signatures = \"$1\"/" "$repo/isms/isms.toml"
    git -C "$repo" -c commit.gpgsign=false -c user.name=bench -c user.email=bench@bench.example commit -qam "signatures = $1" --allow-empty
  }
  mode off; read -r oc ow _ < <(best clear_cache "${check[@]}")
  mode records; read -r rc rw _ < <(best clear_cache "${check[@]}")
  mode all; read -r ac aw _ < <(best clear_cache "${check[@]}")
  "${check[@]}" >/dev/null || true
  read -r wc ww _ < <(best nothing "${check[@]}")
  awk -v n="$n" -v oc="$oc" -v ow="$ow" -v rc="$rc" -v rw="$rw" -v ac="$ac" -v aw="$aw" -v wc="$wc" -v ww="$ww" 'BEGIN {
    printf "| %s | %.2fs (%.2fs) | %.2fs (%.2fs) | %.2fs (%.2fs) | %+.0f%% | %.2fs (%.2fs) |\n",
      n, oc, ow, rc, rw, ac, aw, 100 * (ac - oc) / oc, wc, ww }'
  rm -rf "$repo"
done
