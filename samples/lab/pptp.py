#!/usr/bin/env python3
"""Writes lab-udp-pptp.pcap (run from samples/): lab-udp's SIP packets and first 6 RTP packets
inside a PPTP tunnel (RFC 2637), as a PPTP client 10.50.0.1 and its server 10.50.0.2 carry them:

    python3 lab/pptp.py

Enhanced GRE (version 1, protocol 0x880B) with the key field made of the payload length and the
peer's call ID (0x8002 towards the server, 0x4001 towards the client), a sequence number per
direction on every data packet, and the acknowledgment of the other direction's last sequence
number on every other one; a lone acknowledgment (no payload) after the registrations; an LCP
Echo-Request and its Echo-Reply before the call, which carry no IP. The PPP frames cycle through
the three forms peers negotiate: address and control bytes with a two-byte protocol (FF 03 00 21),
address-and-control-field compression (00 21), and both compressions (21). Needs scapy (through
encap.py). Deterministic."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encap import eth, from_proxy, inner_ip, ipv4, rec, selection  # noqa: E402
from variants import write_pcap  # noqa: E402

CLIENT, SERVER = '10.50.0.1', '10.50.0.2'
CALL_ID = {True: 0x8002, False: 0x4001}  # by "towards the server"


def enhanced_gre(call_id, payload, seq=None, ack=None):
    flags = 0x2000 | 0x0001 | (0x1000 if seq is not None else 0) | (0x0080 if ack is not None else 0)
    head = struct.pack('>HHHH', flags, 0x880B, len(payload), call_id)
    if seq is not None:
        head += struct.pack('>I', seq)
    if ack is not None:
        head += struct.pack('>I', ack)
    return head + payload


def ppp(protocol, data, form):
    if form == 0:
        return b'\xff\x03' + struct.pack('>H', protocol) + data
    if form == 1:
        return struct.pack('>H', protocol) + data
    return bytes([protocol]) + data  # protocol-field compression: protocol < 0x100, odd


def main():
    recs = selection('lab-udp.pcap')
    out = []
    seq = {True: 0, False: 0}
    ident = 0x2000

    def send(sec, usec, upstream, payload, with_seq=True, ack_it=False):
        nonlocal ident
        s = None
        if with_seq:
            s = seq[upstream]
            seq[upstream] += 1
        ack = seq[not upstream] - 1 if ack_it and seq[not upstream] > 0 else None
        src, dst = (CLIENT, SERVER) if upstream else (SERVER, CLIENT)
        gre = enhanced_gre(CALL_ID[upstream], payload, s, ack)
        ident += 1
        out.append(rec(sec, usec, eth(ipv4(src, dst, 47, gre, ident=ident), 0x0800)))

    n_sip = 0
    for i, (sec, usec, _, pkt) in enumerate(recs):
        ip, _ = inner_ip(pkt)
        upstream = not from_proxy(pkt)
        is_sip = b'SIP/2.0' in pkt
        if is_sip and n_sip == 10:
            # Before the call: an LCP echo each way (PPP control, no IP), then a lone ack.
            send(sec, usec - 500 if usec >= 500 else usec, True, ppp(0xC021, b'\x09\x01\x00\x08\x00\x00\x00\x00', 0))
            send(sec, usec - 400 if usec >= 400 else usec, False, ppp(0xC021, b'\x0a\x01\x00\x08\x00\x00\x00\x00', 0))
            send(sec, usec - 300 if usec >= 300 else usec, True, b'', with_seq=False, ack_it=True)
        n_sip += is_sip
        send(sec, usec, upstream, ppp(0x21, ip, i % 3), ack_it=i % 2 == 1)
    write_pcap('lab-udp-pptp.pcap', 1, out)


if __name__ == '__main__':
    main()
