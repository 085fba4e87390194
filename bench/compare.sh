#!/usr/bin/env bash
# Times sipladder against tshark and sngrep on one large capture, in one run, and prints wall
# time, peak memory and the ratios. Builds the capture from the lab call with
# examples/replicate.rs (COPIES calls, 10 ms apart, each with 13 SIP messages and 182 RTP).
#
#   bench/compare.sh [COPIES] [CAPTURE]
#
# COPIES defaults to 32000 (about 2 GB, 416,000 SIP messages); CAPTURE to bench/out/calls.pcap.
# Needs /usr/bin/time and python3; tshark and sngrep are timed when installed
# (apt-get install tshark sngrep). Not part of CI: the tshark run alone takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-32000}
capture=${2:-bench/out/calls.pcap}
mkdir -p "$(dirname "$capture")"

cargo build --release --quiet --bin sipladder --example replicate
bin=target/release/sipladder
if [ ! -s "$capture" ] || [ "$(cat "$capture.copies" 2>/dev/null)" != "$copies" ]; then
  # Frames 11 onwards of the lab capture: the call (registrations left out).
  target/release/examples/replicate samples/lab-udp.pcap "$capture" "$copies" 10 11
  echo "$copies" > "$capture.copies"
fi
size=$(stat -c %s "$capture")
cat "$capture" > /dev/null   # warm the page cache: every tool reads from memory

measure() {  # name, command...: prints "name seconds peak_kib"
  local name=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" > "$log.out" 2> "$log" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$name $wall $rss"
  mv "$log.out" "bench/out/$name.out"; rm -f "$log"
}

results=()
results+=("$(measure sipladder-stats "$bin" stats --json "$capture")")
results+=("$(measure sipladder-calls "$bin" calls --json "$capture")")
results+=("$(measure sipladder-flow "$bin" flow --call 100 --format ascii "$capture")")
if command -v tshark >/dev/null; then
  results+=("$(measure tshark tshark -r "$capture" -q -z sip,stat)")
fi
if command -v sngrep >/dev/null; then
  results+=("$(measure sngrep sngrep -I "$capture" -N -q -l 1000000 -O /dev/null)")
fi

ours=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sip_messages"])' bench/out/sipladder-stats.out)
echo
printf 'capture: %s (%d MB, %d calls), sipladder counts %s SIP messages\n' "$capture" $((size / 1000000)) "$copies" "$ours"
if [ -s bench/out/tshark.out ]; then
  theirs=$(awk '/Number of SIP messages/ {print $NF}' bench/out/tshark.out)
  if [ "$theirs" = "$ours" ]; then echo "tshark agrees: $theirs SIP messages"; else echo "COUNTS DIFFER: tshark $theirs, sipladder $ours"; fi
fi
echo
printf '%s\n' "${results[@]}" | python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
base = float(rows[0][1])
print("%-18s %10s %12s %14s" % ("tool", "wall (s)", "peak RSS MB", "x sipladder"))
for name, wall, rss in rows:
    print("%-18s %10.2f %12.0f %14.1f" % (name, float(wall), int(rss) / 1024, float(wall) / base))
'
