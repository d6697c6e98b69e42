#!/usr/bin/env bash
# Opens the example ISMS's site in headless Chromium (Debian's package): every main page must
# load with no console error and no failed request; saves screenshots of the dashboard and the
# SoA under target/browser-test/, and prints the SoA and an audit report to PDF, checking what
# the PDFs hold. Run by .ci/run; needs chromium and poppler-utils (pdftotext, pdfinfo).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "chromium not found: apt-get install -y chromium"; exit 1; }

out=target/browser-test
rm -rf "$out" && mkdir -p "$out"
site=$(mktemp -d)/site
profile=$(mktemp -d)
trap 'rm -rf "$(dirname "$site")" "$profile"' EXIT
# The example as `isms init --example` replays it: a repository whose history was written by
# its own people, so the charts over time (SoA maturity, objectives) have several points.
cargo run --quiet -- init --example "$(dirname "$site")/acme" >/dev/null
cargo run --quiet -- build "$(dirname "$site")/acme" --out "$site" --today 2026-11-27

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --hide-scrollbars --enable-logging=stderr --v=1
       --allow-file-access-from-files)

pages=(index.html soa.html controls/A.5.15.html risks.html documents.html
       documents/POL-ACCESS.html audits.html audits/IA-2026-01.html findings.html
       areas.html people.html rules.html)
# The pages that close the loop exist once the ISMS records reviews, objectives, incidents and
# maturity: checked like the others when the example has them.
for page in management-reviews.html objectives.html incidents.html maturity.html; do
  [ -e "$site/$page" ] && pages+=("$page")
