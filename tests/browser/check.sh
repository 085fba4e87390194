#!/usr/bin/env bash
# Opens HTML reports in headless Chromium: checks the DOM after the page's script ran (the
# ladder, and a message panel opened by selecting an arrow), and takes screenshots in the light
# and dark themes that must not be blank. Installs Chromium from the distribution if missing.
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

for theme in light dark; do
  run_browser --screenshot="$work/$theme.png" --window-size=1400,1000 "file://$work/lab.html?theme=$theme" >/dev/null
  python3 tests/browser/not_blank.py "$work/$theme.png" \
    || { echo "browser check: the $theme screenshot is blank"; exit 1; }
  if [ -n "${SIPLADDER_SCREENSHOTS:-}" ]; then cp "$work/$theme.png" "$SIPLADDER_SCREENSHOTS/report-$theme.png"; fi
done
echo "browser check: ok (ladder, selected message, hostile capture inert, light and dark screenshots)"
