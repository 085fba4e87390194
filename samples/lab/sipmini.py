"""A few helpers for the lab's small SIP agents (auth_phone.py, b2bua.py, b2bua_phones.py):
parse and build SIP messages over UDP, digest answers (RFC 2617, MD5, qop=auth), identifiers,
SDP and G.711 RTP. Plain sockets and the standard library only; just enough SIP for the lab."""
import hashlib
import math
import os
import re
import socket
import time

COMPACT = {'v': 'via', 'f': 'from', 't': 'to', 'i': 'call-id', 'm': 'contact', 'l': 'content-length',
           'c': 'content-type'}


def rand_hex(n):
    return os.urandom(n).hex()


def new_branch():
    return 'z9hG4bK' + rand_hex(8)


class Msg:
    """A parsed SIP message: start line, headers in order (name as written, value), body."""

    def __init__(self, data):
        head, _, body = data.partition(b'\r\n\r\n')
        lines = head.decode('utf-8', 'replace').split('\r\n')
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(':')
            self.headers.append((name.strip(), value.strip()))
        self.body = body.decode('utf-8', 'replace')
        parts = self.start.split(' ', 2)
        self.is_request = not self.start.startswith('SIP/2.0')
        self.method = parts[0] if self.is_request else None
        self.ruri = parts[1] if self.is_request else None
        self.code = int(parts[1]) if not self.is_request else None
        self.reason = parts[2] if not self.is_request and len(parts) > 2 else ''

    def all(self, name):
        name = name.lower()
        return [v for n, v in self.headers if COMPACT.get(n.lower(), n.lower()) == name]

    def get(self, name, default=''):
        values = self.all(name)
        return values[0] if values else default

    @property
    def call_id(self):
        return self.get('Call-ID')

    @property
    def cseq(self):
        num, _, method = self.get('CSeq').partition(' ')
        return int(num), method.strip()

    def tag(self, name):
        m = re.search(r';\s*tag=([^;>\s]+)', self.get(name))
        return m.group(1) if m else None

    def top_branch(self):
        m = re.search(r'branch=([^;\s,]+)', self.get('Via'))
        return m.group(1) if m else None


def uri_of(header_value):
    """The URI inside a From/To/Contact/Route value."""
    m = re.search(r'<([^>]*)>', header_value)
    return m.group(1) if m else header_value.split(';')[0].strip()


def host_port(uri):
    m = re.match(r'sips?:(?:[^@]*@)?([^:;>]+)(?::(\d+))?', uri)
    return m.group(1), int(m.group(2) or 5060)


def build(start, headers, body=''):
    """Start line, [(name, value)] in order, body: Content-Length added last."""
    body_b = body.replace('\r\n', '\n').replace('\n', '\r\n').encode() if body else b''
    lines = [start] + [f'{n}: {v}' for n, v in headers] + [f'Content-Length: {len(body_b)}']
    return ('\r\n'.join(lines) + '\r\n\r\n').encode() + body_b


def response(req, code, reason, extra=(), to_tag=None, body='', keep=('Via', 'Record-Route')):
    """A response to req: its Via (and Record-Route) headers, From, To (+tag), Call-ID, CSeq."""
    headers = [(n, v) for n, v in req.headers if COMPACT.get(n.lower(), n.lower()) in [k.lower() for k in keep]]
    to = req.get('To')
    if to_tag and ';tag=' not in to:
        to = f'{to};tag={to_tag}'
    headers += [('From', req.get('From')), ('To', to), ('Call-ID', req.call_id), ('CSeq', req.get('CSeq'))]
    headers += list(extra)
    return build(f'SIP/2.0 {code} {reason}', headers, body)


def digest(challenge, method, uri, user, password, nc=1):
    """The value of an Authorization / Proxy-Authorization header answering a Digest challenge."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.split(' ', 1)[1]))
    realm, nonce = params['realm'], params['nonce']
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
    ha1, ha2 = md5(f'{user}:{realm}:{password}'), md5(f'{method}:{uri}')
    value = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
    if 'auth' in params.get('qop', '').split(','):
        cnonce, ncs = rand_hex(8), f'{nc:08x}'
        resp = md5(f'{ha1}:{nonce}:{ncs}:{cnonce}:auth:{ha2}')
        value += f', response="{resp}", algorithm=MD5, cnonce="{cnonce}", qop=auth, nc={ncs}'
    else:
        value += f', response="{md5(f"{ha1}:{nonce}:{ha2}")}", algorithm=MD5'
    return value


def sdp(user, ip, port, session_id, codecs=((8, 'PCMA'),)):
    pts = ' '.join(str(pt) for pt, _ in codecs)
    lines = ['v=0', f'o={user} {session_id} {session_id} IN IP4 {ip}', 's=-', f'c=IN IP4 {ip}', 't=0 0',
             f'm=audio {port} RTP/AVP {pts} 101']
    lines += [f'a=rtpmap:{pt} {name}/8000' for pt, name in codecs]
    lines += ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'a=sendrecv']
    return '\n'.join(lines) + '\n'


def sdp_addr(body):
    """(ip, port) of the first audio stream of an SDP body."""
    ip = re.search(r'^c=IN IP4 (\S+)', body, re.M).group(1)
    port = int(re.search(r'^m=audio (\d+)', body, re.M).group(1))
    return ip, port


def alaw(sample):
    """G.711 A-law encoding of a 16-bit linear sample."""
    sign = 0x80 if sample >= 0 else 0
    sample = min(abs(sample), 32767) >> 3
    if sample < 32:
        code = sample >> 1
    else:
        seg = sample.bit_length() - 5
        code = (seg << 4) | ((sample >> seg) & 0x0F)
    return (sign | code) ^ 0x55


class RtpSender:
    """Sends 20 ms PCMA packets (a tone) from a bound UDP socket."""

    def __init__(self, sock, dest, freq=440):
        self.sock, self.dest, self.freq = sock, dest, freq
        self.ssrc = int.from_bytes(os.urandom(4), 'big')
        self.seq = int.from_bytes(os.urandom(2), 'big') & 0x7FFF
        self.ts = int.from_bytes(os.urandom(4), 'big') & 0x7FFFFFFF
        self.n = 0

    def send(self):
        pay = bytes(alaw(int(6000 * math.sin(2 * math.pi * self.freq * (self.n * 160 + i) / 8000)))
                    for i in range(160))
        hdr = bytes([0x80, 0x08]) + self.seq.to_bytes(2, 'big') + self.ts.to_bytes(4, 'big') + self.ssrc.to_bytes(4, 'big')
        self.sock.sendto(hdr + pay, self.dest)
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + 160) & 0xFFFFFFFF
        self.n += 1


def udp_socket(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    return s


def recv(sock, timeout):
    """(Msg, address) or (None, None) after timeout seconds."""
    sock.settimeout(timeout)
    try:
        data, addr = sock.recvfrom(65535)
    except socket.timeout:
        return None, None
    return Msg(data), addr


def sleep_until(t):
    d = t - time.monotonic()
    if d > 0:
        time.sleep(d)
