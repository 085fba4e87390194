#!/usr/bin/env python3
"""Writes samples/seed-call.pcap: the seed course's call ladder "INITIALISATION D'UN APPEL
(sans l'interaction proxy-server)" F1-F10, rebuilt from the course's text with the addresses
of seed-register.pcap (RFC 5737): Alice's phone 192.0.2.101 (user 202, SFLphone, the phone of
the REGISTER flow), the proxy 192.0.2.10 (Kamailio 4.1.4, REALM = 192.0.2.10 as in
messages/seed_*.sip), Bob's phone 192.0.2.102 (user 203).

From the course (the ladder): F1 INVITE Alice -> proxy; F2 INVITE proxy -> Bob; F3 100 Trying
proxy -> Alice (numbered after F2); F4 180 Bob -> proxy, F5 180 proxy -> Alice; F6 200 Bob ->
proxy, F7 200 proxy -> Alice; F8 ACK Alice -> Bob directly; a media session drawn through the
proxy ("proxied": Alice <=> proxy <=> Bob); F9 BYE Bob -> Alice directly, F10 200 OK Alice ->
Bob. Both phones are registered in the same domain and the Asterisk server takes no part. The
in-dialog requests bypass the proxy, so the proxy adds no Record-Route.

Filled in (the course prints none of these messages): every header value and the SDP. The
phone's messages look like its REGISTER F1 (SFLphone, pjsip-style branch, tag and Call-ID,
Route to the proxy, the same Allow); the proxy relays F2 as Kamailio's t_relay() does: its own
Via on top (no port, as in the course's F4), rport=5060 filled in Alice's Via, the Route to
itself consumed, Max-Forwards 69, the Request-URI replaced by Bob's registered Contact, every
other header kept (Alice's User-Agent included). F3 is Kamailio's own 100 ("trying -- your call
is important to us"). Media "proxied" is read as a media relay on the proxy (Kamailio's
rtpproxy module): F2's SDP offers 192.0.2.10:35000 to Bob and F7's answers 192.0.2.10:35002 to
Alice, each with the a=nortpproxy:yes line that module adds; the relay forwards each RTP packet
unchanged (same SSRC, sequence number and timestamp) about 0.1 ms later, from the port facing
the other side. Bob's phone (Twinkle 1.4.2) and all timings are invented. RTP: PCMU, 10 packets
(20 ms) each way on each hop after the ACK, a 440 Hz tone."""
import math
import os

from scapy.all import Ether, IP, UDP, Raw, wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
ALICE, PROXY, BOB = '192.0.2.101', '192.0.2.10', '192.0.2.102'
MAC = {ALICE: '02:00:00:00:01:01', PROXY: '02:00:00:00:00:0a', BOB: '02:00:00:00:01:02'}
T0 = 1406481700.0  # Sun, 27 Jul 2014 17:21:40 GMT, 51 s after the REGISTER flow

CALL_ID = 'c3e0a7b4-1f52-4d8e-9a61-2b7f0d93c5e8'
A_TAG = '7f4b2d1e-9c83-4a06-b5e2-d18c6a0f3b97'
B_TAG = '1029384756'
A_BRANCH = 'z9hG4bKPj0e6d2f8a-5b1c-4e37-8a9d-c4f2b7e1a065'
P_BRANCH = 'z9hG4bK5e2c.8a41f07d3b9c2e65d10f7a4b8c3e9d21.0'
ACK_BRANCH = 'z9hG4bKPjb9a3c1d7-2e64-4f08-93ab-5d0e7c6f2a18'
BYE_BRANCH = 'z9hG4bKlmpqwszt'
ALLOW = 'PRACK, SUBSCRIBE, NOTIFY, REFER, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, REGISTER, OPTIONS, MESSAGE'
KAM = 'kamailio (4.1.4 (x86_64/linux))'
FROM = f'From: "Alice" <sip:202@{PROXY}>;tag={A_TAG}'
TO = f'To: <sip:203@{PROXY}>'
TO_B = f'{TO};tag={B_TAG}'
A_VIA = f'Via: SIP/2.0/UDP {ALICE}:5060;rport;branch={A_BRANCH}'
A_VIA_RPORT = f'Via: SIP/2.0/UDP {ALICE}:5060;rport=5060;branch={A_BRANCH}'
P_VIA = f'Via: SIP/2.0/UDP {PROXY};branch={P_BRANCH}'
A_RTP, B_RTP, P_TO_B, P_TO_A = 16374, 8000, 35000, 35002


