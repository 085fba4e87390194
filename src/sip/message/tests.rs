//! Message-level tests: the seed's REGISTER flow, hand-written samples, and the RFC 4475
//! torture messages (every valid one parses with the right values, every invalid one gets a
//! diagnostic).

use super::*;
use crate::sip::diagnostic::Severity;
use crate::sip::header::{Rport, Transport};
use crate::sip::host::Host;
use crate::sip::sdp::Direction;
use crate::sip::start_line::Version;
use crate::sip::uri::Scheme;

macro_rules! sample {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/messages/",
            $path
        ))
    };
}

fn errors<'a>(m: &Message<'a>) -> Vec<Diagnostic<'a>> {
    m.diagnose()
        .into_iter()
        .filter(|d| d.severity() > Severity::Info)
        .collect()
}

fn valid(bytes: &[u8]) -> Message<'_> {
    let m = Message::parse(bytes).unwrap();
    let e = errors(&m);
    assert!(
        e.is_empty(),
        "unexpected diagnostics: {:?}",
        e.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    m
}

fn kinds(bytes: &[u8]) -> Vec<DiagnosticKind> {
    let m = Message::parse(bytes).unwrap();
    errors(&m).into_iter().map(|d| d.kind).collect()
}

#[test]
fn seed_f1_register() {
    let buf = sample!("seed_f1_register.sip");
    let m = valid(buf);
    assert_eq!(m.method(), Some(Method::Register));
    let uri = m.request_uri().unwrap();
    assert_eq!(uri.host_raw.unwrap(), "192.0.2.10");
    let via = m.top_via().unwrap();
    assert_eq!(via.transport, Transport::Udp);
    assert_eq!(via.host_raw, "192.0.2.101");
    assert_eq!(via.port, Some(5060));
    assert_eq!(via.rport(), Some(Rport::Requested));
    assert_eq!(
        via.branch().unwrap(),
        "z9hG4bKPj3709e229-981d-411c-9865-489b06db5c51"
    );
    assert_eq!(
        via.branch().unwrap().as_bytes(),
        via.params.get("branch").unwrap().value.unwrap().as_bytes()
    );
    let route: Vec<_> = m.routes().collect();
    assert_eq!(route.len(), 1);
    assert!(!route[0].bracketed);
    assert_eq!(route[0].params.value("lr"), Some(None));
    assert_eq!(m.max_forwards(), Some(70));
    let from = m.from().unwrap();
    assert_eq!(from.tag().unwrap(), "41bcaa31-a495-40e3-93cd-5c8a02e095a2");
    assert_eq!(from.uri.user.unwrap(), "202");
    let to = m.to().unwrap();
    assert_eq!(to.tag(), None);
    assert_eq!(m.to_tag(), None);
    assert_eq!(m.from_tag(), from.tag());
    assert_eq!(m.branch(), via.branch());
    assert_eq!(to.uri.raw, from.uri.raw);
    assert_eq!(
        m.call_id().unwrap().value,
        "89ec7e03-7777-428b-9c99-71f32d6cdd45"
    );
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method), (21002, Method::Register));
    assert_eq!(m.header(HeaderName::UserAgent).unwrap().text(), "SFLphone");
    let contacts: Vec<_> = m.contacts().collect();
    assert_eq!(contacts[0].address().unwrap().uri.port, Some(5060));
    assert_eq!(m.expires(), Some(60));
    let allow: Vec<_> = m.values(HeaderName::Allow).collect();
    assert_eq!(allow.len(), 13);
    assert_eq!(allow[0], "PRACK");
    assert_eq!(m.content_length(), Some(0));
    assert!(m.body.is_empty());
    // Spans point back into the buffer.
    assert_eq!(via.span.slice(buf).unwrap(), via.raw.as_bytes());
    assert_eq!(from.span.slice(buf).unwrap(), from.raw.as_bytes());
    assert_eq!(from.uri.span.slice(buf).unwrap(), b"sip:202@192.0.2.10");
    assert_eq!(cseq.span.slice(buf).unwrap(), b"21002 REGISTER");
    let h = m.header(HeaderName::CallId).unwrap();
    assert_eq!(
        h.span.slice(buf).unwrap(),
        b"Call-ID: 89ec7e03-7777-428b-9c99-71f32d6cdd45"
    );
    assert_eq!(m.span.end, buf.len());
}

