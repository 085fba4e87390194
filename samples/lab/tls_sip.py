#!/usr/bin/env python3
"""SIP over TLS, WebSocket over TLS (WSS) and their plain twins, between Python peers on loopback.

    tls_sip.py MODE OUT.pcap        (root: runs tcpdump on lo)
    tls_sip.py damage IN.pcap OUT.pcap FRAME   (flips the last byte of that frame: a TLS
                                                record whose authentication tag fails)

MODE: tls13 | tls12 | tcp (the twin of both) | wss | ws (the twin of wss).

A phone 127.0.0.10 and a PBX 127.0.0.2 (registrar with digest authentication, and the callee).
SIP over TLS/TCP: three connections, one per step, each from its own port: the registration
(REGISTER, 401, REGISTER with credentials, 200), a call (INVITE, 100, 180, 200 with SDP, ACK, BYE
from the phone, 200) and an OPTIONS ping (200). TLS 1.3 offers one cipher suite per connection
(TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256), TLS 1.2 one per
connection too (ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-CHACHA20-POLY1305, ECDHE-RSA-AES256-SHA384:
CBC with HMAC-SHA384, encrypt-then-MAC as OpenSSL negotiates it). WSS/WS: one connection, the
HTTP upgrade (Sec-WebSocket-Protocol: sip), then the three steps in WebSocket frames (client
frames masked). The phone's TLS contexts write the key log OUT.keys (Python's keylog_filename).
Identifiers are fixed, so the twins carry the same messages but for the transport and scheme.
"""
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sipmini  # noqa: E402

PBX, PHONE = '127.0.0.2', '127.0.0.10'
SUITES13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']
SUITES12 = ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES256-SHA384']
PORTS = {'tls13': (5061, 41001), 'tls12': (5061, 42001), 'tcp': (5060, 43001),
         'wss': (7443, 44001), 'ws': (8080, 45001)}
NONCE = '5f2b8e0c1d7a4e93'


def transport(mode):
    return {'tls13': 'TLS', 'tls12': 'TLS', 'tcp': 'TCP', 'wss': 'WSS', 'ws': 'WS'}[mode]


def scheme(mode):
    return 'sips' if mode in ('tls13', 'tls12', 'wss') else 'sip'


# --- framing: SIP by Content-Length, WebSocket frames (RFC 6455) --------------------------------

class Channel:
    """A connection that sends and receives whole SIP messages, directly or in WebSocket frames."""

    def __init__(self, sock, websocket, client):
        self.sock, self.websocket, self.client, self.buf = sock, websocket, client, b''

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def send(self, msg):
        if not self.websocket:
            self.sock.sendall(msg)
            return
        head = bytes([0x81])
        mask_bit = 0x80 if self.client else 0
        n = len(msg)
        head += bytes([mask_bit | n]) if n < 126 else bytes([mask_bit | 126]) + struct.pack('!H', n)
        if self.client:
            key = os.urandom(4)
            msg = key + bytes(b ^ key[i % 4] for i, b in enumerate(msg))
        self.sock.sendall(head + msg)

    def recv(self):
        if self.websocket:
            while True:
                while len(self.buf) < 2:
                    self._fill()
                masked, n = self.buf[1] & 0x80, self.buf[1] & 0x7f
                at = 2
                if n == 126:
                    while len(self.buf) < 4:
                        self._fill()
                    n, at = struct.unpack('!H', self.buf[2:4])[0], 4
                key = b''
                if masked:
                    while len(self.buf) < at + 4:
                        self._fill()
                    key, at = self.buf[at:at + 4], at + 4
                while len(self.buf) < at + n:
                    self._fill()
                payload, opcode = self.buf[at:at + n], self.buf[0] & 0x0f
                self.buf = self.buf[at + n:]
                if key:
                    payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
                if opcode == 8:
                    raise EOFError
                return sipmini.Msg(payload)
        while b'\r\n\r\n' not in self.buf:
            self._fill()
        head, _, _ = self.buf.partition(b'\r\n\r\n')
        length = 0
        for line in head.split(b'\r\n'):
            name, _, value = line.partition(b':')
            if name.strip().lower() in (b'content-length', b'l'):
                length = int(value)
        total = len(head) + 4 + length
        while len(self.buf) < total:
            self._fill()
        msg, self.buf = self.buf[:total], self.buf[total:]
        return sipmini.Msg(msg)

    def close(self):
        if self.websocket:
            close = b'\x03\xe8'
            key = os.urandom(4) if self.client else b''
            body = bytes(b ^ key[i % 4] for i, b in enumerate(close)) if key else close
            self.sock.sendall(bytes([0x88, (0x80 if key else 0) | 2]) + key + body)
            time.sleep(0.05)
        if isinstance(self.sock, ssl.SSLSocket):
            try:
                self.sock.unwrap()
            except (ssl.SSLError, OSError):
                pass
        self.sock.close()


