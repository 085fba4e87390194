#!/bin/bash
# Produces real captures of the seed's topology on loopback: kamailio (proxy, registrar, digest auth)
# between sipp phones and a sipp back-end registrar. Usage: capture.sh OUT.pcap [calls] [rate]
# Environment (all optional; the defaults give the plain lab capture):
#   SIPP_T="-t t1"        SIP over TCP
#   CAP_IF=lo CAP_Y=      tcpdump interface and link type (e.g. CAP_IF=any CAP_Y=LINUX_SLL)
#   KAM_CFG=FILE          kamailio configuration (default kamailio.cfg beside this script)
#   UAC=FILE UAS=FILE     scenarios of Alice (caller) and Bob (callee)
#   UAS2=FILE             if set, a second Bob registers from 127.0.0.21:5064 and runs this scenario (forking)
#   SKIP_REG202=1         skip the REGISTER of user 202 via the back-end registrar
#   NO_CALL=1             stop after the REGISTERs
#   REG_OPTS="..."        extra sipp options for the REGISTER of 202 (e.g. -max_non_invite_retrans 3)
#   END_WAIT=N            seconds to keep capturing after the last phone is done (default 2)
set -u
out=$(realpath -m "$1"); calls=${2:-1}; rate=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
cfg=${KAM_CFG:-$here/kamailio.cfg}; uac=${UAC:-$here/uac_alice.xml}; uas=${UAS:-$here/uas_bob.xml}
tmp=$(mktemp -d)
cd "$tmp"
pids=()
filter='host 127.0.0.2 or host 127.0.0.3 or host 127.0.0.10 or host 127.0.0.20 or host 127.0.0.21'
tcpdump -i "${CAP_IF:-lo}" ${CAP_Y:+-y "$CAP_Y"} -s 0 -U -w "$out" "$filter" >/dev/null 2>&1 &
pids+=($!)
sleep 1
kamailio -f "$cfg" -P "$tmp/kam.pid" -Y "$tmp" -E >"$tmp/kam.log" 2>&1
sleep 1
bg=$(sipp -sf "$here/server_reg.xml" -i 127.0.0.3 -p 5080 -bg ${SIPP_T:-} 2>&1); pids+=($(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"))
[ -n "${SKIP_REG202:-}" ] || sipp 127.0.0.2:5060 -sf "$here/reg_auth.xml" -s 202 -au 202 -ap secret -i 127.0.0.10 -p 5060 -m 1 -nostdin ${REG_OPTS:-} ${SIPP_T:-} >/dev/null 2>&1
sipp 127.0.0.2:5060 -sf "$here/reg_auth.xml" -s bob -au bob -ap secret -i 127.0.0.20 -p 5062 -m 1 -nostdin ${SIPP_T:-} >/dev/null 2>&1
if [ -n "${UAS2:-}" ]; then
  sipp 127.0.0.2:5060 -sf "$here/reg_auth.xml" -s bob -au bob -ap secret -i 127.0.0.21 -p 5064 -m 1 -nostdin ${SIPP_T:-} >/dev/null 2>&1
fi
if [ -z "${NO_CALL:-}" ]; then
  bg=$(sipp -sf "$uas" -i 127.0.0.20 -p 5062 -mi 127.0.0.20 -mp 6000 -rtp_echo -bg ${SIPP_T:-} 2>&1); pids+=($(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"))
  if [ -n "${UAS2:-}" ]; then
    bg=$(sipp -sf "$UAS2" -i 127.0.0.21 -p 5064 -mi 127.0.0.21 -mp 6002 -rtp_echo -bg ${SIPP_T:-} 2>&1); pids+=($(echo "$bg" | sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"))
  fi
  sleep 1
  sipp 127.0.0.2:5060 -sf "$uac" -s bob -i 127.0.0.10 -p 5060 -mi 127.0.0.10 -mp 7000 -m "$calls" -r "$rate" -l 200 -nostdin -timeout 600 ${SIPP_T:-} >"$tmp/alice.log" 2>&1
  echo "alice sipp exit: $?"
fi
sleep "${END_WAIT:-2}"
kill "$(cat "$tmp/kam.pid")" 2>/dev/null
sleep 1
kill "${pids[@]:1}" 2>/dev/null; sleep 1; kill "${pids[0]}"
wait 2>/dev/null
tail -20 "$tmp/kam.log" | grep -i -E "error|crit" | head
rm -rf "$tmp"
