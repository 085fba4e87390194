#!/usr/bin/env python3
"""Writes the encapsulated variants of the lab capture (run from samples/):

    python3 lab/encap.py

Reads lab-udp.pcap, lab-udp-ipv6.pcap and lab-tcp.pcap (made by lab/capture.sh and
lab/capture-ipv6.sh) and writes SIP inside HEP v3 and v2, GTP-U, VXLAN, MPLS (and an Ethernet
pseudowire), GRE (IPv4 and transparent Ethernet bridging), ERSPAN type III, IPv6-in-IPv4 and
IPv4-in-IPv6, several tunnels nested in one frame, SIP over WebSocket and over SCTP, and the
deeply nested invalid/nested-1000.pcap. Each keeps the SIP packets of its source and, for the
tunnels, the first 6 RTP packets. Packets keep their original capture times (HEP: the outer
frame a few milliseconds later, the original time inside the HEP header). Needs scapy.
Everything is deterministic: the same inputs give the same outputs."""
import base64
import hashlib
import os
import random
import socket
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from variants import read_pcap, write_pcap  # noqa: E402

from scapy.all import (IP, SCTP, TCP, UDP, Ether, IPv6, Raw, SCTPChunkCookieAck,  # noqa: E402
                       SCTPChunkCookieEcho, SCTPChunkData, SCTPChunkInit, SCTPChunkInitAck,
                       SCTPChunkParamStateCookie, SCTPChunkSACK, SCTPChunkShutdown,
                       SCTPChunkShutdownAck, SCTPChunkShutdownComplete, raw)

N_RTP = 6           # RTP packets kept after the SIP ones in the tunnel files
PROXY4 = '127.0.0.2'
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'  # outer Ethernet addresses (locally administered)


# ---------------------------------------------------------------- helpers
def selection(path, n_rtp=N_RTP):
    """The SIP records of a lab capture plus its first n_rtp other (RTP) records, in capture order."""
    _, _, recs = read_pcap(path)
    out, rtp = [], 0
    for r in recs:
        if b'SIP/2.0' in r[3]:
            out.append(r)
        elif rtp < n_rtp:
            out.append(r)
            rtp += 1
    return out


def sip_only(path):
    return [r for r in read_pcap(path)[2] if b'SIP/2.0' in r[3]]


def rec(sec, usec, pkt):
    return (sec, usec, len(pkt), pkt)


def later(sec, usec, us):
    t = sec * 1000000 + usec + us
    return t // 1000000, t % 1000000


def eth(payload, etype, src=MAC_A, dst=MAC_B):
    return raw(Ether(src=src, dst=dst, type=etype)) + payload


def ipv4(src, dst, proto, payload, ident=0, ttl=64):
    return raw(IP(src=src, dst=dst, proto=proto, id=ident, ttl=ttl, flags='DF') / Raw(payload))


def ipv6(src, dst, nh, payload, hlim=64):
    return raw(IPv6(src=src, dst=dst, nh=nh, hlim=hlim) / Raw(payload))


def udp4(src, dst, sport, dport, payload, ident=0):
    return raw(IP(src=src, dst=dst, id=ident, ttl=64, flags='DF') / UDP(sport=sport, dport=dport) / Raw(payload))


def udp6(src, dst, sport, dport, payload):
    return raw(IPv6(src=src, dst=dst, hlim=64) / UDP(sport=sport, dport=dport) / Raw(payload))


def inner_ip(pkt):
    """The IP packet (v4 or v6) of a lab Ethernet frame, and its ethertype."""
    return pkt[14:], struct.unpack('>H', pkt[12:14])[0]


def from_proxy(pkt):
    """True if the lab frame was sent by the proxy (127.0.0.2, or port 5060 on ::1)."""
    ip, et = inner_ip(pkt)
    if et == 0x0800:
        return socket.inet_ntoa(ip[12:16]) == PROXY4
    return struct.unpack('>H', ip[40:42])[0] == 5060


