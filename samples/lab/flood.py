#!/usr/bin/env python3
"""Writes the attack traffic an internet-facing SIP server sees all day, as a classic pcap
(Ethernet/IPv4/UDP, microseconds), fast enough for millions of messages (no scapy).

    flood.py SHAPE OUT.pcap [--count N] [--rate PER_SECOND] [--seed S]

Shapes, each as the tools of the field send it:
  scanner        INVITEs to 192.0.2.1, each from its own address with its own Call-ID, never
                 answered (SIPVicious `svmap`-like traffic seen from the server: User-Agent
                 friendly-scanner)
  options-sweep  OPTIONS from one source to every address of 172.16.0.0/16 in turn (`svmap
                 172.16.0.0/16`); one host in 4,096 answers 200 OK
  register-brute one source guessing the password of sip:1001@192.0.2.1 (`svcrack`): per round
                 a new Call-ID, REGISTER -> 401 with a nonce, REGISTER with Authorization -> 403
  invite-flood   INVITEs from one source to 192.0.2.1 with random Call-IDs, never answered
  enum           user enumeration (`svwar`): REGISTER to extensions 100, 101, 102 ... from one
                 source; the server answers 404 Not Found, or 401 for the one extension in 50
                 that exists
  malformed      messages that look like SIP and are not (broken start lines, missing Call-ID,
                 bad CSeq, a header without colon), from many sources

Nothing here is committed as a large file: the samples in samples/attack/ are small runs of
each shape (their commands are in samples/README.md), and the measurements in the closing notes
come from runs of this script (e.g. --count 1500000 --rate 10000 for the 500 MB scanner flood).
"""
import argparse
import random
import struct

SERVER = '192.0.2.1'
T0 = 1764763200  # 2025-12-03 12:00:00 UTC


def ip_bytes(dotted):
    return bytes(int(p) for p in dotted.split('.'))


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


class Writer:
    """A pcap writer of Ethernet/IPv4/UDP frames."""

    def __init__(self, path):
        self.f = open(path, 'wb', buffering=1 << 20)
        self.f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        self.ident = 0

    def udp(self, t, src, sport, dst, dport, payload):
        udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
        self.ident = (self.ident + 1) & 0xffff
        hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), self.ident, 0, 64, 17, 0,
                          ip_bytes(src), ip_bytes(dst))
        hdr = hdr[:10] + struct.pack('!H', checksum(hdr)) + hdr[12:]
        frame = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + hdr + udp
        secs = int(t)
        usecs = int(round((t - secs) * 1e6))
        if usecs >= 1_000_000:
            secs, usecs = secs + 1, usecs - 1_000_000
        self.f.write(struct.pack('<IIII', secs, usecs, len(frame), len(frame)) + frame)

    def close(self):
        self.f.close()


def request(method, ruri, src, sport, call_id, from_user, to_user, cseq, ua, extra='', tag=None):
    tag = tag or '%08x' % (hash(call_id) & 0xffffffff)
    branch = 'z9hG4bK-%08x' % random.getrandbits(32)
    return (f'{method} {ruri} SIP/2.0\r\n'
            f'Via: SIP/2.0/UDP {src}:{sport};branch={branch};rport\r\n'
            f'From: "{from_user}" <sip:{from_user}@{SERVER}>;tag={tag}\r\n'
            f'To: "{to_user}" <sip:{to_user}@{SERVER}>\r\n'
            f'Call-ID: {call_id}\r\n'
            f'CSeq: {cseq} {method}\r\n'
            f'Contact: <sip:{from_user}@{src}:{sport}>\r\n'
            'Max-Forwards: 70\r\n'
            f'User-Agent: {ua}\r\n'
            f'{extra}'
            'Content-Length: 0\r\n\r\n')


def response(code, reason, req, extra=''):
    """A response echoing the request's Via, From, To (with a tag of its own), Call-ID and CSeq."""
    head = {l.split(':', 1)[0]: l for l in req.split('\r\n') if ':' in l}
    to = head['To'] + ';tag=srv%06x' % random.getrandbits(24)
    return (f'SIP/2.0 {code} {reason}\r\n{head["Via"]}\r\n{head["From"]}\r\n{to}\r\n'
            f'{head["Call-ID"]}\r\n{head["CSeq"]}\r\nServer: Asterisk PBX 18.10.0\r\n'
            f'{extra}Content-Length: 0\r\n\r\n')


def scanner_address(i):
    """The i-th scanning host: spread over 45.0.0.0/8 and 46.0.0.0/8 (public, routable)."""
    n = (i * 2654435761) % (1 << 25)
    return '%d.%d.%d.%d' % (45 + (n >> 24), (n >> 16) & 255, (n >> 8) & 255, max(1, n & 255))


def scanner(w, count, rate):
    for i in range(count):
        src = scanner_address(i)
        msg = request('INVITE', f'sip:100@{SERVER}', src, 5060, '%032x' % random.getrandbits(128),
                      '100', '100', 1, 'friendly-scanner')
        w.udp(T0 + i / rate, src, 5060, SERVER, 5060, msg.encode())


