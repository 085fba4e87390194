#!/bin/bash
# ICMP port unreachable quoting SIP: Alice (127.0.0.10:5060) sends OPTIONS to 127.0.0.2:5999 where
# nothing listens; the kernel answers each datagram (and its retransmissions) with ICMP type 3 code 3.
# Usage: icmp.sh OUT.pcap
set -u
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cd "$tmp"
tcpdump -i lo -s 0 -U -w "$out" 'host 127.0.0.2 or host 127.0.0.10' >/dev/null 2>&1 &
tpid=$!
sleep 1
sipp 127.0.0.2:5999 -sf "$here/options_closed.xml" -s proxy -i 127.0.0.10 -p 5060 -m 1 -nostdin >/dev/null 2>&1
echo "sipp exit: $?"
sleep 1
kill "$tpid"; wait 2>/dev/null
rm -rf "$tmp"