#[test]
fn seed_f2_401() {
    let m = valid(sample!("seed_f2_401.sip"));
    assert_eq!(m.status_code(), Some(401));
    assert!(matches!(m.start_line, StartLine::Response { reason, .. } if reason == "Unauthorized"));
    assert_eq!(m.top_via().unwrap().rport(), Some(Rport::Port(5060)));
    assert_eq!(
        m.to().unwrap().tag().unwrap(),
        "ecc5e797927b99afb30713b7678fb8ee.e6c9"
    );
    let auth = m.auth(HeaderName::WwwAuthenticate).unwrap();
    assert!(auth.is_digest());
    assert_eq!(auth.realm().unwrap(), "192.0.2.10");
    assert_eq!(auth.nonce().unwrap(), "U9PVz1PT1KMLCPDjscFFepG0TUAF67/E");
    assert_eq!(auth.qop().unwrap(), "auth");
    assert_eq!(
        m.header(HeaderName::Server).unwrap().text(),
        "kamailio (4.1.4 (x86_64/linux))"
    );
}

#[test]
fn seed_f4_f5() {
    let m = valid(sample!("seed_f4_register_proxy.sip"));
    assert_eq!(m.request_uri().unwrap().port, Some(5060));
    assert_eq!(m.top_via().unwrap().port, None);
    assert!(m.to().unwrap().bracketed);
    let m = valid(sample!("seed_f5_200.sip"));
    assert_eq!(m.top_via().unwrap().received().unwrap(), "198.51.100.20");
    let c: Vec<_> = m.contacts().collect();
    assert_eq!(c[0].address().unwrap().expires(), Some(60));
    assert_eq!(m.values(HeaderName::Supported).count(), 2);
    let d =
        crate::sip::header::SipDate::from_slice(m.header(HeaderName::Date).unwrap().value).unwrap();
    assert_eq!((d.year, d.month, d.day), (2014, 7, 27));
}

#[test]
fn invite_with_sdp() {
    let buf = sample!("invite_sdp_1k.sip");
    let m = valid(buf);
    assert_eq!(m.from().unwrap().display_name_unquoted().unwrap(), "Alice");
    assert_eq!(m.to().unwrap().display_name.unwrap(), "Bob");
    let sdp = m.sdp().unwrap();
    assert!(sdp.diagnostics.is_empty());
    let audio = &sdp.media[0];
    assert_eq!(audio.port, 49170);
    assert_eq!(audio.rtpmap(18).unwrap().encoding, "G729");
    assert_eq!(audio.fmtp(18).unwrap(), "annexb=no");
    assert_eq!(audio.ptime(), Some(20));
    assert_eq!(sdp.direction(0), Direction::SendRecv);
    assert_eq!(m.body.len() as u64, m.content_length().unwrap());
    let se = crate::sip::header::SessionTimer::from_slice(
        m.header(HeaderName::SessionExpires).unwrap().value,
    )
    .unwrap();
    assert_eq!(se.refresher().unwrap(), "uac");
    assert_eq!(m.addresses(HeaderName::PPreferredIdentity).count(), 1);
}

