#!/bin/bash
# Remakes every lab sample (real runs on loopback + derived variants) and the expected counts.
# Usage: samples/lab/remake.sh [OUT_DIR]   (default: samples/ beside this folder; run as root)
# Needs: kamailio sip-tester tcpdump tshark tcpreplay wireshark-common iptables (Debian), scapy (pip).
# The public captures (samples/public/) are copied, not made: see samples/README.md.
set -eu
lab=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$lab/..}")
mkdir -p "$out/invalid" "$out/public"
tmp=$(mktemp -d)
cd "$tmp"
# real runs
"$lab/capture.sh" "$out/lab-udp.pcap"
SIPP_T="-t t1" "$lab/capture.sh" "$out/lab-tcp.pcap"
CAP_IF=any CAP_Y=LINUX_SLL "$lab/capture.sh" "$out/lab-udp-sll.pcap"
CAP_IF=any CAP_Y=LINUX_SLL2 "$lab/capture.sh" "$out/lab-udp-sll2.pcap"
"$lab/capture-ipv6.sh" "$out/lab-udp-ipv6.pcap"
UAC="$lab/uac_alice_bigsdp.xml" "$lab/capture.sh" "$tmp/big.pcap"
UAC="$lab/uac_alice_bigsdp.xml" "$lab/capture-ipv6.sh" "$tmp/big6.pcap"
"$lab/icmp.sh" "$out/icmp-unreachable.pcap"
"$lab/auth-newcallid.sh" "$out/lab-auth-newcallid.pcap"
UAC="$lab/uac_reg_invite.xml" UAS="$lab/uas_bob_callerbye.xml" SKIP_REG202=1 "$lab/capture.sh" "$out/lab-register-invite.pcap" 3 1
"$lab/b2bua.sh" "$out/lab-b2bua.pcap" "$lab/b2bua-expected.json"
UAC="$lab/uac_alice_lateack.xml" UAS="$lab/uas_bob_callerbye.xml" SKIP_REG202=1 "$lab/mirror.sh" "$out/lab-mirror.pcap"
UAC="$lab/uac_cancel.xml" UAS="$lab/uas_cancel.xml" "$lab/capture.sh" "$out/lab-cancel.pcap"
UAC="$lab/uac_busy.xml" UAS="$lab/uas_busy.xml" "$lab/capture.sh" "$out/lab-busy.pcap"
UAC="$lab/uac_reinvite.xml" UAS="$lab/uas_reinvite.xml" "$lab/capture.sh" "$out/lab-reinvite.pcap"
KAM_CFG="$lab/kamailio-deadreg.cfg" REG_OPTS="-max_non_invite_retrans 3 -nd" NO_CALL=1 END_WAIT=6 \
  "$lab/capture.sh" "$out/lab-register-timeout.pcap"
UAS2="$lab/uas_cancel.xml" "$lab/capture.sh" "$out/lab-fork.pcap"
# what goes wrong, one situation per capture (lossy and nat in network namespaces)
for c in wrong-password declined not-acceptable not-found unavailable server-error no-ack still-up; do
  "$lab/diag.sh" "$c" "$out/diag-$c.pcap"
done
"$lab/diag.sh" one-way "$out/diag-one-way-rtp.pcap"
"$lab/diag.sh" lossy "$out/diag-lossy-rtp.pcap"
"$lab/diag.sh" nat "$out/diag-nat-sdp.pcap"
# derived from lab-udp.pcap / lab-tcp.pcap
cd "$out"
editcap -F pcapng lab-udp.pcap lab-udp.pcapng
editcap -F nsecpcap lab-udp.pcap lab-udp-nsec.pcap
gzip -9 -n -c lab-udp.pcap > lab-udp.pcap.gz
tcprewrite --enet-vlan=add --enet-vlan-tag=100 --enet-vlan-cfi=0 --enet-vlan-pri=0 -i lab-udp.pcap -o lab-udp-vlan.pcap
python3 "$lab/variants.py" "$tmp/big.pcap" "$tmp/big6.pcap"
python3 "$lab/encap.py"
chown root:root ./*.pcap* 2>/dev/null || true
rm -rf "$tmp"
echo "now: python3 $lab/counts.py samples $out > tests/data/sample_counts.json (after checking the notes in counts.py)"
