#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from samples/ (into fuzz/seeds/, not committed).

capture_file, parse_message and sdp read samples/ directly; this script adds what needs a
target's own input format: tcp_stream (a control prefix, then SIP messages back to back),
ip_defrag (UDP datagrams carrying SIP, cut into fragment records) and sdp (bare bodies).
"""
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent
SAMPLES = ROOT.parent / "samples" / "messages"
OUT = ROOT / "seeds"

messages = sorted(p.read_bytes() for p in SAMPLES.rglob("*.sip"))


def write(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


for i, m in enumerate(messages):
    # One segment; then cut in small segments, some out of order, repeated, or acknowledged.
    write("tcp_stream", f"whole-{i}", b"\x00" + m)
    write("tcp_stream", f"cut-{i}", bytes([8, 0x07, 0x83, 0x0f, 0x95, 0x0c, 0xc3, 0x2f, 0x0b]) + m + m)
    write("tcp_stream", f"ws-{i}", b"\x00" + b"\x81" + (bytes([len(m)]) if len(m) < 126 else b"\x7e" + struct.pack(">H", len(m))) + m)
    body = m.split(b"\r\n\r\n", 1)[-1]
    if body.strip():
        write("sdp", f"body-{i}", body)
    # A UDP datagram cut into 3 fragments (ids collide on purpose across seeds).
    udp = struct.pack(">HHHH", 5060, 5060, 8 + len(m), 0) + m
    third = max(8, (len(udp) // 3) // 8 * 8)
    pieces = [udp[:third], udp[third:2 * third], udp[2 * third:]]
    records = b""
    order = [1, 0, 2] if i % 2 else [0, 1, 2]
    for n in order:
        piece = pieces[n]
        units = (n * third) // 8
        more = 0x8000 if n < 2 else 0
        for at in range(0, len(piece), 248):
            chunk = piece[at:at + 248]
            last_chunk = at + 248 >= len(piece)
            flags = more if last_chunk else 0x8000
            off = units + at // 8
            records += bytes([i & 0xff, (i % 2) << 7]) + struct.pack(">H", off | flags) + bytes([len(chunk), 1, 0]) + chunk
    write("ip_defrag", f"udp-{i}", records)
