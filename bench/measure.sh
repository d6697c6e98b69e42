# Shared by the benchmark scripts (sourced): timing a command by CPU and wall time and peak
# memory, best of three.
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