def ones_complement(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def gre(proto, payload, key=None, seq=None, csum=False):
    """GRE (RFC 2784/2890) header with the optional checksum, key and sequence-number fields."""
    flags = (0x8000 if csum else 0) | (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0)
    opt_k = struct.pack('>I', key) if key is not None else b''
    opt_s = struct.pack('>I', seq) if seq is not None else b''
    if csum:
        c = ones_complement(struct.pack('>HHHH', flags, proto, 0, 0) + opt_k + opt_s + payload)
        return struct.pack('>HHHH', flags, proto, c, 0) + opt_k + opt_s + payload
    return struct.pack('>HH', flags, proto) + opt_k + opt_s + payload


def gtpu(payload, teid=0x1234, seq=None, ext=None):
    """GTP-U G-PDU (3GPP TS 29.281): S flag with a sequence number, E flag with extension headers
    (ext: list of (type, content) where content is 4n-2 bytes)."""
    flags = 0x30 | (0x02 if seq is not None else 0) | (0x04 if ext else 0)
    opt = b''
    if seq is not None or ext:
        opt = struct.pack('>HBB', seq or 0, 0, ext[0][0] if ext else 0)
        for i, (_, content) in enumerate(ext or []):
            nxt = ext[i + 1][0] if i + 1 < len(ext) else 0
            assert (len(content) + 2) % 4 == 0
            opt += bytes([(len(content) + 2) // 4]) + content + bytes([nxt])
    body = opt + payload
    return struct.pack('>BBHI', flags, 0xff, len(body), teid) + body


def pdu_session_container(uplink, qfi=9):
    """PDU Session Container extension header content (type 0x85, TS 38.415): UL (1) or DL (0)."""
    return bytes([0x10 if uplink else 0x00, qfi])


def vxlan(frame, vni=42):
    return struct.pack('>II', 0x08000000, vni << 8) + frame


def mpls(labels, payload, ttl=64):
    """An MPLS label stack; the last label gets the bottom-of-stack bit."""
    out = b''
    for i, lab in enumerate(labels):
        out += struct.pack('>I', (lab << 12) | ((1 if i == len(labels) - 1 else 0) << 8) | ttl)
    return out + payload


def erspan2(frame, session=1, index=5, vlan=0):
    """ERSPAN type II header (8 bytes): Ver 1, VLAN, COS 0, En 0, T 0, session ID; index."""
    return struct.pack('>II', (1 << 28) | (vlan << 16) | session, index) + frame


def erspan3(frame, t, session=100, hwid=1, with_subheader=False, port=7):
    """ERSPAN type III header (12 bytes): Ver 2, VLAN 0, COS 0, BSO 0, T 0, session ID; timestamp
    (granularity 00 = 100 microseconds, low 32 bits); SGT 0, P 1 (Ethernet frame), FT 0, HW ID,
    D 0 (ingress), Gra 00, O. With O set, the 8-byte platform-specific subheader follows
    (Platf ID 3: port ID/index, then the upper 32 bits of the timestamp)."""
    ts = int(t * 10000)
    w0 = (2 << 28) | session
    w2 = (0 << 16) | (1 << 15) | (0 << 10) | (hwid << 4) | (0 << 3) | (0 << 1) | (1 if with_subheader else 0)
    h = struct.pack('>III', w0, ts & 0xffffffff, w2)
    if with_subheader:
        h += struct.pack('>II', (3 << 26) | port, (ts >> 32) & 0xffffffff)
    return h + frame


def pppoe_ppp(ip_packet, session=0x0101):
    """PPPoE session header (ver 1, type 1, code 0) + PPP protocol 0x0021 (IPv4)."""
    ppp = struct.pack('>H', 0x0021) + ip_packet
    return struct.pack('>BBHH', 0x11, 0x00, session, len(ppp)) + ppp


# ---------------------------------------------------------------- 1. HEP v3 and v2
def hep_fields(pkt):
    ip = IP(pkt[14:])
    return ip.src, ip.dst, ip[UDP].sport, ip[UDP].dport, bytes(ip[UDP].payload)


def hep3(sec, usec, pkt, agent=2001):
    src, dst, sport, dport, payload = hep_fields(pkt)

    def chunk(t, v):  # generic vendor 0x0000, chunk type, length including the 6-byte chunk header
        return struct.pack('>HHH', 0, t, 6 + len(v)) + v

    body = (chunk(1, b'\x02') + chunk(2, b'\x11') + chunk(3, socket.inet_aton(src)) + chunk(4, socket.inet_aton(dst))
            + chunk(7, struct.pack('>H', sport)) + chunk(8, struct.pack('>H', dport))
            + chunk(9, struct.pack('>I', sec)) + chunk(10, struct.pack('>I', usec))
            + chunk(11, b'\x01') + chunk(12, struct.pack('>I', agent)) + chunk(15, payload))
    return b'HEP3' + struct.pack('>H', 6 + len(body)) + body


def hep2(sec, usec, pkt, captid=2001):
    """HEPv2 as Kamailio siptrace, captagent and sngrep write it: hep_hdr (version 2, length 16,
    family AF_INET 2, protocol 17, ports in network order), hep_iphdr (src, dst), then hep_timehdr
    (tv_sec, tv_usec, captid) copied as a C struct in host (little-endian) order and padded to 12 bytes."""
    src, dst, sport, dport, payload = hep_fields(pkt)
    return (struct.pack('>BBBBHH', 2, 16, 2, 17, sport, dport) + socket.inet_aton(src) + socket.inet_aton(dst)
            + struct.pack('<IIH2x', sec, usec, captid) + payload)


def make_hep():
    for name, enc in (('lab-udp-hep3.pcap', hep3), ('lab-udp-hep2.pcap', hep2)):
        out = []
        for i, (sec, usec, _, pkt) in enumerate(sip_only('lab-udp.pcap')):
            s, u = later(sec, usec, 3000)  # the agent sends each message 3 ms after capturing it
            out.append(rec(s, u, eth(udp4('192.0.2.50', '192.0.2.60', 40000, 9060, enc(sec, usec, pkt), 0x4000 + i),
                                     0x0800)))
        write_pcap(name, 1, out)


# ---------------------------------------------------------------- 2. GTP-U
def make_gtpu():
    out, seq = [], {True: 0, False: 0}
    for i, (sec, usec, _, pkt) in enumerate(selection('lab-udp.pcap')):
        down = from_proxy(pkt)
        inner, _ = inner_ip(pkt)
        s = None
        if i % 2 == 1:  # every other packet carries the optional sequence number (S flag)
            seq[down] += 1
            s = seq[down]
        ext = [(0x85, pdu_session_container(not down))] if i % 5 == 2 else None
        g = gtpu(inner, seq=s, ext=ext)
        if down and i >= 10:  # the call's packets from the proxy go over the IPv6 transport
            frame = eth(udp6('2001:db8:10::2', '2001:db8:10::1', 2152, 2152, g), 0x86dd)
        elif down:
            frame = eth(udp4('10.10.0.2', '10.10.0.1', 2152, 2152, g, i), 0x0800, MAC_B, MAC_A)
        else:
            frame = eth(udp4('10.10.0.1', '10.10.0.2', 2152, 2152, g, i), 0x0800)
        out.append(rec(sec, usec, frame))
    write_pcap('lab-udp-gtpu.pcap', 1, out)


# ---------------------------------------------------------------- 3. VXLAN
def make_vxlan():
    out = []
    for i, (sec, usec, _, pkt) in enumerate(selection('lab-udp.pcap')):
        sport = 49152 + zlib.crc32(pkt[26:38]) % 16384  # source port from a hash of the inner flow
        if from_proxy(pkt):
            frame = eth(udp4('10.20.0.2', '10.20.0.1', sport, 4789, vxlan(pkt), i), 0x0800, MAC_B, MAC_A)
        else:
            frame = eth(udp4('10.20.0.1', '10.20.0.2', sport, 4789, vxlan(pkt), i), 0x0800)
        out.append(rec(sec, usec, frame))
    write_pcap('lab-udp-vxlan.pcap', 1, out)


# ---------------------------------------------------------------- 4. MPLS
def make_mpls():
    out = []
    for i, (sec, usec, _, pkt) in enumerate(selection('lab-udp.pcap')):
        inner, _ = inner_ip(pkt)
        if 6 <= i <= 9 or b'SIP/2.0' not in pkt:
            # Bob's REGISTER and the RTP packets: Ethernet pseudowire, control word 0, whole frame
            frame = eth(mpls([16001, 100], b'\0\0\0\0' + pkt), 0x8847)
        else:
            frame = eth(mpls([16001, 30], inner), 0x8847)
        out.append(rec(sec, usec, frame))
    write_pcap('lab-udp-mpls.pcap', 1, out)


# ---------------------------------------------------------------- 5. GRE
def make_gre():
    out, seq = [], {True: 0, False: 0}
    sel = selection('lab-udp.pcap')
    for i, (sec, usec, _, pkt) in enumerate(sel):
        down = from_proxy(pkt)
        inner, _ = inner_ip(pkt)
        seq[down] += 1
        if 6 <= i <= 9 or b'SIP/2.0' not in pkt:
            g = gre(0x6558, pkt, key=7, seq=seq[down])               # transparent Ethernet bridging
        elif i >= len(sel) - 4:
            g = gre(0x0800, inner, key=7, seq=seq[down], csum=True)  # BYE transaction: checksum too
        else:
            g = gre(0x0800, inner, key=7, seq=seq[down])
        src, dst = ('10.30.0.2', '10.30.0.1') if down else ('10.30.0.1', '10.30.0.2')
        out.append(rec(sec, usec, eth(ipv4(src, dst, 47, g, i), 0x0800)))
    write_pcap('lab-udp-gre.pcap', 1, out)


# ---------------------------------------------------------------- 6. ERSPAN type III
def make_erspan3():
    out = []
    for i, (sec, usec, _, pkt) in enumerate(selection('lab-udp.pcap')):
        e = erspan3(pkt, sec + usec / 1e6, with_subheader=i % 2 == 1)
        out.append(rec(sec, usec, eth(ipv4('10.70.0.1', '10.70.0.2', 47, gre(0x22EB, e, seq=i), i), 0x0800)))
    write_pcap('lab-udp-erspan3.pcap', 1, out)


# ---------------------------------------------------------------- 7. IPv6 in IPv4, IPv4 in IPv6
def make_ip6in4():
    out = []
    for i, (sec, usec, _, pkt) in enumerate(selection('lab-udp-ipv6.pcap')):
        inner, et = inner_ip(pkt)
        assert et == 0x86dd
        src, dst = ('10.40.0.2', '10.40.0.1') if from_proxy(pkt) else ('10.40.0.1', '10.40.0.2')
        out.append(rec(sec, usec, eth(ipv4(src, dst, 41, inner, i), 0x0800)))
    for i, (sec, usec, _, pkt) in enumerate(sip_only('lab-udp.pcap')[:10]):  # the registrations
        inner, et = inner_ip(pkt)
        assert et == 0x0800
        src, dst = ('2001:db8:40::2', '2001:db8:40::1') if from_proxy(pkt) else ('2001:db8:40::1', '2001:db8:40::2')
        out.append(rec(sec, usec, eth(ipv6(src, dst, 4, inner), 0x86dd)))
    out.sort(key=lambda r: (r[0], r[1]))
    write_pcap('lab-udp-ip6in4.pcap', 1, out)


# ---------------------------------------------------------------- 8. nested
def nested_a(pkt, i):
    """Ethernet / 802.1Q / MPLS x2 / IPv4 / GRE / ERSPAN II / Ethernet / PPPoE / PPP / IPv4 / UDP 2152 /
    GTP-U / IPv4 / UDP / SIP."""
    inner, _ = inner_ip(pkt)
    g = gtpu(inner, seq=i + 1 if i % 2 else None)
    ppp_ip = udp4('10.60.0.1', '10.60.0.2', 2152, 2152, g, i)
    l2 = eth(pppoe_ppp(ppp_ip), 0x8864, '02:00:00:00:00:10', '02:00:00:00:00:11')
    e2 = gre(0x88BE, erspan2(l2), seq=i)
    outer_ip = ipv4('10.50.0.1', '10.50.0.2', 47, e2, i)
    return eth(struct.pack('>HH', 100, 0x8847) + mpls([16001, 17], outer_ip), 0x8100)


def nested_b(pkt, i):
    """Ethernet / IPv4 / IPv6 (protocol 41) / GRE with key, 0x6558 / Ethernet / 802.1Q / IPv4 / UDP 4789 /
    VXLAN / Ethernet / IPv6 / UDP 2152 / GTP-U (S, E: PDU session container) / IPv6 / UDP / SIP."""
    inner, _ = inner_ip(pkt)
    g = gtpu(inner, seq=i + 1, ext=[(0x85, pdu_session_container(not from_proxy(pkt)))])
    l2_in = eth(udp6('2001:db8:90::1', '2001:db8:90::2', 2152, 2152, g), 0x86dd, '02:00:00:00:00:30',
                '02:00:00:00:00:31')
    vx = udp4('10.90.0.1', '10.90.0.2', 49152 + i, 4789, vxlan(l2_in), i)
    l2_mid = eth(struct.pack('>HH', 300, 0x0800) + vx, 0x8100, '02:00:00:00:00:20', '02:00:00:00:00:21')
    v6 = ipv6('2001:db8:80::1', '2001:db8:80::2', 47, gre(0x6558, l2_mid, key=9))
    return eth(ipv4('10.80.0.1', '10.80.0.2', 41, v6, i), 0x0800)


def make_nested():
    out = []
    for i, (sec, usec, _, pkt) in enumerate(sip_only('lab-udp.pcap')[:6]):
        out.append(rec(sec, usec, nested_a(pkt, i)))
    for i, (sec, usec, _, pkt) in enumerate(sip_only('lab-udp-ipv6.pcap')[:6]):
        out.append(rec(sec, usec, nested_b(pkt, i)))
    out.sort(key=lambda r: (r[0], r[1]))
    write_pcap('lab-udp-nested.pcap', 1, out)


# ---------------------------------------------------------------- 9. SIP over WebSocket
class TcpFlow:
    """One TCP connection with real sequence numbers; time advances 150 us per packet, or jumps to `at`."""

    def __init__(self, t0, client, server):
        self.t, self.cli, self.srv = t0, client, server
        self.seq = {True: 1000000, False: 3000000}
        self.pkts, self.ident = [], 0

    def emit(self, client, flags, payload=b'', seq=None, at=None):
        (sa, sp), (da, dp) = (self.cli, self.srv) if client else (self.srv, self.cli)
        self.t = max(self.t + 0.000150, at or 0)
        self.ident += 1
        seq = self.seq[client] if seq is None else seq
        ack = self.seq[not client] if 'A' in flags else 0
        p = Ether(src='00:00:00:00:00:00', dst='00:00:00:00:00:00') / \
            IP(src=sa, dst=da, id=self.ident, flags='DF') / \
            TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack, window=65483) / payload
        b = raw(p)
        us = int(round(self.t * 1e6))
        self.pkts.append((us // 1000000, us % 1000000, len(b), b))

    def handshake(self, at=None):
        self.emit(True, 'S', seq=self.seq[True] - 1, at=at)
        self.emit(False, 'SA', seq=self.seq[False] - 1)
        self.emit(True, 'A')

    def send(self, client, data, ack=True, at=None):
        self.emit(client, 'PA', data, at=at)
        self.seq[client] += len(data)
        if ack:
            self.emit(not client, 'A')

    def fin(self):
        self.emit(True, 'FA')
        self.seq[True] += 1
        self.emit(False, 'FA')
        self.seq[False] += 1
        self.emit(True, 'A')


def ws_frame(payload, opcode=1, fin=True, key=None):
    """A WebSocket frame (RFC 6455); key: 4-byte masking key (client frames)."""
    n = len(payload)
    b1 = 0x80 if key else 0
    if n < 126:
        hdr = bytes([(0x80 if fin else 0) | opcode, b1 | n])
    elif n < 65536:
        hdr = bytes([(0x80 if fin else 0) | opcode, b1 | 126]) + struct.pack('>H', n)
    else:
        hdr = bytes([(0x80 if fin else 0) | opcode, b1 | 127]) + struct.pack('>Q', n)
    if key:
        payload = bytes(c ^ key[j % 4] for j, c in enumerate(payload))
        hdr += key
    return hdr + payload


def lab_tcp_alice():
    """SIP payloads of Alice's two connections in lab-tcp.pcap (registration, call): (time, from Alice, bytes)."""
    out = []
    for sec, usec, _, pkt in read_pcap('lab-tcp.pcap')[2]:
        e = Ether(pkt)
        if TCP in e and e[TCP].sport == 5060 and e[TCP].dport == 5060 and len(e[TCP].payload):
            out.append((sec + usec / 1e6, e[IP].src == '127.0.0.10', bytes(e[TCP].payload)))
    return out


def to_ws(msg):
    for a, b in ((b'SIP/2.0/TCP', b'SIP/2.0/WS'), (b';transport=TCP', b';transport=ws'),
                 (b';transport=tcp', b';transport=ws')):
        msg = msg.replace(a, b)
    return msg


def make_ws():
    msgs = lab_tcp_alice()
    assert [m[:12] for _, _, m in msgs] == [
        b'REGISTER sip', b'SIP/2.0 401 ', b'REGISTER sip', b'SIP/2.0 200 ', b'INVITE sip:b', b'SIP/2.0 100 ',
        b'SIP/2.0 180 ', b'SIP/2.0 200 ', b'ACK sip:bob@', b'BYE sip:alic', b'SIP/2.0 200 '], msgs
    (t_reg, _, reg), (_, _, r401), (_, _, reg2), (_, _, r200r), (t_inv, _, inv), (_, _, r100), (_, _, r180), \
        (t_200, _, r200), (_, _, ack), (t_bye, _, bye), (_, _, r200b) = [(t, c, to_ws(m)) for t, c, m in msgs]
    rnd = random.Random(7118)

    def key():
        return bytes(rnd.randrange(256) for _ in range(4))

    wskey = base64.b64encode(bytes(rnd.randrange(256) for _ in range(16)))
    accept = base64.b64encode(hashlib.sha1(wskey + b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest())
    get = (b'GET / HTTP/1.1\r\nHost: 127.0.0.2:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
           b'Sec-WebSocket-Key: ' + wskey + b'\r\nOrigin: http://127.0.0.10\r\nSec-WebSocket-Protocol: sip\r\n'
           b'Sec-WebSocket-Version: 13\r\n\r\n')
    resp = (b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
            b'Sec-WebSocket-Accept: ' + accept + b'\r\nSec-WebSocket-Protocol: sip\r\n\r\n')
    f = TcpFlow(t_reg - 0.001, ('127.0.0.10', 50312), ('127.0.0.2', 8080))
    f.handshake()
    f.send(True, get, ack=False)
    f.send(False, resp)
    f.send(True, ws_frame(reg, key=key()), at=t_reg)
    f.send(False, ws_frame(r401))
    f.send(True, ws_frame(reg2, key=key()))
    f.send(False, ws_frame(r200r))
    # keep-alive between messages: ping from the client (masked), pong from the server (same data)
    f.send(True, ws_frame(b'keepalive-1', opcode=9, key=key()), ack=False, at=t_reg + 0.5)
    f.send(False, ws_frame(b'keepalive-1', opcode=10))
    # the INVITE as two WebSocket frames: text, FIN=0, then a continuation frame, FIN=1
    cut = len(inv) // 2
    f.send(True, ws_frame(inv[:cut], opcode=1, fin=False, key=key()), ack=False, at=t_inv)
    f.send(True, ws_frame(inv[cut:], opcode=0, fin=True, key=key()))
    # 100 and 180 in one TCP segment (two frames)
    f.send(False, ws_frame(r100) + ws_frame(r180))
    # the 200 OK (INVITE) frame over two TCP segments
    fr = ws_frame(r200)
    f.send(False, fr[:200], ack=False, at=t_200)
    f.send(False, fr[200:])
    f.send(True, ws_frame(ack, key=key()))
    f.send(False, ws_frame(bye), at=t_bye)
    f.send(True, ws_frame(r200b, key=key()))
    # closing handshake (status 1000), then TCP FIN
    f.send(True, ws_frame(struct.pack('>H', 1000), opcode=8, key=key()), ack=False)
    f.send(False, ws_frame(struct.pack('>H', 1000), opcode=8))
    f.fin()
    write_pcap('lab-tcp-ws.pcap', 1, f.pkts)


# ---------------------------------------------------------------- 10. SIP over SCTP
def to_sctp(msg):
    for a, b in ((b'SIP/2.0/UDP', b'SIP/2.0/SCTP'), (b';transport=UDP', b';transport=sctp')):
        msg = msg.replace(a, b)
    return msg


def make_sctp():
    # the messages between Alice (127.0.0.10) and the proxy in lab-udp.pcap
    msgs = []
    for sec, usec, _, pkt in sip_only('lab-udp.pcap'):
        ip = IP(pkt[14:])
        if {ip.src, ip.dst} == {'127.0.0.10', '127.0.0.2'}:
            msgs.append((sec + usec / 1e6, ip.src == '127.0.0.10', to_sctp(bytes(ip[UDP].payload))))
    assert [m[:10] for _, _, m in msgs] == [
        b'REGISTER s', b'SIP/2.0 40', b'REGISTER s', b'SIP/2.0 20', b'INVITE sip', b'SIP/2.0 10', b'SIP/2.0 18',
        b'SIP/2.0 20', b'ACK sip:bo', b'BYE sip:al', b'SIP/2.0 20'], [m[:10] for _, _, m in msgs]
    (t1, _, reg), (_, _, r401), (_, _, reg2), (_, _, r200r), (t_inv, _, inv), (_, _, r100), (_, _, r180), \
        (t_200, _, r200), (_, _, ack), (t_bye, _, bye), (_, _, r200b) = msgs
    tag = {True: 0x11223344, False: 0x55667788}       # verification tag chosen by client (True) / server
    tsn = {True: 1000, False: 5000}                    # next TSN sent by each side
    ssn = {True: 0, False: 0}
    state = {'t': t1 - 0.002, 'id': 0}
    pkts = []

    def send(client, chunks, at=None, vtag=None):
        state['t'] = max(state['t'] + 0.000150, at or 0)
        state['id'] += 1
        src, dst = ('127.0.0.10', '127.0.0.2') if client else ('127.0.0.2', '127.0.0.10')
        p = Ether(src='00:00:00:00:00:00', dst='00:00:00:00:00:00') / \
            IP(src=src, dst=dst, id=state['id'], flags='DF') / \
            SCTP(sport=5060, dport=5060, tag=tag[not client] if vtag is None else vtag)
        for c in chunks:
            p = p / c
        b = raw(p)
        us = int(round(state['t'] * 1e6))
        pkts.append((us // 1000000, us % 1000000, len(b), b))

    def data(client, payload, b=1, e=1):
        c = SCTPChunkData(beginning=b, ending=e, tsn=tsn[client], stream_id=0, stream_seq=ssn[client],
                          proto_id=0, data=payload)
        tsn[client] += 1
        if e:
            ssn[client] += 1
        return c

    def sack(client):  # acknowledges everything the other side sent
        return SCTPChunkSACK(cumul_tsn_ack=tsn[not client] - 1, a_rwnd=106496, n_gap_ack=0, n_dup_tsn=0)

    cookie = hashlib.sha1(b'sipladder-sctp-cookie').digest() * 2
    send(True, [SCTPChunkInit(init_tag=tag[True], a_rwnd=106496, n_out_streams=10, n_in_streams=65535,
                              init_tsn=tsn[True])], vtag=0)
    send(False, [SCTPChunkInitAck(init_tag=tag[False], a_rwnd=106496, n_out_streams=10, n_in_streams=10,
                                  init_tsn=tsn[False], params=[SCTPChunkParamStateCookie(cookie=cookie)])])
    send(True, [SCTPChunkCookieEcho(cookie=cookie)])
    send(False, [SCTPChunkCookieAck()])
    send(True, [data(True, reg)], at=t1)
    send(False, [sack(False), data(False, r401)])        # SACK bundled before a DATA chunk
    send(True, [sack(True), data(True, reg2)])
    send(False, [sack(False), data(False, r200r)])
    send(True, [sack(True)])
    # the INVITE fragmented over two DATA chunks in two packets (B then E)
    cut = len(inv) // 2
    send(True, [data(True, inv[:cut], b=1, e=0)], at=t_inv)
    send(True, [data(True, inv[cut:], b=0, e=1)])
    # SACK, 100 and 180 in one packet (two SIP messages)
    send(False, [sack(False), data(False, r100), data(False, r180)])
    send(True, [sack(True)])
    send(False, [data(False, r200)], at=t_200)
    send(True, [sack(True), data(True, ack)])
    send(False, [sack(False)])
    send(False, [data(False, bye)], at=t_bye)
    send(True, [sack(True), data(True, r200b)])
    send(False, [sack(False)])
    send(True, [SCTPChunkShutdown(cumul_tsn_ack=tsn[False] - 1)])
    send(False, [SCTPChunkShutdownAck()])
    send(True, [SCTPChunkShutdownComplete()])
    write_pcap('sctp-multi-chunk.pcap', 1, pkts)


# ---------------------------------------------------------------- 11. invalid: 1,000 nested headers
def make_nested_1000():
    os.makedirs('invalid', exist_ok=True)
    sip = sip_only('lab-udp.pcap')
    (sec, usec, _, f1), (sec2, usec2, _, f2), (sec3, usec3, _, f3) = sip[:3]
    # frame 1: 1,000 IPv4 headers, each protocol 4 (IP in IP) but the innermost (the original IPv4/UDP
    # datagram of F1, protocol 17); every header has a valid length and checksum
    p, _ = inner_ip(f1)
    for k in range(999):
        p = ipv4('10.%d.%d.1' % (k // 250, k % 250), '10.%d.%d.2' % (k // 250, k % 250), 4, p, k)
    out = [rec(sec, usec, eth(p, 0x0800))]
    # frame 2: a normal SIP frame (F2, the 401)
    out.append((sec2, usec2, len(f2), f2))
    # frame 3: 1,000 MPLS labels, none with the bottom-of-stack bit, then the IPv4 packet of F3
    ip3, _ = inner_ip(f3)
    stack = b''.join(struct.pack('>I', ((16 + k) << 12) | 64) for k in range(1000))
    out.append(rec(sec3, usec3, eth(stack + ip3, 0x8847)))
    write_pcap('invalid/nested-1000.pcap', 1, out)


def main():
    make_hep()
    make_gtpu()
    make_vxlan()
    make_mpls()
    make_gre()
    make_erspan3()
    make_ip6in4()
    make_nested()
    make_ws()
    make_sctp()
    make_nested_1000()


if __name__ == '__main__':
    main()