#[test]
fn multipart_sdp_and_isup() {
    let m = valid(sample!("multipart_sdp_isup.sip"));
    let mp = m.multipart().unwrap();
    assert_eq!(mp.parts.len(), 2);
    assert!(mp.parts[1].content_type().unwrap().is("application/isup"));
    assert_eq!(mp.parts[1].body.first(), Some(&0x01));
    let sdp = m.sdp().unwrap();
    assert_eq!(
        sdp.connection.unwrap().ip().unwrap().to_string(),
        "2001:db8::1"
    );
    assert_eq!(sdp.direction(0), Direction::RecvOnly);
    assert!(matches!(m.top_via().unwrap().host, Host::Ipv6(_)));
    assert_eq!(m.from().unwrap().uri.scheme, Scheme::Tel);
}

#[test]
fn rfc4475_wsinv() {
    let m = valid(sample!("rfc4475/valid/wsinv.sip"));
    let uri = m.request_uri().unwrap();
    assert_eq!(uri.user.unwrap(), "vivekg");
    assert_eq!(uri.params.value("unknownparam"), Some(None));
    let to = m.to().unwrap();
    assert_eq!(to.tag().unwrap(), "1918181833n");
    assert!(to.display_name.is_none());
    let from = m.from().unwrap();
    assert_eq!(
        from.display_name_unquoted().unwrap(),
        "J Rosenberg \\\\\\\""
    );
    assert_eq!(m.from_tag(), from.tag());
    assert_eq!(m.to_tag(), to.tag());
    assert_eq!(m.branch(), m.top_via().unwrap().branch());
    assert_eq!(from.tag().unwrap(), "98asjd8");
    assert_eq!(m.max_forwards(), Some(68));
    assert_eq!(m.call_id().unwrap().value, "wsinv.ndaksdj@192.0.2.1");
    assert_eq!(m.content_length(), Some(150));
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method), (9, Method::Invite));
    let vias: Vec<_> = m.vias().collect();
    assert_eq!(vias.len(), 3);
    assert_eq!(vias[0].branch().unwrap(), "390skdjuw");
    assert_eq!(vias[1].host_raw, "spindle.example.com");
    assert_eq!(vias[1].transport, Transport::Tcp);
    assert_eq!(vias[2].branch().unwrap(), "z9hG4bK30239");
    assert_eq!(m.header(HeaderName::Subject).unwrap().value, b"");
    let nf = m.header(HeaderName::Other("NewFangledHeader")).unwrap();
    assert_eq!(nf.value, b"newfangled value\r\n continued newfangled value");
    assert_eq!(
        m.header(HeaderName::Other("unknownheaderwithunusualvalue"))
            .unwrap()
            .value,
        b";;,,;;,;"
    );
    let route: Vec<_> = m.routes().collect();
    assert!(route[0].uri.lr());
    assert_eq!(
        route[0].uri.params.value("unknownwith").unwrap().unwrap(),
        "value"
    );
    let contact = *m.contacts().next().unwrap().address().unwrap();
    assert_eq!(
        contact.display_name_unquoted().unwrap(),
        "Quoted string \\\"\\\""
    );
    assert_eq!(contact.q(), Some(0.33));
    assert_eq!(
        contact.params.value("newparam").unwrap().unwrap(),
        "newvalue"
    );
    assert_eq!(m.body.len(), 150);
    let sdp = m.sdp().unwrap();
    assert_eq!(sdp.media.len(), 2);
    assert_eq!(sdp.media[1].rtpmap(31).unwrap().encoding, "LPC");
}

