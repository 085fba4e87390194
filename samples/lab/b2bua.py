#!/usr/bin/env python3
"""A small back-to-back user agent for the lab (plain UDP sockets, no SIP library).

For each INVITE it receives (the A-leg) it answers 100 Trying and opens its own INVITE to the
callee (the B-leg): a NEW Call-ID, its own From tag, branch, CSeq, Contact and User-Agent, and
no header that names the A-leg's Call-ID. The caller's user part is kept in the B-leg's From
(caller ID passed on), with the B2BUA's host. Then it relays between the legs:

- 180/183 from the callee -> the same code on the A-leg (its own To tag, Contact; a 183's SDP
  rewritten like the 200's);
- 200 from the callee -> 200 on the A-leg; the caller's ACK -> ACK on the B-leg;
- 4xx-6xx from the callee (486...) -> ACK on the B-leg, the same code on the A-leg (the
  caller's ACK is absorbed);
- CANCEL from the caller -> 200 to the CANCEL, CANCEL on the B-leg; the callee's 487 is ACKed
  and 487 sent on the A-leg;
- BYE from either side -> 200 to it, BYE on the other leg.

Media: the B2BUA anchors it. Each leg's SDP points at the B2BUA (127.0.0.5, one RTP port per
leg; its own o= line; codecs and attributes copied from the offer or answer), and RTP is
re-originated: each packet received on one leg is sent on the other leg from the B2BUA's port
with the B2BUA's own SSRC, sequence number and timestamp for that direction (payload type and
payload unchanged), as a media-anchoring B2BUA (Asterisk, FreeSWITCH) does.

Routing (a fixed table): user bob -> 127.0.0.41:5060, gina -> 127.0.0.43:5060; a national
French number 0XXXXXXXXX -> E.164 +33XXXXXXXXX at 127.0.0.42:5060 (Request-URI and To carry
the E.164 form with user=phone). Anything else -> 404.

Usage: b2bua.py IP PORT LOG.json SECONDS   (runs SECONDS seconds, then writes LOG.json: per
call the A-leg and B-leg Call-IDs, parties and outcome)."""
import json
import re
import select
import sys
import time
import uuid

from sipmini import Msg, build, new_branch, rand_hex, response, uri_of, udp_socket

IP, PORT, LOG, SECONDS = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
UA = 'lab-b2bua/1.0'
CONTACT = f'<sip:b2bua@{IP}:{PORT}>'
ROUTES = {'bob': ('127.0.0.41', 5060), 'gina': ('127.0.0.43', 5060)}
MOBILE_GW = ('127.0.0.42', 5060)

sip = udp_socket(IP, PORT)
rtp_port = 20000
calls = []          # in order of creation
by_call_id = {}     # Call-ID -> (call, 'a' | 'b')
rtp_socks = {}      # socket -> (call, 'a' | 'b'): the B2BUA's RTP socket facing that leg


def route(user):
    if user in ROUTES:
        return user, ROUTES[user], f'sip:{user}@{ROUTES[user][0]}:{ROUTES[user][1]}', f'<sip:{user}@{IP}>'
    if re.fullmatch(r'0[1-9]\d{8}', user):
        e164 = '+33' + user[1:]
        host, port = MOBILE_GW
        return e164, MOBILE_GW, f'sip:{e164}@{host}:{port};user=phone', f'<sip:{e164}@{host};user=phone>'
    return None


def rewrite_sdp(body, port, session):
    """The offer or answer with the B2BUA's address, port and o= line."""
    out = []
    for line in body.replace('\r\n', '\n').split('\n'):
        if line.startswith('o='):
            line = f'o=lab-b2bua {session} {session} IN IP4 {IP}'
        elif line.startswith('c=IN IP4 '):
            line = f'c=IN IP4 {IP}'
        elif line.startswith('m=audio '):
            line = re.sub(r'^m=audio \d+', f'm=audio {port}', line)
        out.append(line)
    return '\n'.join(out)


