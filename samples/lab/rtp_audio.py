#!/usr/bin/env python3
"""Writes an audio file for SIPp's play_pcap_audio: 20 ms G.711 A-law packets (a tone), one RTP
stream, Ethernet/IPv4/UDP in a classic pcap. SIPp sends each packet's UDP payload as it is (RTP
header included) at the packet's time offset, so the sending times are those of the file:

    rtp_audio.py OUT.pcap SECONDS [WAKE_MS] [SEED] [FREQ]

WAKE_MS > 20: a sender whose audio thread is starved: it wakes after a random pause, uniform
between 20 ms and WAKE_MS, and sends at once (a burst) every packet that fell due while it slept
(packet n is due at n * 20 ms). Order kept. RTP timestamps and sequence numbers stay regular: only the sending times vary.
Deterministic for a given seed."""
import math
import random
import struct
import sys

from sipmini import alaw


def main():
    out, seconds = sys.argv[1], float(sys.argv[2])
    wake_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    freq = float(sys.argv[5]) if len(sys.argv) > 5 else 440.0
    rnd = random.Random(seed)
    ssrc = rnd.getrandbits(32)
    seq0 = rnd.getrandbits(15)
    ts0 = rnd.getrandbits(31)
    n_pkts = int(round(seconds / 0.020))
    wake = 0.0
    recs = []
    for n in range(n_pkts):
        due = n * 0.020
        if wake_ms > 20:
            while wake < due - 1e-9:
                wake += rnd.uniform(0.020, wake_ms / 1000.0)
            t = wake
        else:
            t = due
        pay = bytes(alaw(int(6000 * math.sin(2 * math.pi * freq * (n * 160 + i) / 8000))) for i in range(160))
        rtp = struct.pack('!BBHII', 0x80, 0x08 | (0x80 if n == 0 else 0), (seq0 + n) & 0xFFFF,
                          (ts0 + 160 * n) & 0xFFFFFFFF, ssrc) + pay
        udp = struct.pack('!HHHH', 7000, 6000, 8 + len(rtp), 0) + rtp
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), n & 0xFFFF, 0x4000, 64, 17, 0,
                         bytes([127, 0, 0, 10]), bytes([127, 0, 0, 20]))
        csum = 0
        for i in range(0, 20, 2):
            csum += (ip[i] << 8) | ip[i + 1]
        while csum >> 16:
            csum = (csum & 0xFFFF) + (csum >> 16)
        ip = ip[:10] + struct.pack('!H', ~csum & 0xFFFF) + ip[12:]
        frame = b'\x00' * 12 + b'\x08\x00' + ip + udp
        base = 1700000000
        sec = base + int(t)
        usec = int(round((t - int(t)) * 1e6))
        if usec == 1000000:
            sec, usec = sec + 1, 0
        recs.append(struct.pack('<IIII', sec, usec, len(frame), len(frame)) + frame)
    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for r in recs:
            f.write(r)


if __name__ == '__main__':
    main()
