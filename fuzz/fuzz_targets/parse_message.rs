//! Fuzzes the SIP message parser: parsing, every typed accessor, the diagnosis, SDP and
//! multipart bodies, and the invariant that every span points inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipladder::sip::header::{
    Auth, ContentLength, Event, MaxForwards, SessionTimer, SipDate, SubscriptionState, Timestamp,
    check_value, privacy_values,
};
use sipladder::sip::{HeaderName, Message, NameAddr, Sdp, Uri, Via};

fuzz_target!(|data: &[u8]| {
    // Standalone parsers on the raw input.
    let _ = Uri::from_slice(data);
    let _ = Via::from_slice(data);
    let _ = NameAddr::from_slice(data);
    let _ = Auth::from_slice(data).map(|a| (a.realm(), a.nonce(), a.params().count()));
    let _ = SipDate::from_slice(data);
    let _ = Timestamp::from_slice(data);
    let _ = privacy_values(data);
    let _ = Event::from_slice(data);
    let _ = SubscriptionState::from_slice(data);
    let _ = SessionTimer::from_slice(data);
    let _ = MaxForwards::from_slice(data);
    let _ = ContentLength::from_slice(data);
    let sdp = Sdp::parse(data);
    for i in 0..sdp.media.len() {
        let _ = (sdp.direction(i), sdp.connection_of(i).map(|c| c.ip()));
        let m = &sdp.media[i];
        let _ = (m.rtpmaps().count(), m.fmtp(0), m.ptime());
    }

    let Ok(m) = Message::parse(data) else { return };
    assert!(m.span.end <= data.len());
    assert!(m.body_span.slice(data).is_some());
    for h in &m.headers {
        assert_eq!(h.value_span.slice(data), Some(h.value));
        assert!(h.span.slice(data).is_some());
        let _ = check_value(h.name, data, h.value);
        let _ = h.items().count();
    }
    let _ = (
        m.request_uri(),
        m.call_id(),
        m.cseq(),
        m.branch(),
        m.from_tag(),
        m.to_tag(),
    );
    if let Some(v) = m.top_via() {
        assert_eq!(v.span.slice(data), Some(v.raw.as_bytes()));
        let _ = (v.rport(), v.received_host(), v.ttl(), v.has_magic_cookie());
    }
    for v in m.vias() {
        assert_eq!(v.span.slice(data), Some(v.raw.as_bytes()));
    }
    for a in m.from().into_iter().chain(m.to()) {
        assert_eq!(a.span.slice(data), Some(a.raw.as_bytes()));
        assert_eq!(a.uri.span.slice(data), Some(a.uri.raw.as_bytes()));
        for p in a.params.iter() {
            assert!(p.span.slice(data).is_some());
        }
        let _ = (a.tag(), a.expires(), a.q(), a.display_name_unquoted());
    }
    let _ = m.contacts().count();
    let _ = m.routes().count();
    let _ = m.values(HeaderName::Allow).count();
    let _ = (
        m.content_length(),
        m.content_type(),
        m.max_forwards(),
        m.expires(),
    );
    let _ = m.auth(HeaderName::WwwAuthenticate);
    let _ = m.sdp().map(|s| s.media.len());
    if let Some(mp) = m.multipart() {
        for p in &mp.parts {
            assert!(p.span.slice(data).is_some());
        }
    }
    for d in m.diagnose() {
        let _ = d.to_string();
        assert!(d.offset <= data.len());
    }
});
