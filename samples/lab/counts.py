#!/usr/bin/env python3
"""Writes the expected SIP counts (tshark's, corrected where noted) used by the tests:

    python3 samples/lab/counts.py samples            > tests/data/sample_counts.json
    python3 samples/lab/counts.py corpus CAPTURE_DIR > tests/data/corpus_counts.json

For each capture: requests per method and responses per status code as tshark finds them
(tshark_counts.py beside this file: SIP quoted inside ICMP errors excluded), sip_messages, the
tshark options used, the transport of each message (the layer under SIP in frame.protocols),
the number of SIP messages quoted in ICMP errors, and a note where tshark's count is not the
true one (then "tshark" keeps tshark's own figures and the top-level counts are the true ones)."""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def tshark_counts(path, args):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'tshark_counts.py'), path, *args],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def fields(path, args, filt, *names):
    cmd = ['tshark', '-r', path, *args, '-Y', filt, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|']
    for n in names:
        cmd += ['-e', n]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split('\t') for line in out.splitlines()]


def transports(path, args):
    t = collections.Counter()
    for protos, rl, sl in fields(path, args, 'sip and not icmp and not icmpv6', 'frame.protocols',
                                 'sip.Request-Line', 'sip.Status-Line'):
        n = len(list(filter(None, rl.split('|')))) + len(list(filter(None, sl.split('|'))))
        p = protos.split(':')
        below = p[:p.index('sip')]
        if 'websocket' in below:
            name = 'WSS' if 'tls' in below else 'WS'
        elif 'tls' in below:
            name = 'TLS'
        else:
            name = next((x.upper() for x in reversed(below) if x in ('udp', 'tcp', 'sctp')), 'OTHER')
        t[name] += n
    return dict(t)


def icmp_quoted(path, args):
    return sum(1 for _ in fields(path, args, 'sip and (icmp or icmpv6)', 'frame.number'))


def entry(path, args=(), note=None, override=None, tls_keylog=None, **extra):
    args = list(args)
    if tls_keylog:
        # The key log beside the capture; the test passes it to sipladder as --tls-keylog.
        args += ['-o', 'tls.keylog_file:' + os.path.join(os.path.dirname(path), tls_keylog)]
        extra['tls_keylog'] = tls_keylog
    c = tshark_counts(path, args)
    e = {'requests': c['requests'], 'responses': c['responses'], 'sip_messages': c['sip_messages'],
         'tshark_args': args, 'transports': transports(path, args)}
    q = icmp_quoted(path, args)
    if q:
        e['icmp_quoted'] = q
    if override:
        e['tshark'] = {'requests': c['requests'], 'responses': c['responses'], 'sip_messages': c['sip_messages'],
                       'transports': dict(e['transports'])}
        e.update(override)
    if note:
        e['note'] = note
    e.update(extra)
    # Recorded without the directory the counts were made in.
    e['tshark_args'] = [a.replace(os.path.dirname(path) + os.sep, '') for a in args]
    return e


LAB = 'Lab capture (samples/lab), loopback, SIP on 5060/5062/5080. '
ENCAP = 'Made by lab/encap.py from lab-udp.pcap: its 23 SIP packets and its first 6 RTP packets, original times. '
HEP_SIP = {'requests': {'ACK': 2, 'BYE': 2, 'INVITE': 2, 'REGISTER': 5},
           'responses': {'100': 1, '180': 2, '200': 7, '401': 2}, 'sip_messages': 23, 'transports': {'UDP': 23}}
VARIANT = 'Same packets as lab-udp.pcap (23 SIP messages), only the container/link layer differs. '

TLS = ('Real run (samples/lab/tls_sip.py, Python ssl peers on loopback, key log written by the phone): phone '
       '127.0.0.10 and PBX 127.0.0.2 (registrar with digest authentication, callee). ')
TLS_STEPS = ('Three connections: REGISTER, 401, REGISTER with credentials, 200; INVITE, 100, 180, 200, ACK, BYE '
             'from the phone, 200; OPTIONS, 200. ')

FLOOD = 'Made by lab/flood.py (the attack traffic an internet-facing server receives), seed 1, 192.0.2.1 the server. '

