#!/usr/bin/env bash
# Times gix against libgit2 over every non-merge commit of each REPO (see src/main.rs), next to
# `git log --no-merges --name-only`: three interleaved rounds (every variant once per round),
# best CPU time (user + system) of 3, wall time of that run, max RSS of all 3. Prints a
# Markdown table per repository, after checking that the variants that should find the same
# changes did (same commit count, path count and digest).
# Usage: bench/gix-probe/run.sh REPO...
# Builds the probe with its own target folder (CARGO_TARGET_DIR, default /tmp/gixprobe-target;
# delete it when done): it is not a member of the isms workspace.
set -euo pipefail
cd "$(dirname "$0")"
[ $# -gt 0 ] || { sed -n '2,9p' "$0"; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/gixprobe-target}"
nice -n 19 cargo build --release --quiet
probe="$CARGO_TARGET_DIR/release/gix-probe"
# name|environment|command (REPO is replaced by the repository)
variants=(
  "git log --no-merges --name-only||git -C REPO log --no-merges --name-only"
  "git2-walk||$probe REPO git2-walk"
  "gix-walk||$probe REPO gix-walk"
  "gix-walk, object cache 4 MB|GIX_OBJECT_CACHE=4000000|$probe REPO gix-walk"
  "git2-raw (isms's walk)||$probe REPO git2-raw"
  "gix-diff||$probe REPO gix-diff"
  "gix-diff, object cache 4 MB, delta cache 96 MB|GIX_OBJECT_CACHE=4000000 GIX_PACK_CACHE=96000000|$probe REPO gix-diff"
  "git2-diff (diff_tree_to_tree, object cache on)|GIT2_CACHE=on|$probe REPO git2-diff"
  "git2-raw-renames (isms's walk)||$probe REPO git2-raw-renames"
  "git2-renames (diff_tree_to_tree + find_similar, object cache on)|GIT2_CACHE=on|$probe REPO git2-renames"
  "gix-renames (tree_with_rewrites)||$probe REPO gix-renames"
)
for repo in "$@"; do
  repo=$(cd "$repo" && pwd)
  declare -A cpu=() wall=() rss=() found=()
  for round in 1 2 3; do
    for v in "${variants[@]}"; do
      IFS='|' read -r name envs cmd <<<"$v"
      cmd=${cmd//REPO/$repo}
      out=/dev/null
      [[ $cmd == "$probe"* ]] && out=$(mktemp)
      # shellcheck disable=SC2086
      m=$(env $envs /usr/bin/time -f '%U %S %e %M' $cmd 2>&1 >"$out" | tail -1)
      if [ "$out" != /dev/null ]; then
        found[$name]=$(cut -f2- "$out" | tr '\t' ' ')
        rm -f "$out"
      fi
      read -r u s e k <<<"$m"
      c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
      if [ -z "${cpu[$name]:-}" ] || awk -v a="$c" -v b="${cpu[$name]}" 'BEGIN { exit !(a < b) }'; then
        cpu[$name]=$c; wall[$name]=$e
      fi
      [ "${rss[$name]:-0}" -ge "$k" ] || rss[$name]=$k
    done
  done
  base=${cpu["git log --no-merges --name-only"]}
  echo "$repo at $(git -C "$repo" rev-parse --short=12 HEAD): $(git -C "$repo" rev-list --count HEAD) commits, $(git -C "$repo" rev-list --count --no-merges HEAD) not merges"
  echo
  echo "| variant | cpu (wall) | / git log | max RSS | found |"
  echo "|---|---:|---:|---:|---|"
  for v in "${variants[@]}"; do
    IFS='|' read -r name _ _ <<<"$v"
    awk -v n="$name" -v c="${cpu[$name]}" -v w="${wall[$name]}" -v b="$base" -v k="${rss[$name]}" -v f="${found[$name]:-}" \
      'BEGIN { printf "| %s | %.2fs (%.2fs) | %.2fx | %d MB | %s |\n", n, c, w, c / b, k / 1024, f }'
  done
  echo
  unset cpu wall rss found
done