def media_of(body):
    ip = re.search(r'^c=IN IP4 (\S+)', body, re.M).group(1)
    return ip, int(re.search(r'^m=audio (\d+)', body, re.M).group(1))


class Direction:
    """Re-originated RTP towards one leg: the B2BUA's own SSRC, sequence and timestamp."""

    def __init__(self):
        self.ssrc = int.from_bytes(bytes.fromhex(rand_hex(4)), 'big')
        self.seq = int.from_bytes(bytes.fromhex(rand_hex(2)), 'big') & 0x7FFF
        self.ts_base = int.from_bytes(bytes.fromhex(rand_hex(4)), 'big') & 0x7FFFFFFF
        self.first_in_ts = None

    def rewrite(self, pkt):
        if len(pkt) < 12:
            return pkt
        ts_in = int.from_bytes(pkt[4:8], 'big')
        if self.first_in_ts is None:
            self.first_in_ts = ts_in
        ts = (self.ts_base + ts_in - self.first_in_ts) & 0xFFFFFFFF
        out = pkt[:2] + self.seq.to_bytes(2, 'big') + ts.to_bytes(4, 'big') + self.ssrc.to_bytes(4, 'big') + pkt[12:]
        self.seq = (self.seq + 1) & 0xFFFF
        return out


class Call:
    def __init__(self, invite, src):
        global rtp_port
        self.a_invite, self.a_src = invite, src
        self.a_to_tag = rand_hex(5)
        self.a_cseq = 1                      # the B2BUA's CSeq for requests it sends on the A-leg
        self.a_target = uri_of(invite.get('Contact'))
        self.a_media = media_of(invite.body) if invite.body else None
        self.b_call_id = str(uuid.uuid4())
        self.b_from_tag = rand_hex(5)
        self.b_cseq = int(rand_hex(1), 16) + 100
        self.b_branch = new_branch()
        self.b_to_tag = None
        self.b_target = None
        self.b_media = None
        self.a_sock, self.b_sock = udp_socket(IP, rtp_port), udp_socket(IP, rtp_port + 2)
        self.a_port, self.b_port = rtp_port, rtp_port + 2
        rtp_port += 4
        rtp_socks[self.a_sock], rtp_socks[self.b_sock] = (self, 'a'), (self, 'b')
        self.to_a, self.to_b = Direction(), Direction()
        self.session = int(time.time()) + len(calls)
        self.state = 'calling'
        self.log = {'a_call_id': invite.call_id, 'b_call_id': self.b_call_id,
                    'caller': f'{src[0]}:{src[1]}', 'a_request_uri': invite.ruri,
                    'a_from': invite.get('From'), 'a_to': invite.get('To')}
        self.a_final = None                  # bytes of the final response on the A-leg (retransmissions)

    # --- A-leg (the B2BUA is the UAS) ---
    def a_response(self, code, reason, body='', contact=True, req=None):
        extra = ([('Contact', CONTACT)] if contact else []) + [('Server', UA)]
        if body:
            extra.append(('Content-Type', 'application/sdp'))
        data = response(req or self.a_invite, code, reason, extra, to_tag=self.a_to_tag if code > 100 else None,
                        body=body, keep=('Via',))
        sip.sendto(data, self.a_src)
        return data

    def a_request(self, method):
        inv = self.a_invite
        from_h = f'{inv.get("To")};tag={self.a_to_tag}' if ';tag=' not in inv.get('To') else inv.get('To')
        self.a_cseq += 1
        data = build(f'{method} {self.a_target} SIP/2.0',
                     [('Via', f'SIP/2.0/UDP {IP}:{PORT};branch={new_branch()}'), ('Max-Forwards', '70'),
                      ('From', from_h), ('To', inv.get('From')), ('Call-ID', inv.call_id),
                      ('CSeq', f'{self.a_cseq} {method}'), ('User-Agent', UA)])
        sip.sendto(data, self.a_src)

    # --- B-leg (the B2BUA is the UAC) ---
    def b_headers(self, method, cseq, branch, to_tag=True):
        to = self.b_to + (f';tag={self.b_to_tag}' if to_tag and self.b_to_tag else '')
        return [('Via', f'SIP/2.0/UDP {IP}:{PORT};branch={branch}'), ('Max-Forwards', '70'),
                ('From', f'{self.b_from};tag={self.b_from_tag}'), ('To', to), ('Call-ID', self.b_call_id),
                ('CSeq', f'{cseq} {method}')]

    def start_b(self, user, dest, ruri, to):
        self.b_dest, self.b_ruri, self.b_to = dest, ruri, to
        caller = re.search(r'sip:([^@>;]+)@', self.a_invite.get('From')).group(1)
        name = re.match(r'\s*"([^"]*)"', self.a_invite.get('From'))
        self.b_from = (f'"{name.group(1)}" ' if name else '') + f'<sip:{caller}@{IP}>'
        body = rewrite_sdp(self.a_invite.body, self.b_port, self.session) if self.a_invite.body else ''
        hdrs = self.b_headers('INVITE', self.b_cseq, self.b_branch, to_tag=False) + [
            ('Contact', CONTACT), ('User-Agent', UA),
            ('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'), ('Content-Type', 'application/sdp')]
        self.b_invite = build(f'INVITE {ruri} SIP/2.0', hdrs, body)
        sip.sendto(self.b_invite, dest)
        self.log.update({'callee': f'{dest[0]}:{dest[1]}', 'b_request_uri': ruri, 'b_to': to, 'b_from': self.b_from})

    def b_request(self, method, to_tag=True):
        """ACK (2xx) and BYE: new branch, to the callee's Contact."""
        cseq = self.b_cseq if method == 'ACK' else self.b_cseq + 1
        if method == 'BYE':
            self.b_cseq += 1
        data = build(f'{method} {self.b_target} SIP/2.0', self.b_headers(method, cseq, new_branch(), to_tag)
                     + [('User-Agent', UA)])
        sip.sendto(data, self.b_dest)
        return data