#[test]
fn rfc4475_intmeth() {
    let m = valid(sample!("rfc4475/valid/intmeth.sip"));
    assert_eq!(
        m.method(),
        Some(Method::Other("!interesting-Method0123456789_*+`.%indeed'~"))
    );
    let uri = m.request_uri().unwrap();
    assert_eq!(
        uri.user.unwrap(),
        "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
    );
    assert_eq!(
        uri.password.unwrap(),
        "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
    );
    assert_eq!(
        m.top_via().unwrap().branch().unwrap(),
        "z9hG4bK-.!%66*_+`'~"
    );
    assert_eq!(
        m.to().unwrap().display_name_unquoted().unwrap().as_bytes(),
        b"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7F"
    );
    let from = m.from().unwrap();
    assert_eq!(from.display_name.unwrap(), "token1~` token2'+_ token3*%!.-");
    assert_eq!(m.from_tag(), from.tag());
    assert_eq!(m.branch(), m.top_via().unwrap().branch());
    assert_eq!(from.tag().unwrap(), "_token~1'+`*%!-.");
    assert_eq!(
        from.params
            .get("fromParam''~+*_!.-%")
            .unwrap()
            .unquoted()
            .unwrap(),
        "работающий"
    );
    assert_eq!(
        m.call_id().unwrap().value,
        "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"
    );
    assert_eq!(m.cseq().unwrap().seq, 139122385);
    assert_eq!(m.max_forwards(), Some(255));
    let ext = m
        .header(HeaderName::Other("extensionHeader-!.%*+_`'~"))
        .unwrap();
    assert_eq!(ext.text(), "\u{feff}大停電");
}

#[test]
fn rfc4475_escapes() {
    let m = valid(sample!("rfc4475/valid/esc01.sip"));
    assert_eq!(
        m.request_uri().unwrap().user.unwrap(),
        "sips%3Auser%40example.com"
    );
    assert_eq!(m.to().unwrap().uri.user.unwrap(), "%75se%72");
    assert_eq!(m.from().unwrap().uri.user.unwrap(), "I%20have%20spaces");
    let c = *m.contacts().next().unwrap().address().unwrap();
    assert_eq!(c.uri.params.value("%6C%72"), Some(None));
    assert_eq!(
        c.uri.params.value("n%61me").unwrap().unwrap(),
        "v%61lue%25%34%31"
    );
    assert!(m.content_type().unwrap().is_sdp());

    let m = valid(sample!("rfc4475/valid/escnull.sip"));
    let users: Vec<_> = m
        .contacts()
        .map(|c| c.address().unwrap().uri.user.unwrap())
        .collect();
    assert_eq!(users, vec![Text(b"%00"), Text(b"%00%00")]);
    assert_eq!(m.content_length(), Some(0));

    let m = valid(sample!("rfc4475/valid/esc02.sip"));
    assert_eq!(m.method(), Some(Method::Other("RE%47IST%45R")));
    assert_eq!(m.to().unwrap().display_name_unquoted().unwrap(), "%Z%45");
    assert_eq!(
        m.top_via().unwrap().branch().unwrap(),
        "z9hG4bK209%fzsnel234"
    );
    assert_eq!(m.contacts().count(), 2);
    assert_eq!(
        m.header(HeaderName::Other("C%6Fntact")).unwrap().text(),
        "<sip:alias2@host2.example.com>"
    );
}

