#!/usr/bin/env python3
"""The phones around b2bua.py (127.0.0.5:5060) for lab-b2bua.pcap, one thread each, every one
on its own loopback address (SIP on 5060, RTP on 4000). All callers send their INVITE at the
same instant (a barrier), so the calls through the B2BUA and a direct call are set up within
the same milliseconds:

  alice 127.0.0.31 -> sip:bob@127.0.0.5            \\  both to bob (127.0.0.41): bob rings for the
  carol 127.0.0.32 -> sip:bob@127.0.0.5            /  first INVITE he gets (200 after 400 ms) and
                                                      answers 486 Busy Here to an INVITE that comes
                                                      while a call is ringing or up (no call waiting)
  dave  127.0.0.33 -> sip:gina@127.0.0.5              gina (127.0.0.43) rings; dave CANCELs at 800 ms
  erin  127.0.0.34 -> sip:0612345678@127.0.0.5        national number; the B2BUA calls
                                                      +33612345678 at 127.0.0.42 (frank's line):
                                                      183 with SDP (no early RTP), 200 after 300 ms,
                                                      frank hangs up 1 s after the ACK
  henry 127.0.0.51 -> sip:ivan@127.0.0.52             direct, not through the B2BUA: 200 after
                                                      250 ms, henry hangs up 700 ms after ACK

A caller whose call is answered ACKs, sends 10 RTP packets (PCMA, 20 ms) to the SDP address of
the 200 and hangs up 600 ms after the ACK unless the callee does first; a callee sends 10 RTP
packets after the ACK. Usage: b2bua_phones.py RESULTS.json (per caller: its Call-ID, the final
response it got, who hung up)"""
import json
import sys
import threading
import time

from sipmini import Msg, RtpSender, build, new_branch, rand_hex, recv, response, sdp, sdp_addr, udp_socket, uri_of

B2BUA = ('127.0.0.5', 5060)
start = threading.Barrier(5)
errors = []
results = []


class Phone:
    def __init__(self, name, ip):
        self.name, self.ip = name, ip
        self.sock = udp_socket(ip, 5060)
        self.rtp_sock = udp_socket(ip, 4000)
        self.ua = f'{name}-phone/1.0'
        self.contact = f'<sip:{name}@{ip}:5060>'

    def send(self, data, dest):
        self.sock.sendto(data, dest)

    def rtp_burst(self, dest, n=10, freq=440):
        s = RtpSender(self.rtp_sock, dest, freq)
        t0 = time.monotonic()
        for i in range(n):
            time.sleep(max(0, t0 + 0.020 * i - time.monotonic()))
            s.send()


