#!/usr/bin/env python3
"""Prints what the call table shows in a page's DOM (from --dump-dom): the pager's count, then
the call number of each row drawn and its text, one per line, for the checks of check.sh."""
import html, re, sys

dom = open(sys.argv[1], encoding='utf-8').read()
body = re.search(r'<table id="calls">.*?<tbody>(.*?)</tbody>', dom, re.S)
count = re.search(r'<span id="count"[^>]*>([^<]*)<', dom)
print(html.unescape(count.group(1)) if count else 'no count')
for call, cells in re.findall(r'<tr data-call="(\d+)"[^>]*>(.*?)</tr>', body.group(1) if body else '', re.S):
    print(call, html.unescape(re.sub(r'<[^>]+>', ' ', cells)).replace('\n', ' '))
