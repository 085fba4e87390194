#!/usr/bin/env python3
"""Writes samples/hostile.pcap: a short call whose headers, display names, reason phrase and SDP
carry HTML, script tags, quotes, ANSI escape sequences and XML breakers, to check that every
output shows them as text and runs nothing."""
import os
from scapy.all import Ether, IP, UDP, wrpcap, Raw

HERE = os.path.dirname(os.path.abspath(__file__))
A, B = '192.0.2.1', '192.0.2.2'
ESC = '\x1b'

sdp = ('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=<script>alert("sdp")</script>\r\nc=IN IP4 192.0.2.1\r\n'
       't=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=tool:</pre><img src=x onerror=alert(5)>\r\n')
invite = ('INVITE sip:bob@192.0.2.2 SIP/2.0\r\n'
          'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-hostile-1\r\n'
          'Max-Forwards: 70\r\n'
          'From: "<script>alert(1)</script>" <sip:evil@192.0.2.1>;tag=a"b<c>\r\n'
          'To: "Bob & \'friends\'" <sip:bob@192.0.2.2>\r\n'
          'Call-ID: hostile-<b>1</b>@192.0.2.1\r\n'
          'CSeq: 1 INVITE\r\n'
          f'User-Agent: <img src=x onerror=alert(2)> {ESC}[31mRED{ESC}[0m {ESC}]0;title{chr(7)} "quote\' &amp;\r\n'
          'X-Evil: ]]><svg onload=alert(4)>\r\n'
          'Contact: <sip:evil@192.0.2.1:5060>\r\n'
          'Content-Type: application/sdp\r\n'
          f'Content-Length: {len(sdp)}\r\n\r\n' + sdp)
ok = ('SIP/2.0 200 <b>OK</b><script>alert(6)</script>\r\n'
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-hostile-1\r\n'
      'From: "<script>alert(1)</script>" <sip:evil@192.0.2.1>;tag=a"b<c>\r\n'
      'To: "Bob & \'friends\'" <sip:bob@192.0.2.2>;tag=x\r\n'
      'Call-ID: hostile-<b>1</b>@192.0.2.1\r\n'
      'CSeq: 1 INVITE\r\n'
      'Server: </title></style><script>alert(3)</script>\r\n'
      'Content-Length: 0\r\n\r\n')
packets = []
for i, (src, dst, msg) in enumerate([(A, B, invite), (B, A, ok)]):
    p = Ether() / IP(src=src, dst=dst) / UDP(sport=5060, dport=5060) / Raw(msg.encode('utf-8'))
    p.time = 1700000000 + i * 0.25
    packets.append(p)
wrpcap(os.path.join(HERE, '..', 'hostile.pcap'), packets)
