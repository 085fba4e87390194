#!/usr/bin/env python3
"""Writes samples/seed-register.pcap: the seed course's REGISTER flow F1-F6 exactly as the
course draws it, with RFC 5737 addresses (phone 192.0.2.101, proxy 192.0.2.10, server
198.51.100.20). The proxy re-issues the REGISTER as its own UAC (F4, new Call-ID), which the
lab's Kamailio does not do. F1, F2, F4 and F5 come from samples/messages/seed_*.sip as
transcribed from the course; F3 and F6 (seed_f3_register_auth.sip, seed_f6_200.sip) are
written from its text: F3 "entame un nouveau dialogue (cf le tag et Call-ID)", so it carries a
new Call-ID and a new From tag, keeps every other field of F1 (CSeq 21002 included; the Via
branch is new, as for any new request) and adds an Authorization header with F2's realm and
nonce and the MD5 digest response for password "secret"; F6 is the proxy's 200 OK to F3 (F3's
Call-ID, tag and branch). The seed's F5 Via names the server (an error of the course's
anonymisation: the response echoes the request's Via); here it echoes F4's Via, as a real
registrar does."""
import os
from scapy.all import Ether, IP, UDP, wrpcap, Raw

HERE = os.path.dirname(os.path.abspath(__file__))
MSG = os.path.join(HERE, '..', 'messages')
PHONE, PROXY, SERVER = '192.0.2.101', '192.0.2.10', '198.51.100.20'

def load(name):
    return open(os.path.join(MSG, name), 'rb').read()

f1 = load('seed_f1_register.sip')
f2 = load('seed_f2_401.sip')
f3 = load('seed_f3_register_auth.sip')
f4 = load('seed_f4_register_proxy.sip')
f5 = load('seed_f5_200.sip').replace(
    b'Via: SIP/2.0/UDP 198.51.100.20;branch=z9hG4bKe4b6.73e32360000000000000000000000000.0;received=198.51.100.20',
    b'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKe4b6.73e32360000000000000000000000000.0;received=192.0.2.10')
f6 = load('seed_f6_200.sip')

T0 = 1406481649.0  # Sun, 27 Jul 2014 17:20:49 GMT, the Date of F5
flow = [(PHONE, PROXY, f1, 0.000), (PROXY, PHONE, f2, 0.002), (PHONE, PROXY, f3, 0.010),
        (PROXY, SERVER, f4, 0.012), (SERVER, PROXY, f5, 0.015), (PROXY, PHONE, f6, 0.017)]
packets = []
for src, dst, msg, dt in flow:
    p = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst) / UDP(sport=5060, dport=5060) / Raw(msg)
    p.time = T0 + dt
    packets.append(p)
wrpcap(os.path.join(HERE, '..', 'seed-register.pcap'), packets)
