#!/usr/bin/env python3
"""Exits 0 when a page's DOM (from --dump-dom) holds the dashboard: the expected number of
<figure class="chart"> elements, each with a caption and an <svg> that draws something."""
import re, sys

dom = open(sys.argv[1], encoding='utf-8').read()
expected = int(sys.argv[2])
figures = re.findall(r'<figure class="chart" id="([^"]+)">(.*?)</figure>', dom, re.S)
if len(figures) != expected:
    sys.exit(f'{len(figures)} charts, expected {expected}')
for name, body in figures:
    svg = re.search(r'<svg\b.*?</svg>', body, re.S)
    if not svg or not re.search(r'<(rect|circle|line|text)\b', svg.group(0)):
        sys.exit(f'{name}: empty chart')
    if '<figcaption>' not in body:
        sys.exit(f'{name}: no caption')
print(f'{len(figures)} charts: ' + ', '.join(n for n, _ in figures))
