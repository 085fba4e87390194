#!/usr/bin/env python3
"""Derives the sample variants from the real lab captures (run from samples/):

    python3 lab/variants.py [BIG_UDP.pcap BIG_UDP6.pcap]

Reads lab-udp.pcap and lab-tcp.pcap (made by lab/capture.sh) and writes the link-type,
byte-order and framing variants, the multi-interface pcapng and the invalid inputs.
With BIG_UDP.pcap / BIG_UDP6.pcap (lab runs with UAC=lab/uac_alice_bigsdp.xml, IPv4 and IPv6)
it also writes lab-frag.pcap and lab-frag6.pcap. Needs scapy for the fragments and TCP files.
Everything is deterministic: the same inputs give the same outputs."""
import os
import struct
import sys

LE_MAGIC = 0xa1b2c3d4


def read_pcap(path):
    """Returns (linktype, snaplen, [(sec, usec, orig_len, data)]) of a little-endian microsecond pcap."""
    data = open(path, 'rb').read()
    magic, vmaj, vmin, _, _, snap, lt = struct.unpack('<IHHiIII', data[:24])
    assert magic == LE_MAGIC, path
    recs, off = [], 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack('<IIII', data[off:off + 16])
        recs.append((sec, usec, orig, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return lt, snap, recs


def write_pcap(path, linktype, recs, snap=262144, endian='<', nsec=False):
    magic = 0xa1b23c4d if nsec else LE_MAGIC
    with open(path, 'wb') as f:
        f.write(struct.pack(endian + 'IHHiIII', magic, 2, 4, 0, 0, snap, linktype))
        for sec, frac, orig, pkt in recs:
            f.write(struct.pack(endian + 'IIII', sec, frac, len(pkt), orig) + pkt)


def relen(recs, fn):
    """Applies fn to each packet and keeps orig_len consistent (orig grows/shrinks by the same delta)."""
    out = []
    for sec, usec, orig, pkt in recs:
        new = fn(pkt)
        out.append((sec, usec, orig + len(new) - len(pkt), new))
    return out


# ---------------------------------------------------------------- link-type and byte-order variants
def link_variants(udp):
    lt, snap, recs = udp
    assert lt == 1
    # big-endian classic pcap: same records, header and record headers written big-endian
    write_pcap('lab-udp-be.pcap', 1, recs, snap, endian='>')
    # QinQ: 802.1ad outer tag (0x88a8, VLAN 200) then 802.1Q inner tag (0x8100, VLAN 100)
    write_pcap('lab-udp-qinq.pcap', 1, relen(recs, lambda p: p[:12] + b'\x88\xa8' + struct.pack('>H', 200)
                                              + b'\x81\x00' + struct.pack('>H', 100) + p[12:]), snap)
    # LINKTYPE_RAW (101): the IPv4 packet without a link header
    write_pcap('lab-udp-rawip.pcap', 101, relen(recs, lambda p: p[14:]), snap)
    # LINKTYPE_NULL (0): 4-byte address family in the writer's byte order (little-endian, AF_INET=2)
    write_pcap('lab-udp-null.pcap', 0, relen(recs, lambda p: struct.pack('<I', 2) + p[14:]), snap)


# ---------------------------------------------------------------- multi-interface pcapng
def pcapng_block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack('<II', btype, total) + body + b'\0' * pad + struct.pack('<I', total)


def pcapng_opt(code, val):
    return struct.pack('<HH', code, len(val)) + val + b'\0' * ((-len(val)) % 4)


def pcapng_multi_if(udp):
    _, _, recs = udp
    opt_end = struct.pack('<HH', 0, 0)
    shb = pcapng_block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)
                       + pcapng_opt(4, b'sipladder samples/lab/variants.py') + opt_end)
    ifaces = [  # (linktype, if_name, if_tsresol exponent or None for the default 10^-6)
        (1, b'eth0', None),        # Ethernet, microseconds (default, no if_tsresol option)
        (113, b'any', 9),          # LINUX_SLL, nanoseconds
        (101, b'tun0', 6),         # RAW IPv4, microseconds given explicitly
        (147, b'user0', 3),        # USER0 (unsupported by design), milliseconds
    ]
    out = [shb]
    for lt, name, res in ifaces:
        opts = pcapng_opt(2, name)
        if res is not None:
            opts += pcapng_opt(9, bytes([res]))
        out.append(pcapng_block(1, struct.pack('<HHI', lt, 0, 262144) + opts + opt_end))

    def sll(p):  # LINUX_SLL header of a packet sent on loopback: outgoing (4), ARPHRD_LOOPBACK (772)
        return struct.pack('>HHH8sH', 4, 772, 6, b'\0' * 8, 0x0800) + p[14:]

    sip = [r for r in recs if b'SIP/2.0' in r[3]][:23]
    non_sip = [r for r in recs if b'SIP/2.0' not in r[3]][:6]  # a few RTP packets, on the Ethernet interface
    chosen = []
    for i, r in enumerate(sip):
        # REGISTER flow of 202 (F1-F6) on Ethernet, Bob's REGISTER on SLL, the call on RAW
        ifid = 0 if i < 6 else 1 if i < 10 else 2
        chosen.append((ifid, r))
    chosen += [(0, r) for r in non_sip]
    # one copy of the first REGISTER (Ethernet frame) under USER0, stamped at the next whole millisecond
    sec, usec, orig, pkt = sip[0]
    usec = (usec // 1000 + 1) * 1000
    chosen.append((3, (sec + usec // 1000000, usec % 1000000, orig, pkt)))
    chosen.sort(key=lambda x: (x[1][0], x[1][1], x[0]))
    for ifid, (sec, usec, orig, pkt) in chosen:
        lt, _, res = ifaces[ifid]
        if lt == 113:
            pkt = sll(pkt)
        elif lt == 101:
            pkt = pkt[14:]
        units = sec * 10 ** (res or 6) + usec * 10 ** (res or 6) // 10 ** 6
        body = struct.pack('<IIIII', ifid, units >> 32, units & 0xffffffff, len(pkt), len(pkt)) + pkt
        body += b'\0' * ((-len(pkt)) % 4) + opt_end
        out.append(pcapng_block(6, body))
    open('pcapng-multi-if.pcapng', 'wb').write(b''.join(out))


# ---------------------------------------------------------------- invalid inputs
def invalid(udp_path):
    os.makedirs('invalid', exist_ok=True)
    open('invalid/not-a-capture.txt', 'w').write(
        'This is not a packet capture.\nINVITE sip:bob@example.com SIP/2.0\n'
        'A text file that merely mentions SIP must be rejected as an unknown format.\n')
    data = open(udp_path, 'rb').read()
    open('invalid/truncated-header.pcap', 'wb').write(data[:10])
    open('invalid/empty.pcap', 'wb').write(data[:24])
    # cut in the middle of record 12 (the proxy's 100 Trying): 11 complete records, then a partial one
    off, n = 24, 0
    while n < 11:
        incl = struct.unpack('<I', data[off + 8:off + 12])[0]
        off += 16 + incl
        n += 1
    incl = struct.unpack('<I', data[off + 8:off + 12])[0]
    open('invalid/truncated.pcap', 'wb').write(data[:off + 16 + incl // 2])


# ---------------------------------------------------------------- IP fragments (scapy)
def frag_variants(big4, big6):
    from scapy.all import Ether, IP, IPv6, IPv6ExtHdrFragment, Raw, fragment, fragment6, raw
    orders = [[2, 0, 1], [1, 2, 0]]  # delivery order of the fragments of the 1st and 2nd large datagram
    for src, dst, v6 in ((big4, 'lab-frag.pcap', False), (big6, 'lab-frag6.pcap', True)):
        lt, snap, recs = read_pcap(src)
        out, k = [], 0
        for sec, usec, orig, pkt in recs:
            if len(pkt) <= 1514:
                out.append((sec, usec, orig, pkt))
                continue
            e = Ether(pkt)
            if v6:
                p = e[IPv6]
                whole = IPv6(src=p.src, dst=p.dst, hlim=p.hlim, tc=p.tc, fl=p.fl) / \
                    IPv6ExtHdrFragment(id=0x5151 + k) / Raw(raw(p.payload))
                whole[IPv6ExtHdrFragment].nh = p.nh
                frags = fragment6(whole, 1400)
            else:
                p = e[IP].copy()
                p.flags = 0  # loopback traffic carries DF: clear it so the datagram may be fragmented
                p.id = 0x5151 + k
                del p.chksum
                frags = fragment(IP(raw(p)), fragsize=1400)
            assert len(frags) == 3, len(frags)
            for j, idx in enumerate(orders[k % 2]):
                fb = raw(Ether(src=e.src, dst=e.dst, type=e.type) / frags[idx])
                out.append((sec, usec + j, len(fb), fb))
            k += 1
        write_pcap(dst, 1, out, snap)


# ---------------------------------------------------------------- TCP framing edge cases (scapy)
def tcp_messages(tcp):
    """The SIP payloads of Alice's call connection in lab-tcp.pcap, in order, with direction."""
    from scapy.all import Ether, TCP
    _, _, recs = tcp
    msgs = []
    for sec, usec, orig, pkt in recs:
        e = Ether(pkt)
        if TCP in e and e[TCP].sport == 5060 and e[TCP].dport == 5060 and len(e[TCP].payload):
            msgs.append((e['IP'].src == '127.0.0.10', bytes(e[TCP].payload)))
    # the connection of the call: from the INVITE on
    start = next(i for i, (_, m) in enumerate(msgs) if m.startswith(b'INVITE '))
    return msgs[start:]


class Flow:
    """One TCP connection 127.0.0.10:5060 -> 127.0.0.2:5060 with real sequence numbers."""

    def __init__(self, t0):
        self.t = t0
        self.seq = {True: 1000000, False: 3000000}  # next sequence number per direction (True: client)
        self.pkts = []

    def _emit(self, client, flags, seq, ack, payload=b''):
        from scapy.all import Ether, IP, TCP, raw
        src, dst = ('127.0.0.10', '127.0.0.2') if client else ('127.0.0.2', '127.0.0.10')
        p = Ether(src='00:00:00:00:00:00', dst='00:00:00:00:00:00') / IP(src=src, dst=dst, id=0, flags='DF') / \
            TCP(sport=5060, dport=5060, flags=flags, seq=seq, ack=ack, window=65483) / payload
        b = raw(p)
        self.t += 0.000150
        self.pkts.append((int(self.t), int(round((self.t % 1) * 1e6)) % 1000000, len(b), b))

    def handshake(self):
        c, s = self.seq[True], self.seq[False]
        self._emit(True, 'S', c - 1, 0)
        self._emit(False, 'SA', s - 1, c)
        self._emit(True, 'A', c, s)

    def send(self, client, data, offset=None, ack=True):
        """Sends data (PA); offset: byte offset in the stream relative to the next seq (for retransmissions)."""
        base = self.seq[client]
        seq = base + (offset or 0)
        self._emit(client, 'PA', seq, self.seq[not client], data)
        if offset is None:
            self.seq[client] = base + len(data)
        if ack:
            self.ack(not client)

    def advance(self, client, n):
        self.seq[client] += n

    def ack(self, client):
        self._emit(client, 'A', self.seq[client], self.seq[not client])

    def fin(self):
        self._emit(True, 'FA', self.seq[True], self.seq[False])
        self.seq[True] += 1
        self._emit(False, 'FA', self.seq[False], self.seq[True])
        self.seq[False] += 1
        self._emit(True, 'A', self.seq[True], self.seq[False])


def tcp_variants(tcp):
    msgs = tcp_messages(tcp)
    assert [m[:12] for _, m in msgs] == [b'INVITE sip:b', b'SIP/2.0 100 ', b'SIP/2.0 180 ', b'SIP/2.0 200 ',
                                         b'ACK sip:bob@', b'BYE sip:alic', b'SIP/2.0 200 '], [m[:12] for _, m in msgs]
    (c_inv, inv), (_, r100), (_, r180), (_, r200), (_, ack), (_, bye), (_, r200b) = msgs
    t0 = tcp[2][0][0] + tcp[2][0][1] / 1e6

    # several complete messages in one segment: 100+180+200 from the proxy, then ACK (client) alone,
    # then BYE (proxy), 200 (client)
    f = Flow(t0)
    f.handshake()
    f.send(True, inv)
    f.send(False, r100 + r180 + r200)
    f.send(True, ack)
    f.send(False, bye)
    f.send(True, r200b)
    f.fin()
    write_pcap('tcp-multi-per-segment.pcap', 1, f.pkts)

    # one INVITE (with SDP) over 4 segments: the Content-Length value is cut ("Content-Length:   1" | "87"),
    # and the blank line is cut between "\r\n\r" and "\n"
    cl = inv.index(b'Content-Length:')
    cut1 = inv.index(b'\r\n', cl) - 2               # inside the Content-Length value
    hdr_end = inv.index(b'\r\n\r\n') + 3          # after "\r\n\r"
    cut3 = hdr_end + 1 + (len(inv) - hdr_end) // 2   # in the middle of the SDP
    parts = [inv[:cut1], inv[cut1:hdr_end], inv[hdr_end:cut3], inv[cut3:]]
    assert parts[1].endswith(b'\r\n\r') and parts[2].startswith(b'\n'), parts
    f = Flow(t0)
    f.handshake()
    for p in parts:
        f.send(True, p, ack=False)
    f.ack(False)
    for m in (r100, r180, r200):
        f.send(False, m)
    f.send(True, ack)
    f.send(False, bye)
    f.send(True, r200b)
    f.fin()
    write_pcap('tcp-split-message.pcap', 1, f.pkts)

    # out of order + retransmissions: INVITE as 3 segments delivered 1,3,2 then 2 again (duplicate);
    # 200 OK sent as 2 segments [0:300] [300:], then retransmitted as one segment [150:] overlapping both
    a, b = len(inv) // 3, 2 * len(inv) // 3
    f = Flow(t0)
    f.handshake()
    s0 = f.seq[True]
    f.send(True, inv[:a], ack=False)
    f.send(True, inv[b:], offset=b - a, ack=False)
    f.ack(False)                                      # duplicate ACK: the receiver still waits for [a:b]
    f.send(True, inv[a:b], offset=0, ack=False)
    f.send(True, inv[a:b], offset=0, ack=False)       # exact duplicate (spurious retransmission)
    f.seq[True] = s0 + len(inv)
    f.ack(False)
    f.send(False, r100)
    f.send(False, r180)
    s200 = f.seq[False]
    f.send(False, r200[:300], ack=False)
    f.send(False, r200[300:], ack=False)
    f.seq[False] = s200
    f.send(False, r200[150:], offset=150, ack=False)  # overlapping retransmission of bytes 150..end
    f.seq[False] = s200 + len(r200)
    f.ack(True)
    f.send(True, ack)
    f.send(False, bye)
    f.send(True, r200b)
    f.fin()
    write_pcap('tcp-out-of-order.pcap', 1, f.pkts)

    # a gap: the 180 Ringing is sent in 3 segments and the middle one is never captured; the next segment
    # holds the tail of the 180 followed by the complete 200 OK, which is found again at its start line
    x, y = 120, len(r180) - 60
    f = Flow(t0)
    f.handshake()
    f.send(True, inv)
    f.send(False, r100)
    f.send(False, r180[:x], ack=False)
    f.advance(False, y - x)                            # r180[x:y] is lost (never in the capture)
    f.send(False, r180[y:] + r200, ack=False)
    f.ack(True)
    f.send(True, ack)
    f.send(False, bye)
    f.send(True, r200b)
    f.fin()
    write_pcap('tcp-gap.pcap', 1, f.pkts)


def main():
    udp = read_pcap('lab-udp.pcap')
    tcp = read_pcap('lab-tcp.pcap')
    link_variants(udp)
    pcapng_multi_if(udp)
    invalid('lab-udp.pcap')
    tcp_variants(tcp)
    if len(sys.argv) == 3:
        frag_variants(sys.argv[1], sys.argv[2])


if __name__ == '__main__':
    main()
