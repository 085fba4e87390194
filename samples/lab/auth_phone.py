#!/usr/bin/env python3
"""A phone that answers every digest challenge with a NEW Call-ID and a new From tag, as the
seed course says its phone does ("cette nouvelle requête entame un nouveau dialogue (cf le tag
et Call-ID)"). Used by auth-newcallid.sh against kamailio-auth.cfg:

  1. REGISTER (Call-ID 1) -> 401; REGISTER with Authorization (Call-ID 2, new tag) -> 200.
  2. INVITE to bob (Call-ID 3) -> 407; ACK; INVITE with Proxy-Authorization (Call-ID 4, new
     tag, CSeq counter going on) -> 100, 180, 200 through the proxy (Record-Route); ACK on the
     route set; 10 RTP packets (PCMA, 20 ms) to Bob's SDP address; BYE -> 200.

Usage: auth_phone.py PROXY_IP USER PASSWORD LOCAL_IP LOCAL_PORT RTP_PORT CALLEE
Prints the Call-IDs it used, one per line, as JSON at the end."""
import json
import sys
import time

from sipmini import Msg, build, digest, new_branch, rand_hex, recv, sdp, sdp_addr, udp_socket, uri_of, RtpSender

proxy_ip, user, password, ip, port, rtp_port, callee = sys.argv[1:8]
port, rtp_port = int(port), int(rtp_port)
proxy = (proxy_ip, 5060)
sock = udp_socket(ip, port)
UA = 'auth_phone.py (lab)'
contact = f'<sip:{user}@{ip}:{port}>'
cseq = 100
used = []


def transact(start, headers, body='', want_final=True):
    """Sends a request to the proxy, retransmits it (timer A, 500 ms) until a response, returns
    (final response, provisional responses, the branch)."""
    branch = new_branch()
    data = build(start, [('Via', f'SIP/2.0/UDP {ip}:{port};rport;branch={branch}')] + headers, body)
    sock.sendto(data, proxy)
    provisional, t, wait = [], time.monotonic(), 0.5
    while True:
        m, _ = recv(sock, wait)
        if m is None:
            if provisional:
                continue
            sock.sendto(data, proxy)
            wait = min(wait * 2, 4)
            continue
        if m.is_request or m.top_branch() != branch:
            continue
        if m.code < 200:
            provisional.append(m)
            continue
        return m, provisional, branch


def register():
    global cseq
    call_id, tag = f'{rand_hex(12)}@{ip}', rand_hex(6)
    used.append(call_id)
    aor = f'sip:{user}@REALM'
    common = lambda cid, tg: [('Route', f'<sip:{proxy_ip};lr>'), ('Max-Forwards', '70'),
                              ('From', f'<{aor}>;tag={tg}'), ('To', f'<{aor}>'), ('Call-ID', cid)]
    tail = [('Contact', contact), ('Expires', '3600'), ('User-Agent', UA)]
    cseq += 1
    r, _, _ = transact('REGISTER sip:REALM SIP/2.0', common(call_id, tag) + [('CSeq', f'{cseq} REGISTER')] + tail)
    assert r.code == 401, r.start
    # new dialog: new Call-ID and tag
    call_id, tag = f'{rand_hex(12)}@{ip}', rand_hex(6)
    used.append(call_id)
    cseq += 1
    auth = digest(r.get('WWW-Authenticate'), 'REGISTER', 'sip:REALM', user, password)
    r, _, _ = transact('REGISTER sip:REALM SIP/2.0', common(call_id, tag) + [('CSeq', f'{cseq} REGISTER')]
                       + tail + [('Authorization', auth)])
    assert r.code == 200, r.start


def call():
    global cseq
    ruri = f'sip:{callee}@REALM'
    to = f'<{ruri}>'
    offer = sdp(user, ip, rtp_port, int(time.time()))
    call_id, tag = f'{rand_hex(12)}@{ip}', rand_hex(6)
    used.append(call_id)
    cseq += 1
    hdrs = lambda cid, tg, extra=(): ([('Route', f'<sip:{proxy_ip};lr>'), ('Max-Forwards', '70'),
                                       ('From', f'"{user.capitalize()}" <sip:{user}@REALM>;tag={tg}'), ('To', to),
                                       ('Call-ID', cid), ('CSeq', f'{cseq} INVITE'), ('Contact', contact),
                                       ('User-Agent', UA)] + list(extra) + [('Content-Type', 'application/sdp')])
    r, _, branch = transact(f'INVITE {ruri} SIP/2.0', hdrs(call_id, tag), offer)
    assert r.code == 407, r.start
    # ACK of the 407: same branch, To with the tag of the 407 (RFC 3261 17.1.1.3)
    sock.sendto(build(f'ACK {ruri} SIP/2.0', [('Via', f'SIP/2.0/UDP {ip}:{port};rport;branch={branch}'),
                                               ('Route', f'<sip:{proxy_ip};lr>'), ('Max-Forwards', '70'),
                                               ('From', f'"{user.capitalize()}" <sip:{user}@REALM>;tag={tag}'),
                                               ('To', r.get('To')), ('Call-ID', call_id),
                                               ('CSeq', f'{cseq} ACK'), ('User-Agent', UA)]), proxy)
    # new dialog: new Call-ID and tag, credentials for the proxy
    call_id, tag = f'{rand_hex(12)}@{ip}', rand_hex(6)
    used.append(call_id)
    cseq += 1
    auth = digest(r.get('Proxy-Authenticate'), 'INVITE', ruri, user, password)
    r, _, _ = transact(f'INVITE {ruri} SIP/2.0', hdrs(call_id, tag, [('Proxy-Authorization', auth)]), offer)
    assert r.code == 200, r.start
    invite_cseq = cseq
    remote_to = r.get('To')
    target = uri_of(r.get('Contact'))
    routes = [v for v in reversed(r.all('Record-Route'))]
    from_h = f'"{user.capitalize()}" <sip:{user}@REALM>;tag={tag}'
    in_dialog = lambda method, num: build(
        f'{method} {target} SIP/2.0',
        [('Via', f'SIP/2.0/UDP {ip}:{port};rport;branch={new_branch()}')] + [('Route', x) for x in routes]
        + [('Max-Forwards', '70'), ('From', from_h), ('To', remote_to), ('Call-ID', call_id),
           ('CSeq', f'{num} {method}'), ('User-Agent', UA)])
    sock.sendto(in_dialog('ACK', invite_cseq), proxy)
    # media: 10 packets to the address Bob's SDP announced
    rtp = udp_socket(ip, rtp_port)
    sender = RtpSender(rtp, sdp_addr(r.body))
    t0 = time.monotonic()
    for n in range(10):
        time.sleep(max(0, t0 + 0.020 * n - time.monotonic()))
        sender.send()
    time.sleep(0.1)
    cseq += 1
    bye = in_dialog('BYE', cseq)
    sock.sendto(bye, proxy)
    while True:
        m, _ = recv(sock, 2)
        if m is None:
            raise SystemExit('no answer to BYE')
        if not m.is_request and m.cseq[1] == 'BYE':
            assert m.code == 200, m.start
            break


register()
time.sleep(0.5)
call()
print(json.dumps(used))
