//! Fuzzes the SDP parser (RFC 4566/8866): a bare body, and the same bytes as a sub-slice of a
//! larger buffer, with every accessor called and every span checked against the buffer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipladder::sip::{Message, Sdp};

fn exercise(base: &[u8], sdp: &Sdp<'_>) {
    assert!(sdp.span.slice(base).is_some());
    let _ = (
        sdp.version,
        sdp.session_name,
        sdp.times.len(),
        sdp.other.len(),
    );
    if let Some(o) = &sdp.origin {
        let _ = (o.username.to_string_lossy(), o.address.to_str());
    }
    let _ = sdp.connection.as_ref().map(|c| c.ip());
    let _ = sdp.direction_attr();
    for b in &sdp.bandwidths {
        let _ = (b.kind.to_string_lossy(), b.value);
    }
    for a in &sdp.attributes {
        assert!(a.span.slice(base).is_some());
        let _ = (a.name.to_string_lossy(), a.value.map(|v| v.unquoted()));
    }
    for (i, m) in sdp.media.iter().enumerate() {
        assert!(m.span.slice(base).is_some());
        let _ = (sdp.direction(i), sdp.connection_of(i).map(|c| c.ip()));
        let _ = (m.kind.to_string_lossy(), m.port, m.port_count, m.protocol);
        for a in &m.attributes {
            assert!(a.span.slice(base).is_some());
        }
        for r in m.rtpmaps() {
            let _ = (r.payload_type, r.encoding.to_str(), r.clock_rate, r.params);
            let _ = (m.rtpmap(r.payload_type), m.fmtp(r.payload_type));
        }
        for f in &m.formats {
            if let Some(pt) = f.to_str().and_then(|s| s.parse::<u8>().ok()) {
                let _ = (m.rtpmap(pt), m.fmtp(pt));
            }
        }
        let _ = (m.ptime(), m.direction_attr());
    }
    for d in &sdp.diagnostics {
        let _ = d.to_string();
    }
}

fuzz_target!(|data: &[u8]| {
    let sdp = Sdp::parse(data);
    exercise(data, &sdp);
    // The same body inside a buffer: spans and offsets count from the buffer.
    let mut framed = b"prefix\r\n".to_vec();
    framed.extend_from_slice(data);
    framed.extend_from_slice(b"\r\nsuffix");
    let body = &framed[8..8 + data.len()];
    let sdp = Sdp::parse_in(&framed, body);
    exercise(&framed, &sdp);
    // And as the body of a SIP message (the seeds are whole messages).
    if let Ok(m) = Message::parse(data) {
        if let Some(sdp) = m.sdp() {
            exercise(data, &sdp);
        }
    }
});