def msg(lines, body=''):
    """A SIP message: header lines, then Content-Length, CRLFs everywhere."""
    body = body.replace('\n', '\r\n')
    head = [l for l in lines if l]
    return ('\r\n'.join(head) + f'\r\nContent-Length: {len(body)}\r\n\r\n' + body).encode()


def sdp_offer(ip, port, nortpproxy=False):
    return ('v=0\n'
            f'o=- 3615468929 3615468929 IN IP4 {ALICE}\n'
            's=sflphone\n'
            f'c=IN IP4 {ip}\n'
            't=0 0\n'
            f'm=audio {port} RTP/AVP 0 8 101\n'
            'a=rtpmap:0 PCMU/8000\n'
            'a=rtpmap:8 PCMA/8000\n'
            'a=rtpmap:101 telephone-event/8000\n'
            'a=fmtp:101 0-15\n'
            'a=sendrecv\n' + ('a=nortpproxy:yes\n' if nortpproxy else ''))


def sdp_answer(ip, port, nortpproxy=False):
    return ('v=0\n'
            f'o=twinkle 1250318471 1250318472 IN IP4 {BOB}\n'
            's=-\n'
            f'c=IN IP4 {ip}\n'
            't=0 0\n'
            f'm=audio {port} RTP/AVP 0 101\n'
            'a=rtpmap:0 PCMU/8000\n'
            'a=rtpmap:101 telephone-event/8000\n'
            'a=fmtp:101 0-15\n'
            'a=ptime:20\n' + ('a=nortpproxy:yes\n' if nortpproxy else ''))


invite_common = [FROM, TO, f'Call-ID: {CALL_ID}', 'CSeq: 3021 INVITE', 'User-Agent: SFLphone',
                 f'Contact: <sip:202@{ALICE}:5060>', f'Allow: {ALLOW}', 'Supported: replaces',
                 'Content-Type: application/sdp']
f1 = msg([f'INVITE sip:203@{PROXY} SIP/2.0', A_VIA, f'Route: sip:{PROXY};lr', 'Max-Forwards: 70'] + invite_common,
         sdp_offer(ALICE, A_RTP))
f2 = msg([f'INVITE sip:203@{BOB}:5060 SIP/2.0', P_VIA, A_VIA_RPORT, 'Max-Forwards: 69'] + invite_common,
         sdp_offer(PROXY, P_TO_B, nortpproxy=True))
f3 = msg(['SIP/2.0 100 trying -- your call is important to us', A_VIA_RPORT, FROM, TO, f'Call-ID: {CALL_ID}',
          'CSeq: 3021 INVITE', f'Server: {KAM}'])
ringing = [FROM, TO_B, f'Call-ID: {CALL_ID}', 'CSeq: 3021 INVITE', f'Contact: <sip:203@{BOB}:5060>',
           'Server: Twinkle/1.4.2']
f4 = msg(['SIP/2.0 180 Ringing', P_VIA, A_VIA_RPORT] + ringing)
f5 = msg(['SIP/2.0 180 Ringing', A_VIA_RPORT] + ringing)
ok = ringing + ['Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK, REFER, SUBSCRIBE, NOTIFY, INFO',
                'Supported: replaces,norefersub', 'Content-Type: application/sdp']