#[test]
fn rfc4475_other_valid() {
    let m = valid(sample!("rfc4475/valid/lwsdisp.sip"));
    assert_eq!(m.from().unwrap().display_name.unwrap(), "caller");

    let m = valid(sample!("rfc4475/valid/longreq.sip"));
    let to = m.to().unwrap();
    assert_eq!(to.uri.port, Some(6000));
    assert_eq!(to.uri.params.len(), 3);
    assert_eq!(m.from().unwrap().tag().unwrap().len(), 155);
    let vias: Vec<_> = m.vias().collect();
    assert_eq!(vias.len(), 34);
    assert_eq!(vias[0].host_raw, "sip33.example.com");
    assert_eq!(vias[33].received().unwrap(), "192.0.2.5");
    assert_eq!(m.content_length(), Some(150));
    assert_eq!(m.body.len(), 150);

    let buf = sample!("rfc4475/valid/dblreq.sip");
    let m = Message::parse(buf).unwrap();
    assert_eq!(m.method(), Some(Method::Register));
    assert!(m.body.is_empty());
    assert!(
        m.diagnostics
            .iter()
            .any(|d| matches!(d.kind, DiagnosticKind::TrailingData { .. }))
    );
    assert!(errors(&m).is_empty());
    assert!(m.span.end < buf.len());

    let m = valid(sample!("rfc4475/valid/semiuri.sip"));
    let uri = m.request_uri().unwrap();
    assert_eq!(uri.user.unwrap(), "user;par=u%40example.net");
    assert_eq!(uri.host_raw.unwrap(), "example.com");
    assert!(uri.params.is_empty());
    assert_eq!(m.values(HeaderName::Accept).count(), 6);

    let m = valid(sample!("rfc4475/valid/transports.sip"));
    let t: Vec<_> = m.vias().map(|v| v.transport).collect();
    assert_eq!(
        t,
        vec![
            Transport::Udp,
            Transport::Sctp,
            Transport::Tls,
            Transport::Other("UNKNOWN"),
            Transport::Tcp
        ]
    );

    let m = valid(sample!("rfc4475/valid/unreason.sip"));
    assert!(
        matches!(m.start_line, StartLine::Response { code: 200, reason, .. }
        if reason.to_str() == Some("= 2**3 * 5**2 но сто девяносто девять - простое"))
    );
    assert_eq!(m.body.len(), 154);

    let m = valid(sample!("rfc4475/valid/noreason.sip"));
    assert!(
        matches!(m.start_line, StartLine::Response { code: 100, reason, version } if reason.is_empty() && version == Version::SIP_2_0)
    );

    let m = valid(sample!("rfc4475/semantic/badbranch.sip"));
    assert_eq!(m.top_via().unwrap().branch().unwrap(), "z9hG4bK");
}

