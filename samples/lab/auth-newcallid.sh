#!/bin/bash
# Real run: a phone (auth_phone.py, 127.0.0.10:5060, user alice) that answers each digest
# challenge with a new Call-ID and a new From tag, through Kamailio with kamailio-auth.cfg
# (REGISTER challenged with 401, INVITE with 407), calling a SIPp Bob (127.0.0.20:5062,
# registered first with reg_auth.xml, which keeps its Call-ID) who answers; RTP both ways
# (Bob echoes), BYE from the caller. Usage: auth-newcallid.sh OUT.pcap
set -u
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cd "$tmp"
tcpdump -i lo -s 0 -U -w "$out" 'host 127.0.0.2 or host 127.0.0.10 or host 127.0.0.20' >/dev/null 2>&1 &
tpid=$!
sleep 1
kamailio -f "$here/kamailio-auth.cfg" -P "$tmp/kam.pid" -Y "$tmp" -E >"$tmp/kam.log" 2>&1
sleep 1
sipp 127.0.0.2:5060 -sf "$here/reg_auth.xml" -s bob -au bob -ap secret -i 127.0.0.20 -p 5062 -m 1 -nostdin >/dev/null 2>&1
bg=$(sipp -sf "$here/uas_bob_callerbye.xml" -i 127.0.0.20 -p 5062 -mi 127.0.0.20 -mp 6000 -rtp_echo -m 1 -bg 2>&1)
bob=$(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p")
sleep 1
python3 "$here/auth_phone.py" 127.0.0.2 alice secret 127.0.0.10 5060 7000 bob
echo "phone exit: $?"
sleep 2
kill "$(cat "$tmp/kam.pid")" 2>/dev/null
sleep 1
kill "$bob" 2>/dev/null; sleep 1; kill "$tpid"
wait 2>/dev/null
grep -i -E "error|crit" "$tmp/kam.log" | head
rm -rf "$tmp"
