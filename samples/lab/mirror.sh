#!/bin/bash
# A mirrored capture of a real lab run: every packet on lo is also copied (tc ingress filter on
# lo, action mirred egress mirror) to a veth interface whose peer sits in a network namespace of
# its own (the copies end there), and tcpdump -i any (LINUX_SLL2) records both lo and the veth:
# each packet twice, microseconds apart, identical from the IP header on. Runs capture.sh with
# the given environment (UAC/UAS/SKIP_REG202...). Usage: [VAR=...] mirror.sh OUT.pcap [calls]
set -u
here=$(cd "$(dirname "$0")" && pwd)
ns=sipmirror; dev=sipmir0; peer=sipmir1
cleanup() {
  tc qdisc del dev lo ingress 2>/dev/null
  ip link del "$dev" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
}
trap cleanup EXIT
cleanup
ip netns add "$ns"
ip link add "$dev" type veth peer name "$peer"
ip link set "$peer" netns "$ns"
ip netns exec "$ns" ip link set "$peer" up
ip link set "$dev" up
tc qdisc add dev lo ingress
tc filter add dev lo parent ffff: protocol ip prio 1 u32 match u32 0 0 action mirred egress mirror dev "$dev"
CAP_IF=any "$here/capture.sh" "$@"