# --- the PBX ------------------------------------------------------------------------------------

def serve(mode, listener, ctx, connections):
    websocket = mode in ('wss', 'ws')
    for _ in range(connections):
        conn, _ = listener.accept()
        if ctx:
            conn = ctx.wrap_socket(conn, server_side=True)
        if websocket:
            data = b''
            while b'\r\n\r\n' not in data:
                data += conn.recv(4096)
            conn.sendall(b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'
                         b'Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n'
                         b'Sec-WebSocket-Protocol: sip\r\n\r\n')
        chan = Channel(conn, websocket, client=False)
        try:
            while True:
                answer(chan, chan.recv(), mode)
        except (EOFError, OSError, ssl.SSLError):
            chan.sock.close()


def answer(chan, req, mode):
    pbx_tag = 'pbx-' + req.call_id.split('@')[0]
    server = [('Server', 'lab-tls-pbx/1.0')]
    if req.method == 'REGISTER':
        if not req.get('Authorization'):
            chan.send(sipmini.response(req, 401, 'Unauthorized', server + [
                ('WWW-Authenticate', f'Digest realm="lab", nonce="{NONCE}", algorithm=MD5, qop="auth"')],
                to_tag=pbx_tag))
        else:
            chan.send(sipmini.response(req, 200, 'OK', [('Contact', req.get('Contact') + ';expires=600')]
                                       + server, to_tag=pbx_tag))
    elif req.method == 'INVITE':
        chan.send(sipmini.response(req, 100, 'Trying', server))
        time.sleep(0.05)
        chan.send(sipmini.response(req, 180, 'Ringing', server, to_tag=pbx_tag))
        time.sleep(0.3)
        contact = [('Contact', f'<{scheme(mode)}:echo@{PBX}:{PORTS[mode][0]}>')]
        chan.send(sipmini.response(req, 200, 'OK', contact + server + [('Content-Type', 'application/sdp')],
                                   to_tag=pbx_tag, body=sipmini.sdp('pbx', PBX, 6000, 4242)))
    elif req.method in ('BYE', 'OPTIONS'):
        chan.send(sipmini.response(req, 200, 'OK', server, to_tag=pbx_tag))


# --- the phone ----------------------------------------------------------------------------------

def request(mode, method, ruri, port, step, cseq, call_id, to_tag=None, extra=(), body=''):
    sch = scheme(mode)
    sent_by = 'alice.invalid' if mode in ('wss', 'ws') else f'{PHONE}:{port}'
    to = f'<{sch}:{ruri}>' + (f';tag={to_tag}' if to_tag else '')
    headers = [('Via', f'SIP/2.0/{transport(mode)} {sent_by};branch=z9hG4bK-{step}-{cseq};rport'),
               ('Max-Forwards', '70'), ('From', f'<{sch}:alice@lab>;tag=alice-{call_id}'),
               ('To', to if method != 'REGISTER' else f'<{sch}:alice@lab>'),
               ('Call-ID', f'{call_id}@{PHONE}'), ('CSeq', f'{cseq} {method}')]
    headers += [('Contact', f'<{sch}:alice@{sent_by};transport={transport(mode).lower()}>'),
                ('User-Agent', 'lab-tls-phone/1.0')]
    headers += list(extra)
    target = f'{sch}:{ruri}' if method != 'REGISTER' else f'{sch}:lab'
    return sipmini.build(f'{method} {target} SIP/2.0', headers, body)


def register(chan, mode, port):
    chan.send(request(mode, 'REGISTER', 'lab', port, 'reg', 1, 'reg-1', extra=[('Expires', '600')]))
    challenge = chan.recv()
    auth = sipmini.digest(challenge.get('WWW-Authenticate'), 'REGISTER', f'{scheme(mode)}:lab', 'alice', 'secret')
    chan.send(request(mode, 'REGISTER', 'lab', port, 'reg', 2, 'reg-1',
                      extra=[('Expires', '600'), ('Authorization', auth)]))
    chan.recv()