def on_request(m, src):
    entry = by_call_id.get(m.call_id)
    if entry is None:
        if m.method == 'INVITE':
            call = Call(m, src)
            calls.append(call)
            by_call_id[m.call_id] = (call, 'a')
            sip.sendto(response(m, 100, 'Trying', [('Server', UA)], keep=('Via',)), src)
            user = re.match(r'sips?:([^@;]+)@', m.ruri)
            r = route(user.group(1)) if user else None
            if r is None:
                call.a_final = call.a_response(404, 'Not Found', contact=False)
                call.state = 'rejected'
                call.log['outcome'] = '404 (no route)'
                return
            by_call_id[call.b_call_id] = (call, 'b')
            call.start_b(*r)
        elif m.method != 'ACK':
            sip.sendto(response(m, 481, 'Call/Transaction Does Not Exist', [('Server', UA)], to_tag=rand_hex(4),
                                keep=('Via',)), src)
        return
    call, leg = entry
    if leg == 'a':
        if m.method == 'INVITE':                       # retransmission
            if call.a_final:
                sip.sendto(call.a_final, call.a_src)
        elif m.method == 'ACK':
            if call.state == 'answered' and not call.log.get('b_ack'):
                call.b_request('ACK')
                call.log['b_ack'] = True
                call.state = 'confirmed'
        elif m.method == 'CANCEL':
            sip.sendto(response(m, 200, 'OK', [('Server', UA)], to_tag=call.a_to_tag, keep=('Via',)), src)
            if call.state == 'calling':
                call.state = 'cancelling'
                hdrs = call.b_headers('CANCEL', call.b_cseq, call.b_branch, to_tag=False) + [('User-Agent', UA)]
                sip.sendto(build(f'CANCEL {call.b_ruri} SIP/2.0', hdrs), call.b_dest)
                call.log['cancelled_by'] = 'caller'
        elif m.method == 'BYE':
            sip.sendto(response(m, 200, 'OK', [('Server', UA)], keep=('Via',)), src)
            call.b_request('BYE')
            call.state = 'ended'
            call.log['hangup'] = 'caller'
    else:
        if m.method == 'BYE':
            sip.sendto(response(m, 200, 'OK', [('Server', UA)], keep=('Via',)), src)
            call.a_request('BYE')
            call.state = 'ended'
            call.log['hangup'] = 'callee'
        elif m.method == 'INVITE':
            sip.sendto(response(m, 488, 'Not Acceptable Here', [('Server', UA)], keep=('Via',)), src)