#[test]
fn rfc4475_invalid_messages_get_diagnostics() {
    use DiagnosticKind as K;
    let syntax_in = |bytes: &[u8], header: &str| {
        let m = Message::parse(bytes).unwrap();
        let e = errors(&m);
        assert!(
            e.iter().any(|d| matches!(d.kind, K::Syntax(_))
                && d.header.is_some_and(|h| h.eq_ignore_case(header))),
            "no syntax diagnostic on {header}: {:?}",
            e.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
    };
    syntax_in(sample!("rfc4475/invalid/badinv01.sip"), "Via");
    syntax_in(sample!("rfc4475/invalid/badinv01.sip"), "Contact");
    assert!(
        kinds(sample!("rfc4475/invalid/clerr.sip"))
            .iter()
            .any(|k| matches!(k, K::ContentLengthTooLarge { declared: 9999, .. }))
    );
    syntax_in(sample!("rfc4475/invalid/ncl.sip"), "Content-Length");
    syntax_in(sample!("rfc4475/invalid/scalar02.sip"), "CSeq");
    syntax_in(sample!("rfc4475/invalid/scalar02.sip"), "Max-Forwards");
    syntax_in(sample!("rfc4475/invalid/scalar02.sip"), "Expires");
    syntax_in(sample!("rfc4475/invalid/scalarlg.sip"), "CSeq");
    syntax_in(sample!("rfc4475/invalid/scalarlg.sip"), "Retry-After");
    syntax_in(sample!("rfc4475/invalid/scalarlg.sip"), "Warning");
    syntax_in(sample!("rfc4475/invalid/quotbal.sip"), "To");
    assert!(kinds(sample!("rfc4475/invalid/ltgtruri.sip")).contains(&K::RequestUriBrackets));
    assert!(kinds(sample!("rfc4475/invalid/lwsruri.sip")).contains(&K::RequestUriWhitespace));
    assert!(kinds(sample!("rfc4475/invalid/lwsstart.sip")).contains(&K::StartLineWhitespace));
    assert!(kinds(sample!("rfc4475/invalid/trws.sip")).contains(&K::StartLineWhitespace));
    assert!(kinds(sample!("rfc4475/invalid/escruri.sip")).contains(&K::RequestUriHeaders));
    syntax_in(sample!("rfc4475/invalid/baddate.sip"), "Date");
    syntax_in(sample!("rfc4475/invalid/regbadct.sip"), "Contact");
    syntax_in(sample!("rfc4475/invalid/badaspec.sip"), "To");
    syntax_in(sample!("rfc4475/invalid/baddn.sip"), "From");
    syntax_in(sample!("rfc4475/invalid/baddn.sip"), "To");
    assert!(kinds(sample!("rfc4475/invalid/badvers.sip")).contains(&K::UnsupportedVersion));
    assert!(kinds(sample!("rfc4475/invalid/mismatch01.sip")).contains(&K::CSeqMethodMismatch));
    assert!(kinds(sample!("rfc4475/invalid/mismatch02.sip")).contains(&K::CSeqMethodMismatch));
    let m = Message::parse(sample!("rfc4475/invalid/bigcode.sip")).unwrap();
    assert!(matches!(m.start_line, StartLine::Malformed { .. }));
    assert!(m.diagnostics.iter().any(|d| d.kind == K::BadStatusCode));
    // The rest of a broken message is still there.
    assert_eq!(
        m.call_id().unwrap().value,
        "bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i"
    );
}

#[test]
fn structural_problems() {
    assert!(Message::parse(b"").is_err());
    assert!(Message::parse(b"GET / HTTP/1.1\r\n\r\n").is_err());
    assert!(Message::parse(b"\x00\x01\x02").is_err());
    // Leading keep-alive CRLFs are skipped.
    let m = Message::parse(b"\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n").unwrap();
    assert_eq!(m.start_line_span.start, 4);
    // Bare LF everywhere.
    let m =
        Message::parse(b"SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nl: 2\n\nab").unwrap();
    assert_eq!(m.body, b"ab");
    assert_eq!(m.top_via().unwrap().branch().unwrap(), "z9hG4bK1");
    assert!(
        m.diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::BareLf)
    );
    // No empty line.
    let m = Message::parse(b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x").unwrap();
    assert!(
        m.diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::HeadersNotTerminated)
    );
    assert_eq!(m.call_id().unwrap().value, "x");
    let m = Message::parse(b"OPTIONS sip:a@b SIP/2.0").unwrap();
    assert!(m.headers.is_empty());
    // Missing headers and duplicates.
    let m = Message::parse(b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\ni: y\r\n\r\n").unwrap();
    let k: Vec<_> = m.diagnose().into_iter().map(|d| d.kind).collect();
    assert!(k.contains(&DiagnosticKind::DuplicateHeader("Call-ID")));
    assert!(k.contains(&DiagnosticKind::MissingHeader("Via")));
    assert!(k.contains(&DiagnosticKind::MissingHeader("Max-Forwards")));
}

#[test]
fn caps() {
    let mut msg = b"OPTIONS sip:a@b SIP/2.0\r\n".to_vec();
    for i in 0..(crate::sip::MAX_HEADERS + 10) {
        msg.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    msg.extend_from_slice(b"X-Long: ");
    msg.extend(std::iter::repeat_n(b'a', crate::sip::MAX_LINE + 1));
    msg.extend_from_slice(b"\r\n\r\n");
    let m = Message::parse(&msg).unwrap();
    assert_eq!(m.headers.len(), crate::sip::MAX_HEADERS);
    assert!(
        m.diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::TooManyHeaders)
    );
    let mut big = b"OPTIONS sip:a@b SIP/2.0\r\n\r\n".to_vec();
    big.extend(std::iter::repeat_n(b'x', crate::sip::MAX_BODY + 5));
    let m = Message::parse(&big).unwrap();
    assert_eq!(m.body.len(), crate::sip::MAX_BODY);
    assert!(
        m.diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::BodyTooLarge)
    );
    let line = [b'a'; 100];
    let mut l = b"OPTIONS sip:".to_vec();
    l.extend(std::iter::repeat_n(b'a', crate::sip::MAX_LINE));
    l.extend_from_slice(b" SIP/2.0\r\n\r\n");
    assert!(Message::parse(&l).is_err());
    let _ = line;
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const SEEDS: [&[u8]; 4] = [
        sample!("seed_f1_register.sip"),
        sample!("invite_sdp_1k.sip"),
        sample!("multipart_sdp_isup.sip"),
        sample!("rfc4475/valid/wsinv.sip"),
    ];

    fn exercise(b: &[u8]) {
        let Ok(m) = Message::parse(b) else { return };
        let _ = (
            m.call_id(),
            m.cseq(),
            m.top_via(),
            m.from(),
            m.to(),
            m.request_uri(),
        );
        let _ = (
            m.branch(),
            m.from_tag(),
            m.to_tag(),
            m.content_type(),
            m.max_forwards(),
        );
        let _ = (m.vias().count(), m.contacts().count(), m.routes().count());
        let _ = (m.sdp(), m.multipart(), m.auth(HeaderName::WwwAuthenticate));
        for d in m.diagnose() {
            assert!(d.offset <= b.len());
            let _ = d.to_string();
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..512)) {
            exercise(&b);
        }

        #[test]
        fn mutated_samples(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
        ) {
            let mut b = SEEDS[which].to_vec();
            for (at, byte, op) in edits {
                if b.is_empty() {
                    break;
                }
                let i = at.index(b.len());
                match op {
                    0 => b[i] = byte,
                    1 => b.insert(i, byte),
                    _ => {
                        b.remove(i);
                    }
                }
            }
            exercise(&b);
        }
    }
}

