#!/usr/bin/env bash
# Validates OSCAL JSON with the compliance-trestle client (`pip install compliance-trestle`):
# each file is imported into a fresh trestle workspace (`trestle import` validates the model as
# it reads it) and then checked with `trestle validate`.
#
#   scripts/validate-oscal.sh FILE...       validate these files
#   scripts/validate-oscal.sh --example     export every OSCAL model of example-isms (whole
#                                           programme and each audit) and validate them all
#   scripts/validate-oscal.sh --self-test   show that a malformed export fails validation
#
# ISMS runs the isms binary (default: `cargo run --quiet --`); TRESTLE the trestle client.
set -euo pipefail
cd "$(dirname "$0")/.."
TRESTLE=${TRESTLE:-trestle}
read -r -a ISMS <<< "${ISMS:-cargo run --quiet --}"
TODAY=2026-11-27

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && mkdir ws && cd ws && "$TRESTLE" init > /dev/null)

count=0
# Validates one file; prints VALID or INVALID with trestle's reasons; returns non-zero if invalid.
validate() {
  local file name dir
  file=$(realpath "$1")
  count=$((count + 1))
  name="isms-$count"
  if ! (cd "$work/ws" && "$TRESTLE" import -f "$file" -o "$name") > "$work/log" 2>&1; then
    echo "INVALID: $1"
    sed 's/^/  /' "$work/log"
    return 1
  fi
  dir=$(ls -d "$work"/ws/*/"$name")
  if ! (cd "$work/ws" && "$TRESTLE" validate -f "$dir"/*.json) > "$work/log" 2>&1; then
    echo "INVALID: $1"
    sed 's/^/  /' "$work/log"
    return 1
  fi
  echo "VALID: $1"
}

export_example() {
  local out=$1 model audit
  mkdir -p "$out"
  for model in assessment-plan assessment-results poam; do
    "${ISMS[@]}" export oscal "$model" example-isms --today "$TODAY" --out "$out/$model.json"
    for audit in $(ls example-isms/audits | grep -v '\.toml$'); do
      # An audit without a report has no results, one without open nonconformities no POA&M:
      # the export refuses ("nothing to write"), as OSCAL forbids empty documents.
      if ! "${ISMS[@]}" export oscal "$model" example-isms --audit "$audit" --today "$TODAY" \
          --out "$out/$model-$audit.json" 2> "$work/err"; then
        grep -q '^error: nothing to write' "$work/err" || { cat "$work/err"; exit 1; }
        echo "SKIPPED: $model of $audit: $(sed 's/^error: //' "$work/err")"
      fi
    done
  done
}

case "${1:-}" in
  --example)
    export_example "$work/example"
    status=0
    for f in "$work"/example/*.json; do validate "$f" || status=1; done
    exit $status
    ;;
  --self-test)
    mkdir -p "$work/self"
    "${ISMS[@]}" export oscal assessment-results example-isms --today "$TODAY" --out "$work/self/good.json"
    validate "$work/self/good.json" || { echo "self-test: a good export was rejected"; exit 1; }
    # Malformed: a finding without its target, and an observation with a method OSCAL lacks.
    python3 - "$work/self/good.json" "$work/self/bad.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
result = doc["assessment-results"]["results"][0]
del result["findings"][0]["target"]
result["observations"][0]["collected"] = "last Tuesday"
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY
    if validate "$work/self/bad.json"; then
      echo "self-test: a malformed export passed validation"
      exit 1
    fi
    echo "self-test: the malformed export was rejected, as it must be"
    ;;
  "" | -h | --help)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    [ -n "${1:-}" ] || exit 2
    ;;
  *)
    status=0
    for f in "$@"; do validate "$f" || status=1; done
    exit $status
    ;;
esac
