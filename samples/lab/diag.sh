#!/bin/bash
# Real lab runs of calls and registrations that go wrong, one situation per capture (the diag-*
# samples). The lab topology of capture.sh: Kamailio (kamailio-diag.cfg) on 127.0.0.2:5060, Alice
# (SIPp) 127.0.0.10:5060 RTP 7000, Bob (SIPp) 127.0.0.20:5062 RTP 6000, who registers first (401,
# credentials, 200) where the call needs him. Run as root. Usage: diag.sh CASE OUT.pcap
#   wrong-password  202 registers with a wrong password: 401, credentials, 401, credentials, 401
#   declined        Bob rings 2 s, then 603 Decline (uas_decline.xml)
#   not-acceptable  Alice offers G.729 only, Bob (G.711 only) answers 488 (uas_codec.xml)
#   not-found       Alice calls carol, who has no registered contact: 404 from the proxy
#   unavailable     Bob's phone is on do not disturb: 480 (uas_dnd.xml)
#   server-error    Alice calls 0033123456789: the proxy answers 503 with Retry-After: 30
#   no-ack          Bob answers, Alice never ACKs: the 200 is sent 10 times (9 retransmissions, SIPp
#                   -max_non_invite_retrans 9: 0.5 s doubling to 4 s, about 32 s), then BYE from Bob
#   one-way         answered call, Alice sends RTP, Bob none (SIPp without -rtp_echo); Bob hangs up
#   still-up        answered call, RTP both ways; the capture stops 3 s after the ACK, no BYE
#   lossy           network namespaces (nets below): Alice 198.51.100.10 behind a router that drops
#                   8 % of the RTP packets it forwards to Bob's RTP port (iptables statistic match,
#                   FORWARD); 8 s of RTP each way (rtp_audio.py), Alice's from a starved sender that
#                   wakes every 20 to 200 ms and sends what fell due in a burst (jitter); Alice
#                   hangs up
#   nat             network namespaces (nets below): Alice at 192.168.1.50 behind a NAT router
#                   (MASQUERADE to 203.0.113.5), proxy 203.0.113.2 (kamailio-nat.cfg), Bob
#                   203.0.113.20 on a bridge; captured on the bridge (the proxy's side); Bob echoes
#                   RTP, Bob hangs up
set -u
case=$1
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cd "$tmp"
NS=()                         # command prefix running in a network namespace (lossy, nat)
CFG=$here/kamailio-diag.cfg
PROXY=127.0.0.2; ALICE=127.0.0.10; BOB=127.0.0.20
CAP_IF=lo
FILTER='host 127.0.0.2 or host 127.0.0.10 or host 127.0.0.20'
pids=()
nss=()