# Attack traffic, in samples/attack/ (kept apart: hundreds of exchanges each).
ATTACKS = {
    'scanner.pcap': dict(note=FLOOD + 'flood.py scanner --count 500 --rate 100: 500 INVITEs to sip:100@192.0.2.1, '
                                'each from its own address (45.0.0.0/8, 46.0.0.0/8) with its own Call-ID, User-Agent '
                                'friendly-scanner, never answered.'),
    'options-sweep.pcap': dict(note=FLOOD + 'flood.py options-sweep --count 600 --rate 200: OPTIONS from '
                                      '203.0.113.66:5070 to 172.16.0.0 ... 172.16.2.87 in turn (friendly-scanner), '
                                      'none answered (one address in 4,096 answers; none of these).'),
    'register-brute.pcap': dict(note=FLOOD + 'flood.py register-brute --count 200 --rate 20: 200 rounds from '
                                       '198.51.100.66 against sip:1001@192.0.2.1 (sipcli/v1.8), each under its own '
                                       'Call-ID: REGISTER, 401 with a nonce, REGISTER with Authorization, 403.'),
    'invite-flood.pcap': dict(note=FLOOD + 'flood.py invite-flood --count 500 --rate 100: 500 INVITEs from '
                                     '198.51.100.77 to random numbers at 192.0.2.1, each with a random Call-ID '
                                     '(VaxSIPUserAgent/3.1), never answered.'),
    'enum.pcap': dict(note=FLOOD + 'flood.py enum --count 300 --rate 50: REGISTERs from 198.51.100.88 for '
                             'extensions 100 to 399 in turn (friendly-scanner); 404 for each, 401 for the one in 50 '
                             'that exists (6).'),
    'malformed.pcap': dict(note=FLOOD + 'flood.py malformed --count 300 --rate 100: 300 datagrams to '
                                  '192.0.2.1:5060 from 300 addresses, six broken shapes in turn. 150 have a valid '
                                  'request line and are SIP for tshark (and sipladder): OPTIONS without Call-ID, '
                                  'From, To; REGISTER with CSeq "one REGISTER"; INVITE with a header line without '
                                  'colon and Content-Length 999 over a 5-byte body. The other 150 are not SIP: a '
                                  'request line without version, one without Request-URI, a status "2OO".'),
}