def on_response(m, src):
    entry = by_call_id.get(m.call_id)
    if entry is None:
        return
    call, leg = entry
    num, method = m.cseq
    if leg == 'a' or method != 'INVITE':
        return                                          # 200 to our BYE, 200 to our CANCEL
    if m.code == 100:
        return
    if m.code < 200:
        if call.state in ('calling', 'cancelling'):
            call.b_to_tag = m.tag('To') or call.b_to_tag
            body = ''
            if m.body:                                  # early media (183 with SDP): anchored too
                call.b_media = media_of(m.body)
                body = rewrite_sdp(m.body, call.a_port, call.session)
            call.a_response(m.code, m.reason, body)
        return
    if 200 <= m.code < 300:
        if call.b_target is not None:                   # retransmitted 200: ACK again if already ACKed
            if call.log.get('b_ack'):
                call.b_request('ACK')
            return
        call.b_to_tag = m.tag('To')
        call.b_target = uri_of(m.get('Contact'))
        call.b_media = media_of(m.body) if m.body else None
        body = rewrite_sdp(m.body, call.a_port, call.session) if m.body else ''
        call.a_final = call.a_response(200, 'OK', body)
        call.state = 'answered'
        call.log['outcome'] = '200'
        return
    # 3xx-6xx: ACK it on the B-leg (same branch), relay the code on the A-leg
    if call.log.get('outcome'):
        return                                          # a retransmission of the final response
    to = m.get('To')
    hdrs = [('Via', f'SIP/2.0/UDP {IP}:{PORT};branch={call.b_branch}'), ('Max-Forwards', '70'),
            ('From', f'{call.b_from};tag={call.b_from_tag}'), ('To', to), ('Call-ID', call.b_call_id),
            ('CSeq', f'{call.b_cseq} ACK'), ('User-Agent', UA)]
    sip.sendto(build(f'ACK {call.b_ruri} SIP/2.0', hdrs), call.b_dest)
    call.a_final = call.a_response(m.code, m.reason, contact=False)
    call.state = 'rejected' if call.state != 'cancelling' else 'cancelled'
    call.log['outcome'] = str(m.code)


def on_rtp(sock):
    call, leg = rtp_socks[sock]
    pkt, _ = sock.recvfrom(2048)
    if leg == 'a' and call.b_media:
        call.b_sock.sendto(call.to_b.rewrite(pkt), call.b_media)
    elif leg == 'b' and call.a_media:
        call.a_sock.sendto(call.to_a.rewrite(pkt), call.a_media)


end = time.monotonic() + SECONDS
while time.monotonic() < end:
    ready, _, _ = select.select([sip] + list(rtp_socks), [], [], 0.05)
    for s in ready:
        if s is sip:
            data, src = sip.recvfrom(65535)
            m = Msg(data)
            (on_request if m.is_request else on_response)(m, src)
        else:
            on_rtp(s)

with open(LOG, 'w') as f:
    json.dump([c.log | {'b2bua_rtp': {'a_leg': f'{IP}:{c.a_port}', 'b_leg': f'{IP}:{c.b_port}'}} for c in calls],
              f, indent=1)
    f.write('\n')