class Caller(Phone):
    def __init__(self, name, ip, target, dest, cancel_after=None, hangup_after=0.6):
        super().__init__(name, ip)
        self.ruri, self.dest, self.cancel_after, self.hangup_after = target, dest, cancel_after, hangup_after

    def run(self):
        try:
            self.call()
        except Exception as e:  # reported by main
            errors.append(f'{self.name}: {e!r}')

    def call(self):
        call_id, tag, branch, cseq = f'{rand_hex(10)}@{self.ip}', rand_hex(5), new_branch(), 1
        from_h = f'"{self.name.capitalize()}" <sip:{self.name}@{self.ip}>;tag={tag}'
        to_h = f'<{self.ruri}>'
        via = f'SIP/2.0/UDP {self.ip}:5060;rport;branch={branch}'
        invite = build(f'INVITE {self.ruri} SIP/2.0',
                       [('Via', via), ('Max-Forwards', '70'), ('From', from_h), ('To', to_h), ('Call-ID', call_id),
                        ('CSeq', f'{cseq} INVITE'), ('Contact', self.contact), ('User-Agent', self.ua),
                        ('Content-Type', 'application/sdp')],
                        sdp(self.name, self.ip, 4000, int(time.time())))
        start.wait()
        t0 = time.monotonic()
        self.send(invite, self.dest)
        cancelled = False
        while True:
            timeout = 5.0
            if self.cancel_after is not None and not cancelled:
                timeout = max(0.0, t0 + self.cancel_after - time.monotonic())
            m, _ = recv(self.sock, timeout)
            if m is None:
                if self.cancel_after is not None and not cancelled:
                    self.send(build(f'CANCEL {self.ruri} SIP/2.0',
                                    [('Via', via), ('Max-Forwards', '70'), ('From', from_h), ('To', to_h),
                                     ('Call-ID', call_id), ('CSeq', f'{cseq} CANCEL'), ('User-Agent', self.ua)]),
                              self.dest)
                    cancelled = True
                    continue
                raise RuntimeError('no final response')
            if m.is_request or m.cseq[1] != 'INVITE' or m.code < 200:
                continue
            break
        final = m
        result = {'caller': self.name, 'address': f'{self.ip}:5060', 'call_id': call_id, 'request_uri': self.ruri,
                  'sent_to': f'{self.dest[0]}:{self.dest[1]}', 'final': final.code, 'cancelled': cancelled}
        results.append(result)
        if final.code >= 300:
            self.send(build(f'ACK {self.ruri} SIP/2.0',
                            [('Via', via), ('Max-Forwards', '70'), ('From', from_h), ('To', final.get('To')),
                             ('Call-ID', call_id), ('CSeq', f'{cseq} ACK'), ('User-Agent', self.ua)]), self.dest)
            return
        target = uri_of(final.get('Contact'))
        to_tagged = final.get('To')

        def in_dialog(method, num):
            return build(f'{method} {target} SIP/2.0',
                         [('Via', f'SIP/2.0/UDP {self.ip}:5060;rport;branch={new_branch()}'), ('Max-Forwards', '70'),
                          ('From', from_h), ('To', to_tagged), ('Call-ID', call_id), ('CSeq', f'{num} {method}'),
                          ('User-Agent', self.ua)])
        self.send(in_dialog('ACK', cseq), self.dest)
        t_ack = time.monotonic()
        self.rtp_burst(sdp_addr(final.body))
        while True:
            m, src = recv(self.sock, max(0.0, t_ack + self.hangup_after - time.monotonic()))
            if m is None:                                   # our turn to hang up
                self.send(in_dialog('BYE', cseq + 1), self.dest)
                result['hangup'] = 'caller'
                while True:
                    m, _ = recv(self.sock, 2)
                    if m is None:
                        raise RuntimeError('no answer to BYE')
                    if not m.is_request and m.cseq[1] == 'BYE':
                        return
            if m.is_request and m.method == 'BYE':
                self.send(response(m, 200, 'OK', [('User-Agent', self.ua)]), src)
                result['hangup'] = 'callee'
                return