f6 = msg(['SIP/2.0 200 OK', P_VIA, A_VIA_RPORT] + ok, sdp_answer(BOB, B_RTP))
f7 = msg(['SIP/2.0 200 OK', A_VIA_RPORT] + ok, sdp_answer(PROXY, P_TO_A, nortpproxy=True))
f8 = msg([f'ACK sip:203@{BOB}:5060 SIP/2.0', f'Via: SIP/2.0/UDP {ALICE}:5060;rport;branch={ACK_BRANCH}',
          'Max-Forwards: 70', FROM, TO_B, f'Call-ID: {CALL_ID}', 'CSeq: 3021 ACK'])
bye_common = [f'From: <sip:203@{PROXY}>;tag={B_TAG}', f'To: "Alice" <sip:202@{PROXY}>;tag={A_TAG}',
              f'Call-ID: {CALL_ID}', 'CSeq: 412 BYE']
f9 = msg([f'BYE sip:202@{ALICE}:5060 SIP/2.0', f'Via: SIP/2.0/UDP {BOB}:5060;rport;branch={BYE_BRANCH}',
          'Max-Forwards: 70'] + bye_common + ['User-Agent: Twinkle/1.4.2'])
f10 = msg(['SIP/2.0 200 OK', f'Via: SIP/2.0/UDP {BOB}:5060;rport=5060;branch={BYE_BRANCH}'] + bye_common)

sip = [(ALICE, PROXY, f1, 0.000), (PROXY, BOB, f2, 0.003), (PROXY, ALICE, f3, 0.004),
       (BOB, PROXY, f4, 0.061), (PROXY, ALICE, f5, 0.063), (BOB, PROXY, f6, 2.480),
       (PROXY, ALICE, f7, 2.483), (ALICE, BOB, f8, 2.512), (BOB, ALICE, f9, 2.760),
       (ALICE, BOB, f10, 2.763)]
packets = []
for src, dst, m, dt in sip:
    p = Ether(src=MAC[src], dst=MAC[dst]) / IP(src=src, dst=dst) / UDP(sport=5060, dport=5060) / Raw(m)
    p.time = T0 + dt
    packets.append(p)


def ulaw(sample):
    """G.711 mu-law encoding of a 16-bit linear sample."""
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), 32635) + 0x84
    exponent = max(0, sample.bit_length() - 8)
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def payload(n):
    return bytes(ulaw(int(8000 * math.sin(2 * math.pi * 440 * (n * 160 + i) / 8000))) for i in range(160))


def rtp(seq, ts, ssrc, n):
    return bytes([0x80, 0x00]) + seq.to_bytes(2, 'big') + ts.to_bytes(4, 'big') + ssrc.to_bytes(4, 'big') + payload(n)


# (sender, its port, relay port it sends to, relay port facing the receiver, receiver, receiver port)
streams = [(ALICE, A_RTP, P_TO_A, P_TO_B, BOB, B_RTP, 0x5A3C1E07, 21877, 3291482112, 2.530),
           (BOB, B_RTP, P_TO_B, P_TO_A, ALICE, A_RTP, 0x1D9E4B62, 4410, 180224000, 2.536)]
for src, sport, relay_in, relay_out, dst, dport, ssrc, seq0, ts0, start in streams:
    for n in range(10):
        data = rtp(seq0 + n, ts0 + 160 * n, ssrc, n)
        t = T0 + start + 0.020 * n
        a = Ether(src=MAC[src], dst=MAC[PROXY]) / IP(src=src, dst=PROXY) / UDP(sport=sport, dport=relay_in) / Raw(data)
        a.time = t
        b = Ether(src=MAC[PROXY], dst=MAC[dst]) / IP(src=PROXY, dst=dst) / UDP(sport=relay_out, dport=dport) / Raw(data)
        b.time = t + 0.0001
        packets += [a, b]

packets.sort(key=lambda p: p.time)
wrpcap(os.path.join(HERE, '..', 'seed-call.pcap'), packets)