def call(chan, mode, port):
    body = sipmini.sdp('alice', PHONE, 7000, 1717)
    chan.send(request(mode, 'INVITE', 'echo@lab', port, 'inv', 1, 'call-1',
                      extra=[('Content-Type', 'application/sdp')], body=body))
    final = None
    while final is None or final.code < 200:
        final = chan.recv()
    tag = final.tag('To')
    chan.send(request(mode, 'ACK', 'echo@lab', port, 'ack', 1, 'call-1', to_tag=tag))
    time.sleep(0.5)
    chan.send(request(mode, 'BYE', 'echo@lab', port, 'bye', 2, 'call-1', to_tag=tag))
    chan.recv()


def options(chan, mode, port):
    chan.send(request(mode, 'OPTIONS', 'lab', port, 'opt', 1, 'opt-1'))
    chan.recv()


def phone(mode, step, keylog):
    """One connection from its own port, for one step (run in a process of its own, so that the
    TLS 1.3 cipher suite can be chosen through OPENSSL_CONF)."""
    server_port, base = PORTS[mode]
    port = base + ['register', 'call', 'options', 'all'].index(step)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((PHONE, port))
    sock.connect((PBX, server_port))
    if mode in ('tls13', 'tls12', 'wss'):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        ctx.keylog_filename = keylog
        if mode == 'tls12':
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers(SUITES12[['register', 'call', 'options'].index(step)])
        else:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        sock = ctx.wrap_socket(sock, server_hostname='pbx.lab')
    websocket = mode in ('wss', 'ws')
    if websocket:
        sock.sendall(b'GET /ws HTTP/1.1\r\nHost: pbx.lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                     b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'
                     b'Sec-WebSocket-Protocol: sip\r\n\r\n')
        data = b''
        while b'\r\n\r\n' not in data:
            data += sock.recv(4096)
    chan = Channel(sock, websocket, client=True)
    for run in ([register, call, options] if step == 'all' else [globals()[step]]):
        run(chan, mode, port)
        time.sleep(0.1)
    chan.close()


def damage(src, dst, frame):
    from variants import read_pcap, write_pcap
    linktype, snap, recs = read_pcap(src)
    sec, usec, orig, data = recs[frame - 1]
    recs[frame - 1] = (sec, usec, orig, data[:-1] + bytes([data[-1] ^ 0x01]))
    write_pcap(dst, linktype, recs, snap=snap)


def main():
    if sys.argv[1] == 'damage':
        damage(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    if sys.argv[1] == 'phone':
        phone(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    mode, out = sys.argv[1], os.path.abspath(sys.argv[2])
    keys = os.path.splitext(out)[0] + '.keys'
    tmp = tempfile.mkdtemp()
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f'{tmp}/key.pem',
                    '-out', f'{tmp}/cert.pem', '-days', '3650', '-subj', '/CN=pbx.lab'],
                   check=True, capture_output=True)
    ctx = None
    if mode in ('tls13', 'tls12', 'wss'):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(f'{tmp}/cert.pem', f'{tmp}/key.pem')
        ctx.set_ciphers('ALL')
        ctx.num_tickets = 0
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((PBX, PORTS[mode][0]))
    listener.listen()
    steps = ['all'] if mode in ('wss', 'ws') else ['register', 'call', 'options']
    pbx = threading.Thread(target=serve, args=(mode, listener, ctx, len(steps)), daemon=True)
    pbx.start()
    dump = subprocess.Popen(['tcpdump', '-i', 'lo', '-s', '0', '-U', '-w', out,
                             f'tcp port {PORTS[mode][0]}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    if os.path.exists(keys):
        os.remove(keys)
    for i, step in enumerate(steps):
        env = dict(os.environ)
        if mode == 'tls13':
            conf = f'{tmp}/openssl-{i}.cnf'
            with open(conf, 'w') as f:
                f.write('openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = sys\n'
                        f'[sys]\nCiphersuites = {SUITES13[i]}\n')
            env['OPENSSL_CONF'] = conf
        subprocess.run([sys.executable, __file__, 'phone', mode, step, keys], check=True, env=env)
        time.sleep(0.2)
    pbx.join(timeout=5)
    time.sleep(1)
    dump.terminate()
    dump.wait()
    if mode in ('tcp', 'ws') and os.path.exists(keys):
        os.remove(keys)


if __name__ == '__main__':
    main()