class Callee(Phone):
    """Answers INVITEs by policy: ring, then answer after `answer_after` s (None: never); busy
    (486) for an INVITE that arrives while another call rings or is up; hangs up
    `hangup_after` s after the ACK if set."""

    def __init__(self, name, ip, answer_after=None, hangup_after=None, progress=180, until=4.0):
        super().__init__(name, ip)
        self.answer_after, self.hangup_after, self.until = answer_after, hangup_after, until
        self.progress, self.session = progress, int(time.time())
        self.calls = {}
        self.timers = []

    def run(self):
        try:
            self.loop()
        except Exception as e:
            errors.append(f'{self.name}: {e!r}')

    def at(self, delay, fn):
        self.timers.append((time.monotonic() + delay, fn))

    def loop(self):
        end = time.monotonic() + self.until
        while time.monotonic() < end:
            self.timers.sort(key=lambda t: t[0])
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, fn = self.timers.pop(0)
                fn()
            wait = min([t for t, _ in self.timers] + [now + 0.05]) - now
            m, src = recv(self.sock, max(0.001, wait))
            if m is not None:
                self.handle(m, src)

    def handle(self, m, src):
        if not m.is_request:
            return
        c = self.calls.get(m.call_id)
        if m.method == 'INVITE' and c is None:
            tag = rand_hex(5)
            busy = any(x['state'] in ('ringing', 'up') for x in self.calls.values())
            c = self.calls[m.call_id] = {'invite': m, 'src': src, 'tag': tag, 'state': 'ringing', 'cseq': 1}
            if busy:
                c['state'] = 'busy'
                self.send(response(m, 486, 'Busy Here', [('User-Agent', self.ua)], to_tag=tag), src)
                return
            if self.progress == 183:
                self.send(response(m, 183, 'Session Progress', [('Contact', self.contact), ('User-Agent', self.ua),
                                                                ('Content-Type', 'application/sdp')], to_tag=tag,
                                   body=sdp(self.name, self.ip, 4000, self.session)), src)
            else:
                self.send(response(m, 180, 'Ringing', [('Contact', self.contact), ('User-Agent', self.ua)],
                                   to_tag=tag), src)
            if self.answer_after is not None:
                self.at(self.answer_after, lambda: self.answer(m.call_id))
        elif m.method == 'CANCEL' and c is not None:
            self.send(response(m, 200, 'OK', [('User-Agent', self.ua)], to_tag=c['tag']), src)
            if c['state'] == 'ringing':
                c['state'] = 'cancelled'
                self.send(response(c['invite'], 487, 'Request Terminated', [('User-Agent', self.ua)], to_tag=c['tag']),
                          c['src'])
        elif m.method == 'ACK' and c is not None:
            if c['state'] == 'answered':
                c['state'] = 'up'
                threading.Thread(target=self.rtp_burst, args=(sdp_addr(c['invite'].body),), kwargs={'freq': 660}).start()
                if self.hangup_after is not None:
                    self.at(self.hangup_after, lambda: self.hangup(m.call_id))
        elif m.method == 'BYE' and c is not None:
            self.send(response(m, 200, 'OK', [('User-Agent', self.ua)]), src)
            c['state'] = 'ended'

    def answer(self, call_id):
        c = self.calls[call_id]
        if c['state'] != 'ringing':
            return
        c['state'] = 'answered'
        body = sdp(self.name, self.ip, 4000, self.session)
        self.send(response(c['invite'], 200, 'OK', [('Contact', self.contact), ('User-Agent', self.ua),
                                                    ('Content-Type', 'application/sdp')], to_tag=c['tag'], body=body),
                  c['src'])

    def hangup(self, call_id):
        c = self.calls[call_id]
        if c['state'] != 'up':
            return
        inv = c['invite']
        c['state'] = 'ended'
        self.send(build(f'BYE {uri_of(inv.get("Contact"))} SIP/2.0',
                        [('Via', f'SIP/2.0/UDP {self.ip}:5060;rport;branch={new_branch()}'), ('Max-Forwards', '70'),
                         ('From', f'{inv.get("To")};tag={c["tag"]}'), ('To', inv.get('From')),
                         ('Call-ID', inv.call_id), ('CSeq', f'{c["cseq"]} BYE'), ('User-Agent', self.ua)]),
                  c['src'])


callees = [Callee('bob', '127.0.0.41', answer_after=0.4),
           Callee('gina', '127.0.0.43'),
           Callee('frank', '127.0.0.42', answer_after=0.3, hangup_after=1.0, progress=183),
           Callee('ivan', '127.0.0.52', answer_after=0.25)]
callers = [Caller('alice', '127.0.0.31', 'sip:bob@127.0.0.5', B2BUA),
           Caller('carol', '127.0.0.32', 'sip:bob@127.0.0.5', B2BUA),
           Caller('dave', '127.0.0.33', 'sip:gina@127.0.0.5', B2BUA, cancel_after=0.8),
           Caller('erin', '127.0.0.34', 'sip:0612345678@127.0.0.5', B2BUA, hangup_after=3.0),
           Caller('henry', '127.0.0.51', 'sip:ivan@127.0.0.52', ('127.0.0.52', 5060), hangup_after=0.7)]
threads = [threading.Thread(target=p.run) for p in callees + callers]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    raise SystemExit('\n'.join(errors))
with open(sys.argv[1], 'w') as f:
    json.dump(results, f, indent=1)
print('phones done')
