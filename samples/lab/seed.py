#!/usr/bin/env python3
"""Writes samples/seed-register.pcap: the seed course's REGISTER flow F1-F6 exactly as the
course draws it, with RFC 5737 addresses (phone 192.0.2.101, proxy 192.0.2.10, server
198.51.100.20). The proxy re-issues the REGISTER as its own UAC (F4, new Call-ID), which the
lab's Kamailio does not do. F1, F2, F4 and F5 come from samples/messages/seed_*.sip; F3 (F1
plus credentials) and F6 (the proxy's 200 OK to F3) are written from the course's text.
The seed's F5 Via names the server (an error of the course's anonymisation: the response
echoes the request's Via); here it echoes F4's Via, as a real registrar does."""
import os
from scapy.all import Ether, IP, UDP, wrpcap, Raw

HERE = os.path.dirname(os.path.abspath(__file__))
MSG = os.path.join(HERE, '..', 'messages')
PHONE, PROXY, SERVER = '192.0.2.101', '192.0.2.10', '198.51.100.20'

def load(name):
    return open(os.path.join(MSG, name), 'rb').read()

f1 = load('seed_f1_register.sip')
f2 = load('seed_f2_401.sip')
f3 = (f1.replace(b'branch=z9hG4bKPj3709e229-981d-411c-9865-489b06db5c51',
                 b'branch=z9hG4bKPj5f2a7d2c-4f3e-4b8e-9d6b-0c6f1a7e8b21')
        .replace(b'CSeq: 21002 REGISTER', b'CSeq: 21003 REGISTER')
        .replace(b'Contact: sip:202@192.0.2.101:5060\r\n',
                 b'Contact: sip:202@192.0.2.101:5060\r\n'
                 b'Authorization: Digest username="202", realm="192.0.2.10", '
                 b'nonce="U9PVz1PT1KMLCPDjscFFepG0TUAF67/E", uri="sip:192.0.2.10", '
                 b'response="1d7b3e3a0b6cbb1b4f4e5d7f6b0a9c3e", algorithm=MD5, '
                 b'cnonce="8c2f4e0a", qop=auth, nc=00000001\r\n'))
f4 = load('seed_f4_register_proxy.sip')
f5 = load('seed_f5_200.sip').replace(
    b'Via: SIP/2.0/UDP 198.51.100.20;branch=z9hG4bKe4b6.73e32360000000000000000000000000.0;received=198.51.100.20',
    b'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKe4b6.73e32360000000000000000000000000.0;received=192.0.2.10')
f6 = (b'SIP/2.0 200 OK\r\n'
      b'Via: SIP/2.0/UDP 192.0.2.101:5060;rport=5060;branch=z9hG4bKPj5f2a7d2c-4f3e-4b8e-9d6b-0c6f1a7e8b21\r\n'
      b'From: sip:202@192.0.2.10;tag=41bcaa31-a495-40e3-93cd-5c8a02e095a2\r\n'
      b'To: sip:202@192.0.2.10;tag=ecc5e797927b99afb30713b7678fb8ee.8f1a\r\n'
      b'Call-ID: 89ec7e03-7777-428b-9c99-71f32d6cdd45\r\n'
      b'CSeq: 21003 REGISTER\r\n'
      b'Contact: <sip:202@192.0.2.101:5060>;expires=60\r\n'
      b'Server: kamailio (4.1.4 (x86_64/linux))\r\n'
      b'Content-Length: 0\r\n\r\n')

T0 = 1406481649.0  # Sun, 27 Jul 2014 17:20:49 GMT, the Date of F5
flow = [(PHONE, PROXY, f1, 0.000), (PROXY, PHONE, f2, 0.002), (PHONE, PROXY, f3, 0.010),
        (PROXY, SERVER, f4, 0.012), (SERVER, PROXY, f5, 0.015), (PROXY, PHONE, f6, 0.017)]
packets = []
for src, dst, msg, dt in flow:
    p = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst) / UDP(sport=5060, dport=5060) / Raw(msg)
    p.time = T0 + dt
    packets.append(p)
wrpcap(os.path.join(HERE, '..', 'seed-register.pcap'), packets)