#[test]
fn rfc4475_mpart01() {
    let buf = sample!("rfc4475/valid/mpart01.sip");
    let m = valid(buf);
    assert_eq!(m.method(), Some(Method::Message));
    assert_eq!(m.body.len(), 553);
    let via = m.top_via().unwrap();
    assert_eq!(via.rport(), Some(Rport::Requested));
    assert_eq!(via.port, Some(5070));
    assert_eq!(
        via.branch().unwrap(),
        "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-"
    );
    let mp = m.multipart().unwrap();
    assert_eq!(mp.boundary, "7a9cbec02ceef655");
    assert_eq!(mp.parts.len(), 2);
    assert_eq!(mp.parts[0].body, b"Hello");
    assert!(
        mp.parts[1]
            .content_type()
            .unwrap()
            .is("application/octet-stream")
    );
    assert_eq!(mp.parts[1].body.len(), 342);
    assert_eq!(mp.parts[1].body.first(), Some(&0x30));
    assert!(m.sdp().is_none());
    assert_eq!(m.header(HeaderName::Identity).unwrap().value.len(), 172);
}

#[test]
fn rfc4475_application_layer_messages() {
    use DiagnosticKind as K;
    let k = |b: &[u8]| -> Vec<DiagnosticKind> {
        Message::parse(b)
            .unwrap()
            .diagnose()
            .into_iter()
            .map(|d| d.kind)
            .collect()
    };

    let m = valid(sample!("rfc4475/semantic/bcast.sip"));
    assert_eq!(m.vias().nth(1).unwrap().host_raw, "255.255.255.255");
    let m = valid(sample!("rfc4475/semantic/bext01.sip"));
    assert_eq!(m.values(HeaderName::Require).count(), 2);
    assert_eq!(
        m.values(HeaderName::ProxyRequire).nth(1).unwrap(),
        "norDoAnyProxiesSupportThis"
    );
    let m = valid(sample!("rfc4475/semantic/cparam01.sip"));
    let c = *m.contacts().next().unwrap().address().unwrap();
    assert!(c.params.contains("unknownparam") && c.uri.params.is_empty());
    let m = valid(sample!("rfc4475/semantic/cparam02.sip"));
    let c = *m.contacts().next().unwrap().address().unwrap();
    assert!(c.uri.params.contains("unknownparam") && c.params.is_empty());
    let insuf = k(sample!("rfc4475/semantic/insuf.sip"));
    for h in ["From", "To", "Call-ID", "Max-Forwards"] {
        assert!(insuf.contains(&K::MissingHeader(h)), "{h}");
    }
    let m = Message::parse(sample!("rfc4475/semantic/inv2543.sip")).unwrap();
    assert_eq!(m.top_via().unwrap().branch(), None);
    assert_eq!(m.body.len(), 105);
    assert_eq!(
        m.to().unwrap().params.value("user").unwrap().unwrap(),
        "phone"
    );
    assert_eq!(m.from().unwrap().uri.user_param().unwrap(), "phone");
    assert_eq!(
        m.record_routes().next().unwrap().uri.maddr().unwrap(),
        "ss1.example.com"
    );
    let m = valid(sample!("rfc4475/semantic/invut.sip"));
    assert!(m.content_type().unwrap().is("application/unknownformat"));
    assert_eq!(m.body.len(), 40);
    assert!(
        k(sample!("rfc4475/semantic/mcl01.sip")).contains(&K::DuplicateHeader("Content-Length"))
    );
    let multi = k(sample!("rfc4475/semantic/multi01.sip"));
    for h in ["CSeq", "Call-ID", "To", "From", "Max-Forwards"] {
        assert!(multi.contains(&K::DuplicateHeader(h)), "{h}");
    }
    let m = valid(sample!("rfc4475/semantic/novelsc.sip"));
    assert_eq!(m.request_uri().unwrap().scheme, Scheme::Other("soap.beep"));
    let m = valid(sample!("rfc4475/semantic/regaut01.sip"));
    let a = m.auth(HeaderName::Authorization).unwrap();
    assert_eq!(a.scheme, "NoOneKnowsThisScheme");
    assert_eq!(a.param("opaque-data").unwrap(), "here");
    let m = valid(sample!("rfc4475/semantic/regescrt.sip"));
    let c = *m.contacts().next().unwrap().address().unwrap();
    assert_eq!(c.uri.headers.unwrap(), "Route=%3Csip:sip.example.com%3E");
    let m = valid(sample!("rfc4475/semantic/sdp01.sip"));
    assert_eq!(
        m.values(HeaderName::Accept).next().unwrap(),
        "text/nobodyKnowsThis"
    );
    let m = valid(sample!("rfc4475/semantic/unkscm.sip"));
    assert_eq!(
        m.request_uri().unwrap().scheme,
        Scheme::Other("nobodyKnowsThisScheme")
    );
    let m = valid(sample!("rfc4475/semantic/unksm2.sip"));
    assert_eq!(m.to().unwrap().uri.scheme, Scheme::Other("isbn"));
    assert_eq!(m.from().unwrap().uri.scheme, Scheme::Other("http"));
    assert_eq!(
        m.contacts().next().unwrap().address().unwrap().uri.raw,
        "name:John_Smith"
    );
    let m = valid(sample!("rfc4475/semantic/zeromf.sip"));
    assert_eq!(m.max_forwards(), Some(0));
}

#[test]
fn counting_values_agrees_with_listing_them() {
    let m = valid(
        b"INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP p1;branch=z9hG4bK1, SIP/2.0/UDP p2;branch=z9hG4bK2\r\n\
          v: SIP/2.0/TCP p3;branch=z9hG4bK3\r\nFrom: <sip:a@x>;tag=1\r\nTo: \"B, the one\" <sip:b@x>\r\n\
          Call-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    );
    for name in [HeaderName::Via, HeaderName::To, HeaderName::Contact] {
        assert_eq!(m.count_values(name), m.values(name).count(), "{name:?}");
    }
    assert_eq!(m.count_values(HeaderName::Via), 3);
}
