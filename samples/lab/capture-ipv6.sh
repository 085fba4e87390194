#!/bin/bash
# IPv6 variant of capture.sh: every party on ::1, told apart by port (proxy 5060, back-end
# registrar 5080, Alice/202 5070, Bob 5062; RTP 7000/6010: 6000 is taken by the back-end registrar sipp, which binds its default media port on ::1 too). Usage: capture-ipv6.sh OUT.pcap
# UAC=FILE: scenario of the caller (default uac_alice.xml).
set -u
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
uac=${UAC:-$here/uac_alice.xml}
tmp=$(mktemp -d)
cd "$tmp"
pids=()
tcpdump -i lo -s 0 -U -w "$out" 'ip6 and (udp or tcp)' >/dev/null 2>&1 &
pids+=($!)
sleep 1
kamailio -f "$here/kamailio-ipv6.cfg" -P "$tmp/kam.pid" -Y "$tmp" -E >"$tmp/kam.log" 2>&1
sleep 1
bg=$(sipp -sf "$here/server_reg.xml" -i ::1 -p 5080 -bg ${SIPP_T:-} 2>&1); pids+=($(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"))
sipp [::1]:5060 -sf "$here/reg_auth.xml" -s 202 -au 202 -ap secret -i ::1 -p 5070 -m 1 -nostdin ${SIPP_T:-} >/dev/null 2>&1
sipp [::1]:5060 -sf "$here/reg_auth.xml" -s bob -au bob -ap secret -i ::1 -p 5062 -m 1 -nostdin ${SIPP_T:-} >/dev/null 2>&1
bg=$(sipp -sf "$here/uas_bob.xml" -i ::1 -p 5062 -mi ::1 -mp 6010 -rtp_echo -bg ${SIPP_T:-} 2>&1); pids+=($(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"))
sleep 1
sipp [::1]:5060 -sf "$uac" -s bob -i ::1 -p 5070 -mi ::1 -mp 7000 -m 1 -l 200 -nostdin -timeout 600 ${SIPP_T:-} >"$tmp/alice.log" 2>&1
echo "alice sipp exit: $?"
sleep 2
kill "$(cat "$tmp/kam.pid")" 2>/dev/null
sleep 1
kill "${pids[@]:1}" 2>/dev/null; sleep 1; kill "${pids[0]}"
wait 2>/dev/null
tail -20 "$tmp/kam.log" | grep -i -E "error|crit" | head
rm -rf "$tmp"