sipp_pid() { sed -n "s/.*PID=\[\([0-9]*\)\].*/\1/p"; }
start_capture() {
  "${NS[@]}" tcpdump -i "$CAP_IF" -s 0 -U -w "$out" $FILTER >/dev/null 2>&1 &
  tpid=$!
  sleep 1
}
start_kamailio() {
  "${NS[@]}" kamailio -f "$CFG" -P "$tmp/kam.pid" -Y "$tmp" -E >"$tmp/kam.log" 2>&1
  sleep 1
}
register_bob() {
  "${BOB_NS[@]}" sipp "$PROXY:5060" -sf "$here/reg_auth.xml" -s bob -au bob -ap secret -i "$BOB" -p 5062 -m 1 -nostdin >/dev/null 2>&1
}
# start_bob SCENARIO [sipp options...]: Bob in the background, one call
start_bob() {
  local scen=$1; shift
  pids+=($("${BOB_NS[@]}" sipp -sf "$here/$scen" -i "$BOB" -p 5062 -mi "$BOB" -mp 6000 -bg "$@" 2>&1 | sipp_pid))
  sleep 1
}
# alice SCENARIO CALLEE [sipp options...]: Alice's call, in the foreground
alice() {
  local scen=$1 callee=$2; shift 2
  "${ALICE_NS[@]}" sipp "$PROXY:5060" -sf "$here/$scen" -s "$callee" -i "$ALICE" -p 5060 -mi "$ALICE" -mp 7000 \
    -m 1 -nostdin -timeout 120 "$@" >"$tmp/alice.log" 2>&1
  echo "alice sipp exit: $?"
}
stop_all() {
  sleep "${1:-2}"
  kill "$(cat "$tmp/kam.pid")" 2>/dev/null
  sleep 1
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  sleep 1
  kill "$tpid" 2>/dev/null
  wait 2>/dev/null
  grep -i -E "error|crit" "$tmp/kam.log" | head
}
cleanup() {
  for ns in "${nss[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ALICE_NS=(); BOB_NS=()

# a call through the proxy to a registered Bob: call BOB_SCENARIO ALICE_SCENARIO [bob sipp options]
call() {
  local uas=$1 uac=$2; shift 2
  start_capture; start_kamailio; register_bob
  start_bob "$uas" "$@"
  alice "$uac" bob
  stop_all
}

# nets LAN_PREFIX HOST [routed]: network namespaces. sipdiag-pub: a bridge br0 holding the proxy's address
# 203.0.113.2/24, with the router's WAN port and Bob's port on it; sipdiag-bob: Bob 203.0.113.20;
# sipdiag-gw: a router, WAN 203.0.113.5/24, LAN LAN_PREFIX.1/24; sipdiag-lan: Alice LAN_PREFIX.HOST,
# default route via the router; with "routed" the public side has a route to the LAN through the
# router (else the LAN is reachable only through NAT). IPv6 off. The capture is taken on br0 (the proxy's side).
nets() {
  local lp=$1 host=$2 routed=${3:-}
  pub=sipdiag-pub; gw=sipdiag-gw; lan=sipdiag-lan; bobns=sipdiag-bob
  nss+=("$pub" "$gw" "$lan" "$bobns")
  for ns in "${nss[@]}"; do
    ip netns del "$ns" 2>/dev/null; ip netns add "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  ip -n "$pub" link add br0 type bridge
  ip -n "$pub" link add pub-gw type veth peer name wan netns "$gw"
  ip -n "$pub" link add pub-bob type veth peer name eth0 netns "$bobns"
  ip -n "$pub" link set pub-gw master br0; ip -n "$pub" link set pub-bob master br0
  ip -n "$pub" addr add 203.0.113.2/24 dev br0
  for l in br0 pub-gw pub-bob; do ip -n "$pub" link set "$l" up; done
  ip -n "$bobns" addr add 203.0.113.20/24 dev eth0; ip -n "$bobns" link set eth0 up
  if [ "$routed" = routed ]; then   # the LAN is reachable from the public side (no NAT)
    ip -n "$bobns" route add "$lp.0/24" via 203.0.113.5
    ip -n "$pub" route add "$lp.0/24" via 203.0.113.5
  fi
  ip -n "$gw" link add lan type veth peer name eth0 netns "$lan"
  ip -n "$gw" addr add 203.0.113.5/24 dev wan; ip -n "$gw" addr add "$lp.1/24" dev lan
  ip -n "$gw" link set wan up; ip -n "$gw" link set lan up
  ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$lan" addr add "$lp.$host/24" dev eth0; ip -n "$lan" link set eth0 up
  ip -n "$lan" route add default via "$lp.1"
  sleep 1
  NS=(ip netns exec "$pub"); ALICE_NS=(ip netns exec "$lan"); BOB_NS=(ip netns exec "$bobns")
  CFG=$here/kamailio-nat.cfg; PROXY=203.0.113.2; ALICE=$lp.$host; BOB=203.0.113.20
  CAP_IF=br0; FILTER=
}

case $case in
  wrong-password)
    start_capture; start_kamailio
    sipp "$PROXY:5060" -sf "$here/reg_wrongpw.xml" -s 202 -au 202 -ap secret2 -i "$ALICE" -p 5060 -m 1 -nostdin >/dev/null 2>&1
    echo "sipp exit: $?"
    stop_all ;;
  declined) call uas_decline.xml uac_refused.xml -rtp_echo ;;
  not-acceptable) call uas_codec.xml uac_g729.xml -rtp_echo ;;
  unavailable) call uas_dnd.xml uac_refused.xml ;;
  not-found)
    start_capture; start_kamailio
    alice uac_refused.xml carol
    stop_all ;;
  server-error)
    start_capture; start_kamailio
    alice uac_refused.xml 0033123456789
    stop_all ;;
  no-ack) call uas_noack.xml uac_noack.xml -rtp_echo -max_non_invite_retrans 9 ;;
  one-way) call uas_bob.xml uac_alice.xml ;;
  still-up)
    start_capture; start_kamailio; register_bob
    start_bob uas_bob_callerbye.xml -rtp_echo
    pids+=($(sipp "$PROXY:5060" -sf "$here/uac_stillup.xml" -s bob -i "$ALICE" -p 5060 -mi "$ALICE" -mp 7000 -m 1 -bg 2>&1 | sipp_pid))
    sleep 3.5
    kill "$tpid"; sleep 1          # the capture ends while the call is up
    tpid=
    stop_all 0 ;;
  lossy)
    # Alice on a public-looking LAN 198.51.100.0/24 behind a router that loses 8 % of the RTP packets
    # it forwards to Bob's RTP port (a lossy access link)
    nets 198.51.100 10 routed
    ip netns exec "$gw" iptables -A FORWARD -p udp -d 203.0.113.20 --dport 6000 -m statistic --mode random --probability 0.08 -j DROP
    python3 "$here/rtp_audio.py" alice-audio.pcap 8 200 9 440
    python3 "$here/rtp_audio.py" bob-audio.pcap 8 0 18 330
    call uas_tone.xml uac_tone.xml
    ip netns exec "$gw" iptables -L FORWARD -v -n ;;
  nat)
    # Alice at 192.168.1.50 behind a NAT router: MASQUERADE to its WAN address 203.0.113.5
    nets 192.168.1 50
    ip netns exec "$gw" iptables -t nat -A POSTROUTING -o wan -s 192.168.1.0/24 -j MASQUERADE
    call uas_bob.xml uac_alice.xml -rtp_echo ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