def options_sweep(w, count, rate):
    src = '203.0.113.66'
    for i in range(count):
        n = i % 65536
        dst = '172.16.%d.%d' % (n >> 8, n & 255)
        msg = request('OPTIONS', f'sip:100@{dst}', src, 5070, '%d-%d' % (i, random.getrandbits(40)),
                      'sipvicious', '100', 1, 'friendly-scanner')
        t = T0 + i / rate
        w.udp(t, src, 5070, dst, 5060, msg.encode())
        if n % 4096 == 4095:
            w.udp(t + 0.002, dst, 5060, src, 5070, response(200, 'OK', msg).encode())


def register_brute(w, count, rate):
    src, aor = '198.51.100.66', '1001'
    for i in range(count):
        t = T0 + i / rate
        call_id = '%x@%s' % (random.getrandbits(60), src)
        tag = '%08x' % random.getrandbits(32)
        first = request('REGISTER', f'sip:{SERVER}', src, 5061, call_id, aor, aor, 1,
                        'sipcli/v1.8', tag=tag)
        w.udp(t, src, 5061, SERVER, 5060, first.encode())
        nonce = '%016x' % random.getrandbits(64)
        challenge = response(401, 'Unauthorized', first,
                             f'WWW-Authenticate: Digest realm="asterisk",nonce="{nonce}",algorithm=MD5\r\n')
        w.udp(t + 0.001, SERVER, 5060, src, 5061, challenge.encode())
        auth = (f'Authorization: Digest username="{aor}",realm="asterisk",nonce="{nonce}",'
                f'uri="sip:{SERVER}",response="{random.getrandbits(128):032x}",algorithm=MD5\r\n')
        second = request('REGISTER', f'sip:{SERVER}', src, 5061, call_id, aor, aor, 2,
                         'sipcli/v1.8', extra=auth, tag=tag)
        w.udp(t + 0.002, src, 5061, SERVER, 5060, second.encode())
        w.udp(t + 0.003, SERVER, 5060, src, 5061, response(403, 'Forbidden', second).encode())


def invite_flood(w, count, rate):
    src = '198.51.100.77'
    for i in range(count):
        msg = request('INVITE', f'sip:0044{random.randrange(10**9):09d}@{SERVER}', src, 5060,
                      '%032x' % random.getrandbits(128), '1000', '1000', 1, 'VaxSIPUserAgent/3.1')
        w.udp(T0 + i / rate, src, 5060, SERVER, 5060, msg.encode())


def enum(w, count, rate):
    src = '198.51.100.88'
    for i in range(count):
        t = T0 + i / rate
        ext = str(100 + i)
        msg = request('REGISTER', f'sip:{SERVER}', src, 5062, '%x' % random.getrandbits(64),
                      ext, ext, 1, 'friendly-scanner')
        w.udp(t, src, 5062, SERVER, 5060, msg.encode())
        answer = (response(401, 'Unauthorized', msg, 'WWW-Authenticate: Digest realm="asterisk",'
                           f'nonce="{random.getrandbits(64):016x}"\r\n')
                  if i % 50 == 7 else response(404, 'Not Found', msg))
        w.udp(t + 0.001, SERVER, 5060, src, 5062, answer.encode())


BROKEN = [
    'INVITE sip:100@192.0.2.1\r\nCall-ID: {c}\r\nCSeq: 1 INVITE\r\n\r\n',
    'INVITE  SIP/2.0\r\nCall-ID: {c}\r\n\r\n',
    'OPTIONS sip:100@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP {s}:5060\r\nCSeq: 1 OPTIONS\r\n\r\n',
    'REGISTER sip:192.0.2.1 SIP/2.0\r\nCall-ID: {c}\r\nCSeq: one REGISTER\r\n\r\n',
    'SIP/2.0 2OO OK\r\nCall-ID: {c}\r\n\r\n',
    'INVITE sip:100@192.0.2.1 SIP/2.0\r\nCall-ID {c}\r\nContent-Length: 999\r\n\r\nv=0\r\n',
]


def malformed(w, count, rate):
    for i in range(count):
        src = scanner_address(i)
        text = BROKEN[i % len(BROKEN)].format(c='%x' % random.getrandbits(64), s=src)
        w.udp(T0 + i / rate, src, 5060, SERVER, 5060, text.encode())


SHAPES = {'scanner': scanner, 'options-sweep': options_sweep, 'register-brute': register_brute,
          'invite-flood': invite_flood, 'enum': enum, 'malformed': malformed}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('shape', choices=sorted(SHAPES))
    ap.add_argument('out')
    ap.add_argument('--count', type=int, default=1000, help='attempts (rounds, requests)')
    ap.add_argument('--rate', type=float, default=100.0, help='attempts per second')
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    random.seed(args.seed)
    w = Writer(args.out)
    SHAPES[args.shape](w, args.count, args.rate)
    w.close()


if __name__ == '__main__':
    main()