SAMPLES = {
    'hostile.pcap': dict(note='Crafted (samples/lab/hostile.py): an INVITE and its 200 OK whose display names, '
                         'User-Agent, Server, reason phrase, unknown header and SDP carry HTML, script tags, quotes '
                         'and ANSI escapes; every output must show them as text.'),
    'seed-register.pcap': dict(note='The seed course\'s REGISTER flow F1-F6 as drawn (samples/lab/seed.py): phone '
                               '192.0.2.101, proxy 192.0.2.10, registrar 198.51.100.20. F3 (credentials) starts a '
                               'new Call-ID and From tag as the course says; the proxy re-issues the REGISTER as its '
                               'own UAC with a third Call-ID (F4). One registration over 3 Call-IDs.'),
    'seed-call.pcap': dict(note='The seed course\'s call ladder F1-F10 (samples/lab/seed_call.py): Alice 192.0.2.101 -> '
                           'proxy 192.0.2.10 -> Bob 192.0.2.102, INVITE x2, 100, 180 x2, 200 x2, ACK and BYE/200 '
                           'phone to phone; 40 RTP packets relayed by the proxy (rtpproxy style).'),
    'lab-udp-concurrent.pcap': dict(note='examples/replicate.rs: the call of lab-udp (frames 11 on) 8 times, '
                                    '500 ms apart, each copy with its own Call-ID, tags, branches and SSRC: '
                                    'calls overlap, their media on the same addresses.'),
    'lab-udp.pcap': dict(note=LAB + 'Seed flow: REGISTER 202 F1-F6 (REGISTER, 401, REGISTER with credentials, '
                         'REGISTER relayed to 127.0.0.3:5080, 200, 200), REGISTER bob (401, 200), call Alice->Bob via '
                         'the proxy (INVITE x2, 100, 180 x2, 200 x2, ACK x2), RTP, BYE from Bob (BYE x2, 200 x2).'),
    'lab-tcp.pcap': dict(note=LAB + 'The same over TCP (one connection per hop); RTP stays on UDP.'),
    'lab-udp.pcapng': dict(note=VARIANT + 'pcapng (editcap -F pcapng).'),
    'lab-udp-nsec.pcap': dict(note=VARIANT + 'Nanosecond classic pcap (magic a1b23c4d).'),
    'lab-udp-be.pcap': dict(note=VARIANT + 'Big-endian classic pcap (magic a1b2c3d4 stored big-endian).'),
    'lab-udp.pcap.gz': dict(note=VARIANT + 'gzip of lab-udp.pcap; tshark reads it directly.'),
    'lab-udp-vlan.pcap': dict(note=VARIANT + '802.1Q tag, VLAN 100.'),
    'lab-udp-qinq.pcap': dict(note=VARIANT + 'QinQ: 802.1ad (0x88a8) VLAN 200 outside, 802.1Q (0x8100) VLAN 100 inside.'),
    'lab-udp-sll.pcap': dict(note=LAB + 'Real run captured with tcpdump -i any -y LINUX_SLL (link type 113).'),
    'lab-udp-sll2.pcap': dict(note=LAB + 'Real run captured with tcpdump -i any -y LINUX_SLL2 (link type 276).'),
    'lab-udp-rawip.pcap': dict(note=VARIANT + 'LINKTYPE_RAW (101): IPv4 without link header.'),
    'lab-udp-null.pcap': dict(note=VARIANT + 'LINKTYPE_NULL (0): 4-byte AF_INET=2 little-endian header.'),
    'lab-udp-ipv6.pcap': dict(note=LAB + 'Real IPv6 run: every party on ::1, told apart by port (proxy 5060, '
                              'registrar 5080, Alice/202 5070, Bob 5062).'),
    'lab-frag.pcap': dict(note=LAB + 'Both INVITEs (~3.9 KB, SDP with 36 ICE candidates) as 3 IPv4 fragments each, '
                          'delivered out of order (last, first, middle; then middle, last, first). tshark '
                          'reassembles them (ip.defragment, default on); counted once each, in the frame of the '
                          'last fragment to arrive.'),
    'lab-frag6.pcap': dict(note=LAB + 'IPv6 run with the large SDP: both INVITEs as 3 fragments each (IPv6 Fragment '
                           'header), delivered out of order as in lab-frag.pcap. tshark reassembles them.'),
    'pcapng-multi-if.pcapng': dict(note='One pcapng, 4 interfaces: 0 Ethernet (us, default tsresol), 1 LINUX_SLL '
                                   '(ns, if_tsresol=9), 2 RAW (us, if_tsresol=6), 3 USER0 147 (ms, if_tsresol=3). '
                                   'The 23 SIP messages of lab-udp.pcap: F1-F6 on 0, Bob\'s REGISTER on 1, the call '
                                   'on 2; 6 RTP packets on 0; interface 3 holds one packet (a copy of the first '
                                   'REGISTER Ethernet frame) under the unsupported link type: not to be counted, it '
                                   'should be reported as skipped. tshark does not dissect it either.'),
    'lab-tls13.pcap': dict(tls_keylog='lab-tls13.keys',
                           note=TLS + TLS_STEPS + 'TLS 1.3 on 5061, one suite per connection: TLS_AES_128_GCM_SHA256, '
                           'TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256. sips: URIs, Via SIP/2.0/TLS.'),
    'lab-tls12.pcap': dict(tls_keylog='lab-tls12.keys',
                           note=TLS + TLS_STEPS + 'TLS 1.2 on 5061 (CLIENT_RANDOM master secrets, extended master '
                           'secret), one suite per connection: ECDHE-RSA-AES128-GCM-SHA256, '
                           'ECDHE-RSA-CHACHA20-POLY1305, ECDHE-RSA-AES256-SHA384 (CBC, encrypt-then-MAC).'),
    'lab-tls-plain.pcap': dict(note=TLS + TLS_STEPS + 'The plain twin of lab-tls13/lab-tls12: the same messages '
                               'over TCP 5060 (sip: URIs, Via SIP/2.0/TCP).'),
    'lab-tls13-damaged.pcap': dict(tls_keylog='lab-tls13.keys',
                                   override={'requests': {'ACK': 1, 'BYE': 1, 'INVITE': 1, 'OPTIONS': 1,
                                                          'REGISTER': 2},
                                             'responses': {'100': 1, '180': 1, '200': 3, '401': 1},
                                             'sip_messages': 12, 'transports': {'TLS': 12}},
                                   note='lab-tls13.pcap with the last byte of frame 35 flipped (lab/tls_sip.py damage): '
                                   'the TLS record carrying the 200 OK (INVITE) no longer authenticates. True count 12: '
                                   'that record is lost, the records after it open (their sequence numbers are '
                                   'known) and framing resumes at the next message. tshark finds 11: after a record '
                                   'that fails it stops decrypting that direction, and misses the 200 OK (BYE).'),
    'lab-wss.pcap': dict(args=['-d', 'tcp.port==7443,tls'], tls_keylog='lab-wss.keys',
                         note=TLS + 'WebSocket over TLS 1.3 on 7443 (TLS_AES_256_GCM_SHA384): HTTP upgrade '
                         '(Sec-WebSocket-Protocol: sip), 101, then the same 13 messages in one connection, client '
                         'frames masked, Via SIP/2.0/WSS alice.invalid.'),
    'lab-wss-plain.pcap': dict(note=TLS + 'The plain twin of lab-wss: WebSocket over TCP 8080.'),
    'lab-udp-pptp.pcap': dict(scope='pptp', note=ENCAP + '(lab/pptp.py) Inside PPTP: enhanced GRE version 1 '
                              '(10.50.0.1 <-> 10.50.0.2, call IDs 0x8002 and 0x4001, sequence numbers, '
                              'acknowledgments on every other packet, one lone acknowledgment), PPP as FF 03 00 21, '
                              '00 21 and 21 in turn, an LCP echo each way.'),
    'tcp-multi-per-segment.pcap': dict(note='Crafted from lab-tcp.pcap (Alice\'s call connection, one TCP flow with '
                                       'handshake and FIN): 100, 180 and 200 of the INVITE in one TCP segment.'),
    'tcp-split-message.pcap': dict(note='Crafted from lab-tcp.pcap: the INVITE in 4 segments, cut inside the '
                                   'Content-Length value ("Content-Length:   1" | "99"), between "\\r\\n\\r" and '
                                   '"\\n" of the blank line, and in the middle of the SDP.'),
    'tcp-out-of-order.pcap': dict(args=['-o', 'tcp.reassemble_out_of_order:TRUE'],
                                  note='Crafted from lab-tcp.pcap: the INVITE in 3 segments sent 1,3,2 then 2 again '
                                  '(exact duplicate); the 200 OK of the INVITE sent as [0:300] [300:] and then '
                                  'retransmitted as one overlapping segment [150:]. tshark needs '
                                  '-o tcp.reassemble_out_of_order:TRUE; without it it misses the INVITE (6 instead '
                                  'of 7). True count 7: retransmitted bytes are not counted again.'),
    'tcp-gap.pcap': dict(override={'requests': {'ACK': 1, 'BYE': 1, 'INVITE': 1},
                                   'responses': {'100': 1, '200': 2}, 'sip_messages': 6,
                                   'transports': {'TCP': 6}},
                         note='Crafted from lab-tcp.pcap: the 180 Ringing is sent in 3 segments and the middle '
                              'one (bytes 120..len-60 of the 180) is missing from the capture; the next segment '
                              'holds the last 60 bytes of the 180 followed by the complete 200 OK of the INVITE. '
                              'True count 6: the 180 cannot be read (lost), the 200 OK is found again at its start '
                              'line "SIP/2.0 200 OK" inside that segment. tshark finds 5: it gives up on the whole '
                              'segment after the gap ("Continuation") and so misses the 200 OK (INVITE).'),
    'icmp-unreachable.pcap': dict(note='Real: Alice sends OPTIONS to 127.0.0.2:5999 where nothing listens (sent 3 '
                                  'times: SIPp retransmissions); the kernel answers each with ICMP port unreachable '
                                  'quoting the SIP datagram. 3 OPTIONS outside ICMP (destination port 5999, found by '
                                  'tshark\'s SIP heuristic), 3 quoted inside ICMP (not counted).'),
    'lab-cancel.pcap': dict(note=LAB + 'Registrations as in lab-udp, then Alice calls, Bob rings (180) and Alice '
                            'cancels: CANCEL x2 (Alice->proxy, proxy->Bob), 200 (CANCEL) x2 (proxy answers its own '
                            '"200 canceling"), 487 x2, ACK x2 (hop-by-hop: proxy->Bob, Alice->proxy).'),
    'lab-busy.pcap': dict(note=LAB + 'Registrations, then Alice calls and Bob answers 486 Busy Here; 486 x2, ACK x2 '
                          '(hop-by-hop).'),
    'lab-reinvite.pcap': dict(note=LAB + 'As lab-udp plus a re-INVITE from Alice after 1 s (hold, a=sendonly; Bob '
                              'answers a=recvonly): INVITE x4 (2 initial, 2 re-INVITE), 100 x2, 200 (INVITE) x4, '
                              'ACK x4; then BYE from Bob.'),
    'lab-register-timeout.pcap': dict(note=LAB + 'kamailio-deadreg.cfg relays REGISTERs of 202 to 127.0.0.3:5099 '
                                      'where nothing listens. 202: REGISTER, 401, REGISTER with credentials sent 4 '
                                      'times (SIPp retransmits, -max_non_invite_retrans 3, then gives up), the proxy '
                                      'relays it 5 times (timer E), each answered by ICMP port unreachable (5 quoted '
                                      'REGISTERs), 408 Request Timeout from the proxy after fr_timer (10 s) reaches '
                                      'a SIPp that has exited: ICMP port unreachable quoting the 408. Bob\'s '
                                      'REGISTER (401, 200) in between. No call. Every retransmission is a datagram of its own and is counted (tshark too).'),
    'lab-fork.pcap': dict(note=LAB + 'Bob registered twice (127.0.0.20:5062 and 127.0.0.21:5064); the proxy forks '
                          'the INVITE to both: 180 from each (4 x 180 in all), the first answers 200, the proxy '
                          'CANCELs the other branch (CANCEL, 200 CANCEL, 487, ACK), then the call goes on as in '
                          'lab-udp (RTP, BYE from Bob 1).'),
    'lab-auth-newcallid.pcap': dict(note=LAB + 'kamailio-auth.cfg (INVITEs challenged with 407). Bob registers (401, '
                                    '200, one Call-ID); the phone auth_phone.py (alice, 127.0.0.10) retries each challenged '
                                    'request under a new Call-ID and From tag: REGISTER/401, REGISTER/200 (2 Call-IDs), '
                                    'INVITE/407/ACK, INVITE with Proxy-Authorization (2 Call-IDs) relayed to Bob: 100, 180 '
                                    'x2, 200 x2, ACK x2, RTP, BYE from the caller (BYE x2, 200 x2).'),
    'lab-register-invite.pcap': dict(note=LAB + 'Bob registers; then 3 times, 1 s apart, one Call-ID of Alice carries a '
                                     'REGISTER (401, REGISTER with credentials, 200) and then a call with a new From tag '
                                     '(INVITE x2, 100, 180 x2, 200 x2, ACK x2, RTP, BYE from Alice x2, 200 x2), as in '
                                     'SIPp\'s branchc scenario.'),
    'lab-b2bua.pcap': dict(note='Real run (samples/lab/b2bua.sh): a B2BUA 127.0.0.5:5060 (lab/b2bua.py, new Call-ID per '
                           'B-leg, media anchored) between callers 127.0.0.31-34 and callees 127.0.0.41-43, plus a '
                           'direct call 127.0.0.51 -> 127.0.0.52, all INVITEs within 0.1 ms: one answered call (BYE from '
                           'the caller), one 486, one cancelled (200 CANCEL and 487 on both legs), one national number '
                           'dialled as E.164 on the B-leg (183, 200, BYE from the callee). Mapping in '
                           'lab/b2bua-expected.json.'),
    'lab-mirror.pcap': dict(note=LAB + 'Mirrored (samples/lab/mirror.sh): every packet captured twice, on lo and on a '
                            'veth fed by tc mirred, LINUX_SLL2, identical from the IP header on. 19 SIP messages sent '
                            '(Bob\'s REGISTER flow; Alice\'s call with a late ACK, so Bob\'s 200 OK is retransmitted '
                            'once and relayed: 2 genuine retransmissions), 38 SIP frames; tshark counts every frame, '
                            'mirror copies included.'),
    'diag-wrong-password.pcap': dict(note=LAB + 'lab/diag.sh wrong-password: 202 registers with a wrong password: '
                                     'REGISTER, 401, REGISTER with credentials, 401 (refused, same nonce), REGISTER '
                                     'with credentials 1 s later, 401 (fresh nonce); one Call-ID, CSeq 1 to 3. No 200.'),
    'diag-declined.pcap': dict(note=LAB + 'lab/diag.sh declined: Bob registers; Alice calls, Bob rings (180) and '
                               'answers 603 Decline 2 s later; 603 x2, ACK x2 hop by hop.'),
    'diag-not-acceptable.pcap': dict(note=LAB + 'lab/diag.sh not-acceptable: Bob registers; Alice offers G.729 only '
                                     '(RTP/AVP 18 101), Bob (G.711 only) answers 488 Not Acceptable Here with Warning '
                                     '305; 488 x2, ACK x2 hop by hop.'),
    'diag-not-found.pcap': dict(note=LAB + 'lab/diag.sh not-found: Alice calls carol, who has no registered contact: '
                                '404 Not Found from the proxy (stateless), ACK.'),
    'diag-unavailable.pcap': dict(note=LAB + 'lab/diag.sh unavailable: Bob registers; Alice calls, Bob\'s phone '
                                  '(do not disturb) answers 480 Temporarily Unavailable; 480 x2, ACK x2 hop by hop.'),
    'diag-server-error.pcap': dict(note=LAB + 'lab/diag.sh server-error: Alice calls 0033123456789; the proxy '
                                   '(kamailio-diag.cfg) answers 503 Service Unavailable with Retry-After: 30 itself, '
                                   'ACK.'),
    'diag-no-ack.pcap': dict(note=LAB + 'lab/diag.sh no-ack: Bob registers; Alice calls, Bob answers, Alice never '
                             'sends the ACK: Bob\'s 200 OK (INVITE) is sent 10 times (9 retransmissions, 0.5 s '
                             'doubling to 4 s) and relayed each time by the proxy (200 x20), then Bob hangs up about '
                             '32 s after the first 200 (BYE x2, 200 x2). No RTP. Every retransmission is a datagram '
                             'of its own and is counted (tshark too).'),
    'diag-one-way-rtp.pcap': dict(note=LAB + 'lab/diag.sh one-way: as lab-udp without the REGISTER of 202 '
                                  '(Bob registers, Alice calls, BYE from Bob) but Bob sends no RTP: 91 RTP packets '
                                  'from Alice only.'),
    'diag-still-up.pcap': dict(note=LAB + 'lab/diag.sh still-up: Bob registers; Alice calls, 200, ACK, RTP both '
                               'ways; the capture stops about 2.4 s after the ACK, before any BYE.'),
    'diag-lossy-rtp.pcap': dict(note='Real run (lab/diag.sh lossy) in network namespaces: Alice 198.51.100.10:5060 '
                                'behind a router, proxy 203.0.113.2:5060, Bob 203.0.113.20:5062, captured on the '
                                'proxy\'s bridge (Ethernet, ARP included). Bob registers; Alice calls, 8 s of RTP '
                                'each way, Alice hangs up. The router drops about 8 % of the RTP packets to Bob '
                                '(iptables statistic match), Alice\'s RTP leaves in bursts (jitter).'),
    'diag-nat-sdp.pcap': dict(note='Real run (lab/diag.sh nat) in network namespaces: Alice 192.168.1.50 behind a NAT '
                              'router (MASQUERADE to 203.0.113.5), proxy 203.0.113.2:5060 (kamailio-nat.cfg), Bob '
                              '203.0.113.20:5062, captured on the proxy\'s bridge (Ethernet, ARP included). Bob '
                              'registers; Alice\'s INVITE arrives from 203.0.113.5:5060 with Via, Contact and SDP '
                              'naming 192.168.1.50; RTP both ways through the NAT (Bob echoes), BYE from Bob.'),
    'lab-udp-hep3.pcap': dict(scope='hep', override=HEP_SIP,
                              note='Made by lab/encap.py: the 23 SIP messages of lab-udp.pcap (no RTP) re-sent as '
                              'HEPv3 inside UDP 192.0.2.50:40000 -> 192.0.2.60:9060, outer frames 3 ms after the '
                              'originals. Chunks (vendor 0): 1 IP family (2), 2 IP protocol (17), 3/4 IPv4 source and '
                              'destination, 7/8 ports, 9/10 timestamp seconds and microseconds (the original capture '
                              'time), 11 protocol type 1 (SIP), 12 capture agent ID 2001, 15 payload. The decoded '
                              'messages, addresses, ports and times are those of lab-udp.pcap. tshark 4.0 has no HEP '
                              'dissector and finds none (data on UDP 9060): true count 23.'),
    'lab-udp-hep2.pcap': dict(scope='hep', override=HEP_SIP,
                              note='Made by lab/encap.py: as lab-udp-hep3.pcap but HEPv2: 8-byte header (version 2, '
                              'length 16, family 2, protocol 17, source and destination port in network order), IPv4 '
                              'source and destination, then the 12-byte time header (tv_sec, tv_usec, capture ID '
                              '2001, 2 padding bytes) in little-endian order as Kamailio, captagent and sngrep write '
                              'it (a C struct in host order), then the SIP payload. tshark 4.0 has no HEP dissector: '
                              'true count 23.'),
    'lab-udp-gtpu.pcap': dict(scope='gtpu',
                              note=ENCAP + 'Each IP packet inside GTP-U (G-PDU, TEID 0x1234, UDP 2152) between '
                              '10.10.0.1 and 10.10.0.2 over Ethernet; the call\'s packets from the proxy (from the '
                              'INVITE on) over IPv6 (2001:db8:10::2 -> ::1) instead. Every other packet carries the '
                              'optional sequence number (S flag); every fifth (3rd, 8th, ...) an extension header, '
                              'PDU Session Container (0x85, UL or DL, QFI 9), with E set (and the sequence field present, '
                              '0 when S is clear).'),
    'lab-udp-vxlan.pcap': dict(scope='vxlan',
                               note=ENCAP + 'Each Ethernet frame inside VXLAN (UDP 4789, VNI 42, flags 0x08) between '
                               'VTEPs 10.20.0.1 and 10.20.0.2, outer source port from a hash of the inner flow.'),
    'lab-udp-mpls.pcap': dict(scope='mpls', args=['-d', 'mpls.label==100,pwethcw'],
                              note=ENCAP + 'Ethertype 0x8847, two labels (16001, then 30 with bottom of stack) '
                              'followed by the IPv4 packet; Bob\'s REGISTER (4 SIP) and the RTP packets as an '
                              'Ethernet pseudowire instead: labels 16001 and 100 (bottom), control word 0, the whole '
                              'Ethernet frame. tshark needs -d mpls.label==100,pwethcw: its heuristic otherwise takes '
                              'the pseudowire for one without a control word (the inner MACs are zero) and misses the '
                              '4 SIP in it (19 instead of 23).'),
    'lab-udp-gre.pcap': dict(scope='gre',
                             note=ENCAP + 'Outer IPv4 10.30.0.1 <-> 10.30.0.2, protocol 47, GRE with key 7 and '
                             'sequence numbers (K and S flags, one sequence per direction). Protocol 0x0800 carrying '
                             'the IPv4 packet, except Bob\'s REGISTER and the RTP packets: 0x6558 (transparent '
                             'Ethernet bridging) carrying the whole Ethernet frame. The BYE transaction (last 4 SIP) '
                             'also has the checksum present (C flag, flags 0xb000).'),
    'lab-udp-erspan3.pcap': dict(scope='erspan',
                                 note=ENCAP + 'Outer IPv4 10.70.0.1 -> 10.70.0.2, GRE with sequence number (S), '
                                 'protocol 0x22EB, 12-byte ERSPAN type III header (session 100, timestamp in 100 us '
                                 'units, P=1, FT=0 Ethernet, HW ID 1); every other packet has the O flag and the 8-byte '
                                 'platform-specific subheader (Platf ID 3, port 7, upper timestamp), then the Ethernet '
                                 'frame.'),
    'lab-udp-ip6in4.pcap': dict(scope='ipip',
                                note='Made by lab/encap.py: the 23 SIP and first 6 RTP packets of lab-udp-ipv6.pcap '
                                'as IPv6 inside IPv4 protocol 41 (10.40.0.1 <-> 10.40.0.2), plus the 10 SIP packets of '
                                'the registrations of lab-udp.pcap (F1-F6, bob\'s REGISTER/401/REGISTER/200) as IPv4 '
                                'inside IPv6 next header 4 (2001:db8:40::1 <-> ::2); original times (the IPv4 ones come '
                                'first). 33 SIP.'),
    'lab-udp-nested.pcap': dict(scope='nested',
                                note='Made by lab/encap.py: F1-F6 of lab-udp.pcap as Ethernet / 802.1Q 100 / MPLS '
                                '16001, 17 / IPv4 / GRE (S) / ERSPAN II / Ethernet / PPPoE session / PPP / IPv4 / UDP '
                                '2152 / GTP-U / IPv4 / UDP / SIP, and F1-F6 of lab-udp-ipv6.pcap as Ethernet / IPv4 / '
                                'IPv6 (protocol 41) / GRE (key 9, 0x6558) / Ethernet / 802.1Q 300 / IPv4 / UDP 4789 '
                                'VXLAN / Ethernet / IPv6 / UDP 2152 GTP-U (S, E: PDU Session Container) / IPv6 / UDP / '
                                'SIP. 12 SIP; tshark follows both chains.'),
    'lab-tcp-ws.pcap': dict(scope='websocket',
                            note='Made by lab/encap.py from the payloads of Alice\'s two connections in lab-tcp.pcap '
                            '(Via and transport parameters rewritten to WS): one TCP connection 127.0.0.10:50312 -> '
                            '127.0.0.2:8080, HTTP Upgrade (Sec-WebSocket-Protocol: sip) and 101, then 11 SIP messages '
                            'as text frames (16-bit extended lengths; client frames masked): REGISTER, 401, REGISTER, '
                            '200, a ping and its pong, the INVITE split over two frames (text FIN=0 then continuation '
                            'FIN=1, one TCP segment each), 100 and 180 as two frames in one TCP segment, the 200 OK '
                            '(INVITE) frame over two TCP segments (cut after 200 bytes), ACK, BYE, 200, close frames, '
                            'FIN. tshark reads port 8080 as HTTP and follows the upgrade.'),
    'sctp-multi-chunk.pcap': dict(scope='sctp',
                                  note='Made by lab/encap.py from the 11 messages between Alice and the proxy in '
                                  'lab-udp.pcap (Via and transport rewritten to SCTP): one association 127.0.0.10:5060 '
                                  '<-> 127.0.0.2:5060 (INIT, INIT ACK, COOKIE ECHO, COOKIE ACK), DATA chunks on stream '
                                  '0 with PPID 0; SACK chunks bundled before DATA chunks; the INVITE in two DATA chunks '
                                  '(B then E) in two packets; the 100 and the 180 as two DATA chunks in one packet (after '
                                  'a SACK); SHUTDOWN at the end. CRC32c checksums valid.'),
}