done
# Loads a page; prints its errors: console messages (the site logs none, so any is an error
# or an uncaught exception), failed requests, and file requests for files that do not exist.
errors_of() {
  local url=$1 log=$2
  timeout 60 "$chromium" "${flags[@]}" --dump-dom "$url" > "$out/dom.html" 2> "$log" || echo "chromium failed"
  grep -q '</main>' "$out/dom.html" || echo "the page did not render"
  grep -E ':CONSOLE[:(]' "$log" || true
  grep 'net::ERR' "$log" | grep 'file://' || true
  grep -oE 'FileURLLoader::Start: file://[^ ]+' "$log" | sed 's|.*file://||' | while read -r f; do
    f=$(printf '%b' "${f//%/\\x}"); f=${f%%#*}; f=${f%%\?*}
    [ -e "$f" ] || echo "missing file: $f"
  done
}

# The detector itself: a page with a missing script and a console error must fail.
cat > "$site/broken-probe.html" <<'HTML'
<!DOCTYPE html><html><body><main></main><script src="no-such.js"></script><script>console.error("probe")</script></body></html>
HTML
probe=$(errors_of "file://$site/broken-probe.html" "$out/probe.log")
echo "$probe" | grep -q 'no-such.js' && echo "$probe" | grep -q 'probe' || { echo "FAIL the error detector missed the broken probe page: $probe"; exit 1; }
rm "$site/broken-probe.html"

status=0
for page in "${pages[@]}"; do
  errs=$(errors_of "file://$site/$page" "$out/$(echo "$page" | tr / _).log")
  if [ -n "$errs" ]; then echo "FAIL $page:"; echo "$errs"; status=1; else echo "ok   $page"; fi
done

# The search runs: its index loads and defines the objects.
cat > "$site/search-probe.html" <<'HTML'
<!DOCTYPE html><html data-root=""><body><input id="search"><ol id="search-results"></ol>
<script src="assets/search-index.js"></script><script src="assets/site.js"></script>
<script>var s=document.getElementById("search");s.value="access";s.dispatchEvent(new Event("input"));
document.title="hits:"+document.querySelectorAll("#search-results a").length;</script></body></html>
HTML
timeout 60 "$chromium" "${flags[@]}" --dump-dom "file://$site/search-probe.html" > "$out/search.html" 2>/dev/null
if grep -qE '<title>hits:[1-9]' "$out/search.html"; then echo "ok   search"; else echo "FAIL search: no result for 'access'"; status=1; fi

# Search finds objects by more than their titles: "invocation" is only a heading of PLN-BCP.
sed -i 's/s.value="access"/s.value="invocation"/; s/document.title="hits:"/document.title="first:"+(document.querySelector("#search-results a")||{}).getAttribute("href")+" hits:"/' "$site/search-probe.html"
timeout 60 "$chromium" "${flags[@]}" --dump-dom "file://$site/search-probe.html" > "$out/search-words.html" 2>/dev/null
if grep -qE '<title>first:documents/PLN-BCP.html hits:' "$out/search-words.html"; then echo "ok   search by heading"; else echo "FAIL search: 'invocation' does not find PLN-BCP: $(grep -o '<title>[^<]*' "$out/search-words.html")"; status=1; fi
rm "$site/search-probe.html"

# Printing: the SoA (landscape) and an audit report print to PDF with their whole content, the
# organisation and date on top, and no navigation.
print_pdf() {
  local page=$1 pdf="$out/$(echo "$1" | tr / _).pdf"
  timeout 60 "$chromium" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$site/$page.html" 2>/dev/null
  [ -s "$pdf" ] || { echo "FAIL $page did not print to PDF" >&2; return 1; }
  pdftotext -layout "$pdf" "$pdf.txt"
  echo "$pdf"
}
pdf_fails() { # pdf.txt, then the texts it must hold
  local text=$1; shift
  grep -q 'Acme MedTech Ltd · ISO/IEC 27001:2022 ISMS · as of 2026-11-27' "$text" || echo "no organisation and date on top"
  grep -qE '(^| )Dashboard( |$)' "$text" && echo "the navigation was printed"
  for want in "$@"; do grep -qF -- "$want" "$text" || echo "missing: $want"; done
}
if soa=$(print_pdf soa); then
  missing=$(for f in "$site"/controls/*.html; do id=$(basename "$f" .html); grep -qwF "$id" "$soa.txt" || echo "$id"; done)
  fails=$(pdf_fails "$soa.txt" "Statement of Applicability" "Justification"; [ -z "$missing" ] || echo "controls missing: $missing")
  size=$(pdfinfo "$soa" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2/p')
  awk -v s="$size" 'BEGIN { split(s, a, " "); exit !(a[1] > a[2]) }' || fails+=$'\nnot landscape: '"$size"
  if [ -z "$fails" ]; then echo "ok   soa.pdf ($(pdfinfo "$soa" | awk '/^Pages/ {print $2}') pages, all $(ls "$site"/controls | wc -l) controls)"; else echo "FAIL soa.pdf:"; echo "$fails"; status=1; fi
else status=1; fi
if report=$(print_pdf audits/IA-2026-01); then
  fails=$(pdf_fails "$report.txt" "IA-2026-01" "Impartiality of the audit team" "Checklist" "Report" "Findings" "F-2026-001")
  if [ -z "$fails" ]; then echo "ok   audits/IA-2026-01.pdf ($(pdfinfo "$report" | awk '/^Pages/ {print $2}') pages)"; else echo "FAIL audits/IA-2026-01.pdf:"; echo "$fails"; status=1; fi
else status=1; fi

for page in index soa; do
  timeout 60 "$chromium" "${flags[@]}" --window-size=1400,2200 --screenshot="$out/$page.png" "file://$site/$page.html" 2>/dev/null
  [ -s "$out/$page.png" ] || { echo "FAIL no screenshot of $page"; status=1; }
done
echo "screenshots: $out/index.png $out/soa.png"

# The trend charts: the objectives page and a maturity chart, screenshotted; each must hold a
# drawn chart (an <svg> with points) and give a non-empty image.
chart_shot() { # page, name
  local page=$1 name=$2
  if [ ! -e "$site/$page" ]; then echo "skip $name: the example has no $page yet (no objectives or maturity recorded)"; return 0; fi
  grep -qE '<(circle|rect) class="point' "$site/$page" || { echo "FAIL $page has no chart point"; return 1; }
  timeout 60 "$chromium" "${flags[@]}" --window-size=1200,1600 --screenshot="$out/$name.png" "file://$site/$page" 2>/dev/null
  [ -s "$out/$name.png" ] || { echo "FAIL no screenshot of $page"; return 1; }
  echo "ok   $name.png ($(stat -c %s "$out/$name.png") bytes)"
}
chart_shot objectives.html objectives || status=1
maturity_page=maturity.html
# A control whose maturity is charted, for the per-control chart.
control=$(grep -lE '<h2>Maturity</h2>' "$site"/controls/*.html 2>/dev/null | head -n1 || true)
chart_shot "$maturity_page" maturity || status=1
# The SoA's maturity grew over the replayed history: the theme charts plot more than one claim.
claims=$(grep -oE '<rect class="point' "$site/$maturity_page" | wc -l)
if [ "$claims" -ge 8 ]; then echo "ok   maturity.html plots $claims claimed points over time"; else echo "FAIL maturity.html plots $claims claimed points: no trend"; status=1; fi
if [ -n "$control" ]; then chart_shot "controls/$(basename "$control")" maturity-control || status=1; fi
exit $status
