#!/usr/bin/env bash
# Opens HTML reports in headless Chromium: checks the DOM after the page's script ran (the
# dashboard's charts, the ladder, and a message panel opened by selecting an arrow), the call
# table of a 10,000-call report filtered and sorted by the script and shown without it, prints
# the time to its first screenshot, and takes screenshots in the light and dark themes that
# must not be blank. Installs Chromium from the distribution if missing.
# Usage: tests/browser/check.sh [path/to/sipladder]   (run from the repository root)
set -euo pipefail
bin=${1:-target/debug/sipladder}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "browser check: installing chromium"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  if ! { $sudo apt-get update -qq >/dev/null && \
         DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; }; then
    # A machine that cannot install packages cannot run this check; say so loudly.
    echo "browser check: SKIPPED, chromium could not be installed on this machine"
    exit 0
  fi
  browser=$(command -v chromium)
fi

run_browser() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --virtual-time-budget=3000 "$@" 2>/dev/null
}

"$bin" report samples/lab-udp.pcap -o "$work/lab.html" >/dev/null
"$bin" report samples/hostile.pcap -o "$work/hostile.html" >/dev/null

# Selecting an arrow links to #c3-m7 (F7, the 200 OK to Alice): the script opens its panel.
run_browser --dump-dom "file://$work/lab.html#c3-m7" > "$work/dom.html"
grep -q '<details class="message selected" id="c3-m7" open' "$work/dom.html" \
  || { echo "browser check: the selected message panel did not open"; exit 1; }
arrows=$(grep -o 'class="arrow ' "$work/dom.html" | wc -l)
[ "$arrows" -ge 23 ] || { echo "browser check: $arrows arrows in the ladders, expected 23"; exit 1; }
grep -q 'SIP/2.0 200 OK' "$work/dom.html" || { echo "browser check: raw message missing"; exit 1; }
grep -q 'class="expl" data-lang="fr"' "$work/dom.html" || { echo "browser check: no explanation"; exit 1; }

# The hostile capture: no alert ran, nothing became a tag.
run_browser --dump-dom "file://$work/hostile.html" > "$work/hostile-dom.html"
if grep -q '<img src="x"' "$work/hostile-dom.html"; then
  echo "browser check: markup from the capture became a tag"; exit 1
fi

# The dashboard: every chart present, captioned and drawing something.
python3 tests/browser/charts.py "$work/dom.html" 9 >/dev/null \
  || { echo "browser check: dashboard of the lab report"; python3 tests/browser/charts.py "$work/dom.html" 9; exit 1; }

# A diagnosis code of the dashboard links to the table filtered on it (#q=media-loss).
"$bin" report samples/lab-udp.pcap samples/diag-lossy-rtp.pcap -o "$work/mixed.html" >/dev/null
run_browser --dump-dom "file://$work/mixed.html#q=media-loss" > "$work/mixed-dom.html"
grep -q 'href="#q=media-loss"' "$work/mixed.html" \
  || { echo "browser check: the diagnosis chart does not link media-loss"; exit 1; }
python3 tests/browser/rows.py "$work/mixed-dom.html" > "$work/mixed.txt"
head -1 "$work/mixed.txt" | grep -q '^rows 1–1 of 1 (5 in all)$' \
  || { echo "browser check: #q=media-loss shows '$(head -1 "$work/mixed.txt")'"; exit 1; }

# 10,000 calls built from the lab call (examples/replicate.rs, built by cargo test).
replicate="$(dirname "$bin")/examples/replicate"
[ -x "$replicate" ] || cargo build --quiet --example replicate
"$replicate" samples/lab-udp.pcap "$work/big.pcap" 10000 10 11 >/dev/null 2>&1
"$bin" report "$work/big.pcap" -o "$work/big.html" >/dev/null
rm -f "$work/big.pcap"
start=$(date +%s%N)
run_browser --screenshot="$work/big.png" --window-size=1400,900 "file://$work/big.html" >/dev/null
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "browser check: 10,000-call report, $(( $(stat -c %s "$work/big.html") / 1024 )) KiB, first screenshot after $elapsed ms"
python3 tests/browser/not_blank.py "$work/big.png" || { echo "browser check: the large report is blank"; exit 1; }
run_browser --dump-dom "file://$work/big.html" > "$work/big-dom.html"
python3 tests/browser/charts.py "$work/big-dom.html" 9 >/dev/null || { echo "browser check: dashboard of the large report"; exit 1; }
python3 tests/browser/rows.py "$work/big-dom.html" > "$work/rows.txt"
head -1 "$work/rows.txt" | grep -q '^rows 1–100 of 10000$' \
  || { echo "browser check: the table shows '$(head -1 "$work/rows.txt")'"; exit 1; }
# Sorted by number, last first, from the data.
run_browser --dump-dom "file://$work/big.html?sort=id&order=descending" > "$work/sorted.html"
python3 tests/browser/rows.py "$work/sorted.html" | sed -n '2p;3p' | cut -d' ' -f1 | tr '\n' ' ' | grep -q '^10000 9999 $' \
  || { echo "browser check: sorting by number did not put 10000 first"; exit 1; }
# Filtered on the data: every row drawn matches, fewer than all, more than none.
run_browser --dump-dom "file://$work/big.html?q=4321" > "$work/filtered.html"
python3 tests/browser/rows.py "$work/filtered.html" > "$work/filtered.txt"
matches=$(head -1 "$work/filtered.txt")
drawn=$(tail -n +2 "$work/filtered.txt" | wc -l)
[ "$drawn" -ge 1 ] && ! tail -n +2 "$work/filtered.txt" | grep -v -q 4321 && ! echo "$matches" | grep -q 'of 10000$' \
  || { echo "browser check: filtering on 4321 shows '$matches'"; exit 1; }
# Without JavaScript, the page as written (headless Chromium takes neither a screenshot nor a
# DOM with scripts off): the dashboard and the first 100 rows, with a note.
cp "$work/big.html" "$work/nojs.html"
python3 tests/browser/charts.py "$work/nojs.html" 9 >/dev/null || { echo "browser check: no dashboard without JavaScript"; exit 1; }
[ "$(grep -c '<tr data-call=' "$work/nojs.html")" -eq 100 ] && grep -q 'Without JavaScript, the table shows the first 100' "$work/nojs.html" \
  || { echo "browser check: without JavaScript, not the first 100 rows and their note"; exit 1; }

for theme in light dark; do
  run_browser --screenshot="$work/$theme.png" --window-size=1400,1000 "file://$work/lab.html?theme=$theme" >/dev/null
  python3 tests/browser/not_blank.py "$work/$theme.png" \
    || { echo "browser check: the $theme screenshot is blank"; exit 1; }
  if [ -n "${SIPLADDER_SCREENSHOTS:-}" ]; then cp "$work/$theme.png" "$SIPLADDER_SCREENSHOTS/report-$theme.png"; fi
  run_browser --screenshot="$work/big-$theme.png" --window-size=1400,2000 "file://$work/big.html?theme=$theme" >/dev/null
  python3 tests/browser/not_blank.py "$work/big-$theme.png" \
    || { echo "browser check: the $theme screenshot of the large report is blank"; exit 1; }
  if [ -n "${SIPLADDER_SCREENSHOTS:-}" ]; then cp "$work/big-$theme.png" "$SIPLADDER_SCREENSHOTS/large-report-$theme.png"; fi
done
echo "browser check: ok (dashboard, ladder, selected message, hostile capture inert, 10,000-call table sorted, filtered and without JavaScript, light and dark screenshots)"