PUBLIC = ['pcapplusplus__sip_reqs.pcap', 'pcapplusplus__sip_resp.pcap', 'suricata-verify__sip-body-large.pcap',
          'suricata-verify__sip_compact_form.pcap', 'suricata-verify__sip_header_multi_val.pcap',
          'zeek__invalid-content-length.pcap', 'zeek__sip-junk-before-request.pcap']

CORPUS = {
    'heplify__erspan_sip_ipv4_udp.pcapng': dict(scope='erspan', note='Every SIP packet inside ERSPAN over GRE '
                                                '(outer IPv4/GRE/ERSPAN/Ethernet/IPv4/UDP).'),
    'heplify__ipip0.pcap': dict(scope='direct', note='LINKTYPE_RAW; despite the name, no IP-in-IP inside.'),
    'heplify__sip_ipv4_tcp.pcap': dict(scope='direct'),
    'heplify__sip_ipv4_tcp_retrans.pcap': dict(scope='direct', note='LINUX_SLL; the same REGISTER flow over TCP '
                                               'and UDP. Frame 38 is a TCP retransmission of a SIP message: not '
                                               'counted again (tshark neither).'),
    'heplify__sip_ipv6_udp.pcap': dict(scope='direct', note='IPv6; timestamps jump by years between packets.'),
    'heplify__sip_sctp.pcap': dict(scope='sctp', note='SIP over SCTP (LINUX_SLL); the INVITE is fragmented over '
                                   'two SCTP DATA chunks (frames 1-2).'),
    'junkie__on-alt-port.pcap': dict(args=['-d', 'udp.port==55060,sip', '-d', 'udp.port==51196,sip'], scope='direct',
                                     note='UDP between 55060 and 51196 (no 5060). tshark\'s SIP heuristic finds '
                                     'the same 6 without the -d hints.'),
    'ndpi__fuzz-2006-06-26-2594.pcap': dict(scope='direct', note=(
        'Fuzzed (random byte changes in every layer), big-endian classic pcap. tshark\'s 52 include "REGIStER" '
        '(frame 107: a syntactically valid extension method, so counted as its own method) and several messages '
        'tshark marks malformed. 21 more frames contain "SIP/2.0" but tshark does not see SIP in them (damaged '
        'Ethernet type, IP version 3, fragment bits set, IP protocol changed, bad UDP length, broken start lines). '
        'Of those, 4 are UDP/IPv4 datagrams whose payload starts with a start line holding a NUL ("%s\\0") '
        'byte (frames 108 "SIP/2.0 401 Unauthori%s\\0", 346 "INVITE sip:0%s\\0...", 348 "SIP/2.0 403 Wrong '
        'passw%s\\0 or domain", 441 "REGISTER s%s\\0sip:..."): a lenient reader may count them, giving up to 56. '
        'Frame 247 (CANCEL) is counted by tshark although its request line ends in a bare CR ("SIP/2.0\\r7Via: ..."). Use this file for robustness '
        '(no panic) and an approximate count (52..56), not an exact one.')),
    'pcapplusplus__sip_reqs.pcap': dict(scope='pppoe', scope_counts={'direct': 2, 'pppoe': 2},
                                        note='INVITE and BYE over plain Ethernet/IPv4/UDP; CANCEL and ACK inside '
                                        'PPPoE session frames.'),
    'pcapplusplus__sip_resp.pcap': dict(scope='direct', note='7 unrelated single responses; the second 401 is on TCP.'),
    'sngrep__ipip.pcap': dict(scope='ipip', scope_counts={'direct': 2, 'ipip': 2},
                              note='SIP over TCP; 2 of the 4 packets are inside IP-in-IP (IPv4 protocol 4).'),
    'suricata-verify__sip-body-large.pcap': dict(scope='direct', note='LINKTYPE_NULL, TCP port 5060: an INVITE with '
                                                 'a ~64 KB body over 5 segments (reassembly needed), then 100 Trying.'),
    'suricata-verify__sip_compact_form.pcap': dict(scope='direct'),
    'suricata-verify__sip_header_multi_val.pcap': dict(scope='direct'),
    'wireshark-notes__websocket-sip.pcapng': dict(scope='websocket', note='SIP over WebSocket (ws://, TCP 10080), '
                                                  'nanosecond pcapng.'),
    'wswiki__Asterisk_ZFONE_XLITE.pcap': dict(scope='direct'),
    'wswiki__DTMFsipinfo.pcap': dict(scope='pppoe', note='All SIP inside PPPoE session (eth/pppoes/ppp/ip/udp).'),
    'wswiki__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap': dict(scope='direct'),
    'wswiki__SIP_DTMF2.cap': dict(scope='direct'),
    'wswiki__fax-iz-inlife-g711-sll.cap': dict(scope='direct', note='LINUX_SLL (113).'),
    'wswiki__h263-over-rtp.pcap': dict(scope='direct', note='LINKTYPE_NULL (0).'),
    'wswiki__metasploit-sip-invite-spoof.pcap': dict(scope='direct'),
    'wswiki__nb6-startup.pcap': dict(scope='direct', note='Clock jumps from 1970 to 2014 within the capture.'),
    'wswiki__rtp_conversacion.pcap': dict(scope='direct'),
    'wswiki__sip-rtp-g711.pcap': dict(scope='direct'),
    'wswiki__wireuploaded.pcap': dict(scope='direct'),
    'zeek__invalid-content-length.pcap': dict(scope='direct', note='Content-Length values are not numbers '
                                              '("bad", "xyz"); each datagram is still one message.'),
    'zeek__sip-junk-before-request.pcap': dict(scope='direct', note='A 4-byte junk datagram to 5060 before the '
                                               'REGISTER: not a SIP message.'),
}


def build(table, base, prefix=''):
    res = {}
    for name, spec in table.items():
        spec = dict(spec)
        spec.setdefault('scope', 'direct')  # SIP directly over the link, UDP or TCP
        args = spec.pop('args', ())
        res[prefix + name] = entry(os.path.join(base, prefix + name), args, **spec)
    return res


def main():
    if sys.argv[1] == 'samples':
        base = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(HERE)
        res = build(SAMPLES, base)
        pub = {n: dict(CORPUS[n]) for n in PUBLIC}
        res.update(build(pub, base, 'public/'))
        res.update(build(ATTACKS, base, 'attack/'))
    else:
        res = build(CORPUS, sys.argv[2])
    print(json.dumps(res, indent=1, sort_keys=True))


if __name__ == '__main__':
    main()
