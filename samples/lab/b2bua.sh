#!/bin/bash
# Real run: b2bua.py on 127.0.0.5:5060 between the phones of b2bua_phones.py (callers
# 127.0.0.31-34, callees 127.0.0.41-43), plus a direct call 127.0.0.51 -> 127.0.0.52 at the
# same instant; tcpdump on lo. Writes EXPECTED.json: the B2BUA's own record of which A-leg
# Call-ID it bridged to which B-leg Call-ID, and the expected grouping of every call.
# Usage: b2bua.sh OUT.pcap EXPECTED.json
set -u
out=$(realpath -m "$1"); map=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cd "$tmp"
hosts="127.0.0.5 127.0.0.31 127.0.0.32 127.0.0.33 127.0.0.34 127.0.0.41 127.0.0.42 127.0.0.43 127.0.0.51 127.0.0.52"
filter=$(printf 'host %s or ' $hosts); filter=${filter% or }
tcpdump -i lo -s 0 -U -w "$out" "$filter" >/dev/null 2>&1 &
tpid=$!
sleep 1
python3 "$here/b2bua.py" 127.0.0.5 5060 "$tmp/map.json" 7 &
bpid=$!
sleep 0.5
python3 "$here/b2bua_phones.py" "$tmp/phones.json"
echo "phones exit: $?"
wait "$bpid"
echo "b2bua exit: $?"
sleep 1
kill "$tpid"; wait 2>/dev/null
python3 - "$tmp/map.json" "$tmp/phones.json" "$(basename "$out")" >"$map" <<'PY'
import json, sys
legs, phones, name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
by_a = {l['a_call_id']: l for l in legs}
state = lambda p: 'completed' if p['final'] == 200 else 'cancelled' if p['cancelled'] else 'rejected'
calls = []
for p in sorted(phones, key=lambda p: p['caller']):
    call = {'caller': p['caller'], 'request_uri': p['request_uri'], 'state': state(p), 'final': p['final']}
    if p['final'] == 200:
        call['hangup'] = p['hangup']
    leg = by_a.get(p['call_id'])
    if leg:
        call.update({'call_ids': [p['call_id'], leg['b_call_id']],
                     'participants': [leg['caller'], '127.0.0.5:5060', leg['callee']],
                     'a_leg': {k: leg[k] for k in ('a_call_id', 'a_request_uri', 'a_from', 'a_to')},
                     'b_leg': {k: leg[k] for k in ('b_call_id', 'b_request_uri', 'b_from', 'b_to')},
                     'b2bua_rtp': leg['b2bua_rtp']})
    else:
        call.update({'call_ids': [p['call_id']], 'participants': [p['address'], p['sent_to']], 'direct': True})
    calls.append(call)
json.dump({'capture': name, 'b2bua': '127.0.0.5:5060',
           'note': 'One entry per call: the Call-IDs that make it (A-leg first, then the B-leg the B2BUA opened '
                   'for it, from the B2BUA\'s own log), its expected state, final code of the A-leg, who hung up, '
                   'and its SIP participants. Media is anchored on the B2BUA (b2bua_rtp: its ports facing each leg).',
           'calls': calls}, sys.stdout, indent=1)
print()
PY
rm -rf "$tmp"
