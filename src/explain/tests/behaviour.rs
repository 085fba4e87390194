//! Context notes and edge cases: what the issue asks the explanations to say beyond single
//! headers, unknown and malformed headers, compact forms, JSON shape, hostile bytes.

use crate::explain::{Context, Explanation, Lang, explain, render_text};
use crate::sip::Message;

const F1: &[u8] = include_bytes!("../../../samples/messages/seed_f1_register.sip");
const F4: &[u8] = include_bytes!("../../../samples/messages/seed_f4_register_proxy.sip");

fn run(raw: &str, ctx: &Context<'_>, lang: Lang) -> Explanation {
    let raw = raw.replace('\n', "\r\n");
    let msg = Message::parse(raw.as_bytes()).unwrap();
    explain(&msg, ctx, lang)
}

fn all_text(e: &Explanation) -> String {
    let mut s = format!("{}\n{}\n", e.summary, e.first_line_explanation.join("\n"));
    for h in &e.headers {
        s.push_str(&format!("{}: {}\n", h.name, h.lines.join("\n")));
        for p in &h.params {
            s.push_str(&format!("  {} {}\n", p.name, p.explanation));
        }
    }
    s.push_str(&e.notes.join("\n"));
    s
}

const F3: &str = "REGISTER sip:192.0.2.10 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.101:5060;rport;branch=z9hG4bKPj0f1
Max-Forwards: 70
From: sip:202@192.0.2.10;tag=a1
To: sip:202@192.0.2.10
Call-ID: c3
CSeq: 21003 REGISTER
Contact: sip:202@192.0.2.101:5060
Expires: 60
Authorization: Digest username=\"202\", realm=\"192.0.2.10\", nonce=\"U9PVz1PT1KMLCPDjscFFepG0TUAF67/E\", uri=\"sip:192.0.2.10\", response=\"b9e2f4c7d1a0\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001
Content-Length: 0

";

#[test]
fn second_register_adds_authorization_after_401() {
    let ctx = Context {
        previous_challenge: Some(401),
        ..Context::default()
    };
    let e = run(F3, &ctx, Lang::Fr);
    let notes = e.notes.join("\n");
    assert!(notes.contains("Authorization"), "{notes}");
    assert!(notes.contains("défi 401"), "{notes}");
    assert!(
        e.summary.contains("preuve d'authentification"),
        "{}",
        e.summary
    );
    let auth = e
        .headers
        .iter()
        .find(|h| h.name == "Authorization")
        .unwrap();
    let names: Vec<&str> = auth.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "username",
            "realm",
            "nonce",
            "uri",
            "response",
            "algorithm",
            "cnonce",
            "qop",
            "nc"
        ]
    );
    assert!(
        auth.params
            .iter()
            .all(|p| !p.explanation.contains("non décrit"))
    );
    let nc = auth.params.iter().find(|p| p.name == "nc").unwrap();
    assert!(nc.explanation.contains("00000001"));
    // Without context, the header alone still tells the story.
    let e = run(F3, &Context::default(), Lang::En);
    assert!(e.notes.join(" ").contains("401 or 407"), "{:?}", e.notes);
}

#[test]
fn proxy_reissuing_register_acts_as_uac() {
    let msg = Message::parse(F4).unwrap();
    let ctx = Context {
        sender_label: Some("proxy"),
        proxy_reissue: true,
        ..Context::default()
    };
    let e = explain(&msg, &ctx, Lang::Fr);
    let notes = e.notes.join("\n");
    assert!(
        notes.contains("le proxy doit être considéré comme un UAC"),
        "{notes}"
    );
    assert!(e.summary.contains("comme UAC"), "{}", e.summary);
    let text = all_text(&e);
    assert!(text.contains("IP du proxy : 192.0.2.10"), "{text}");
}

#[test]
fn trying_is_hop_by_hop() {
    let raw = "SIP/2.0 100 Trying
Via: SIP/2.0/UDP 192.0.2.101:5060;rport=5062;received=203.0.113.7;branch=z9hG4bK74bf9
From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl
To: Bob <sip:bob@biloxi.example.com>
Call-ID: 3848276298220188511@atlanta.example.com
CSeq: 1 INVITE
Content-Length: 0

";
    let e = run(raw, &Context::default(), Lang::Fr);
    let text = all_text(&e);
    assert!(text.contains("hop-by-hop"), "{text}");
    assert!(text.contains("normal pour 100 Trying"), "{text}");
    assert!(text.contains("émise du port 5062"), "{text}");
    assert!(text.contains("203.0.113.7"), "{text}");
    assert!(e.summary.contains("INVITE"), "{}", e.summary);
}

#[test]
fn ack_of_a_2xx_is_its_own_transaction() {
    let raw = "ACK sip:bob@192.0.2.4 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bKnew
Max-Forwards: 70
From: <sip:alice@atlanta.example.com>;tag=9fxced76sl
To: <sip:bob@biloxi.example.com>;tag=8321234356
Call-ID: 3848276298220188511@atlanta.example.com
CSeq: 1 ACK
Content-Length: 0

";
    let ctx = Context {
        is_2xx_ack: true,
        ..Context::default()
    };
    let e = run(raw, &ctx, Lang::Fr);
    let notes = e.notes.join("\n");
    assert!(notes.contains("transaction à part entière"), "{notes}");
    let text = all_text(&e);
    assert!(text.contains("dialogue déjà établi"), "{text}");
    assert!(text.contains("le même que celui de l'INVITE"), "{text}");
    let e = run(
        raw,
        &Context {
            acked_status: Some(486),
            ..Context::default()
        },
        Lang::En,
    );
    assert!(e.notes.join(" ").contains("same branch"), "{:?}", e.notes);
}

#[test]
fn response_via_echoes_the_request_branch() {
    let f1 = Message::parse(F1).unwrap();
    let raw = "SIP/2.0 200 OK
Via: SIP/2.0/UDP 192.0.2.101:5060;rport=5060;branch=z9hG4bKPj3709e229-981d-411c-9865-489b06db5c51
From: sip:202@192.0.2.10;tag=41bcaa31-a495-40e3-93cd-5c8a02e095a2
To: sip:202@192.0.2.10;tag=x
Call-ID: 89ec7e03-7777-428b-9c99-71f32d6cdd45
CSeq: 21002 REGISTER
Contact: <sip:202@192.0.2.101:5060>;expires=60, <sip:202@198.51.100.9>;expires=12
Content-Length: 0

";
    let ctx = Context {
        request: Some(&f1),
        ..Context::default()
    };
    let e = run(raw, &ctx, Lang::En);
    let via = e.headers.iter().find(|h| h.name == "Via").unwrap();
    let branch = via.params.iter().find(|p| p.name == "branch").unwrap();
    assert!(
        branch
            .explanation
            .contains("the same as in the REGISTER request")
    );
    let contacts: Vec<_> = e.headers.iter().filter(|h| h.name == "Contact").collect();
    assert_eq!(contacts.len(), 2, "one entry per Contact value");
    assert!(
        e.notes.iter().any(|n| n.contains("2 Contact addresses")),
        "{:?}",
        e.notes
    );
}

#[test]
fn unknown_and_vendor_headers_are_not_guessed() {
    let raw = "OPTIONS sip:192.0.2.10 SIP/2.0
v: SIP/2.0/TCP 192.0.2.101:5060;branch=z9hG4bKo1
Max-Forwards: 3
f: <sip:probe@192.0.2.101>;tag=p
t: <sip:192.0.2.10>
i: o1
CSeq: 1 OPTIONS
X-Asterisk-HangupCause: Normal
Frobnicate: yes
P-Media-Authorization: 0020000100100101706466312e6578616d706c652e636f6d
Max-Forwards: many
l: 0

";
    for lang in [Lang::Fr, Lang::En] {
        let e = run(raw, &Context::default(), lang);
        let find = |n: &str| {
            e.headers
                .iter()
                .find(|h| h.name == n)
                .unwrap()
                .lines
                .join(" ")
        };
        let vendor = find("X-Asterisk-HangupCause");
        let unknown = find("Frobnicate");
        let extra = find("P-Media-Authorization");
        if lang == Lang::Fr {
            assert!(vendor.contains("propre à un fabricant"), "{vendor}");
            assert!(unknown.contains("inconnu du catalogue"), "{unknown}");
            assert!(extra.contains("RFC 3313"), "{extra}");
            assert!(find("Via").contains("Forme compacte « v »"));
            assert!(find("Max-Forwards").contains("67 relais"));
        } else {
            assert!(vendor.contains("specific to a vendor"), "{vendor}");
            assert!(unknown.contains("unknown to the catalog"), "{unknown}");
        }
        let bad = e
            .headers
            .iter()
            .filter(|h| h.name == "Max-Forwards")
            .nth(1)
            .unwrap();
        assert!(bad.lines.len() == 2, "{:?}", bad.lines);
        assert!(
            !e.notes.is_empty(),
            "the duplicate Max-Forwards is reported"
        );
    }
}

#[test]
fn json_has_the_contract_fields() {
    let msg = Message::parse(F1).unwrap();
    let e = explain(&msg, &Context::default(), Lang::En);
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["first_line"], "REGISTER sip:192.0.2.10 SIP/2.0");
    assert!(v["explanation"].as_str().unwrap().contains("registrar"));
    let via = &v["headers"][0];
    assert_eq!(via["name"], "Via");
    assert!(via["explanation"].as_str().unwrap().contains("UDP"));
    assert_eq!(via["params"][0]["name"], "rport");
    assert!(via["params"][0]["value"].is_null());
    assert!(via["params"][1]["explanation"].is_string());
    assert!(v["notes"].is_array());
    assert_eq!(v["lang"], "en");
}

#[test]
fn hostile_bytes_cannot_reach_the_terminal() {
    let raw = b"MESSAGE sip:bob@192.0.2.4 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: \"\x1b[2J\x1b]0;pwned\x07\" <sip:a@192.0.2.1>;tag=1\r\nTo: <sip:bob@192.0.2.4>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nSubject: \x9b31m\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n\x1b[31m";
    let msg = Message::parse(raw).unwrap();
    for lang in [Lang::Fr, Lang::En] {
        let text = render_text(&explain(&msg, &Context::default(), lang), raw);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
        assert!(!text.contains('\u{9b}'), "{text}");
        assert!(text.contains("\\x1b[2J"), "{text}");
    }
}

#[test]
fn every_torture_message_explains_without_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/messages/rfc4475");
    for sub in ["valid", "invalid", "semantic"] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let raw = std::fs::read(entry.unwrap().path()).unwrap();
            if let Ok(msg) = Message::parse(&raw) {
                for lang in [Lang::Fr, Lang::En] {
                    let e = explain(&msg, &Context::default(), lang);
                    assert!(!e.summary.is_empty());
                    let _ = render_text(&e, &raw);
                }
            }
        }
    }
}

#[test]
fn sdp_attributes_of_the_issue() {
    let raw = "INVITE sip:bob@192.0.2.4 SIP/2.0
Via: SIP/2.0/TLS 192.0.2.101:5061;branch=z9hG4bKs1
Max-Forwards: 70
From: <sip:alice@192.0.2.101>;tag=s
To: <sip:bob@192.0.2.4>
Call-ID: s1
CSeq: 1 INVITE
Content-Type: application/sdp
Content-Length: LEN

v=0
o=- 1 2 IN IP4 192.0.2.101
s=-
t=0 0
m=audio 49170 UDP/TLS/RTP/SAVPF 111 0
c=IN IP4 192.0.2.101
a=rtpmap:111 opus/48000/2
a=fmtp:111 minptime=10;useinbandfec=1
a=rtcp:49171
a=candidate:1 1 udp 2130706431 192.0.2.101 49170 typ host
a=candidate:2 1 udp 1694498815 203.0.113.7 61000 typ srflx raddr 192.0.2.101 rport 49170
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR
a=setup:actpass
a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB
a=sendonly
m=video 0 RTP/AVP 96
";
    let raw = raw.replace('\n', "\r\n");
    let body_len = raw.len() - raw.find("\r\n\r\n").unwrap() - 4;
    let raw = raw.replace("LEN", &body_len.to_string());
    let msg = Message::parse(raw.as_bytes()).unwrap();
    assert_eq!(msg.body.len(), body_len);
    let e = explain(&msg, &Context::default(), Lang::Fr);
    let body = e.body.unwrap();
    let said: String = body
        .lines
        .iter()
        .map(|l| format!("{} => {}\n", l.line, l.explanation.join(" | ")))
        .collect();
    for expected in [
        "Opus",
        "DTLS",
        "RTCP de ce flux utilise le port 49171",
        "Candidat ICE : 192.0.2.101, port 49170",
        "serveur STUN",
        "suite AES_CM_128_HMAC_SHA1_80",
        "l'autre choisira",
        "Empreinte sha-256",
        "ne fera qu'envoyer",
        "Flux vidéo refusé ou désactivé (port 0)",
        "0 (PCMU)",
    ] {
        assert!(said.contains(expected), "{expected} missing in\n{said}");
    }
    assert!(!said.contains("non décrit"), "{said}");
}

#[test]
fn a_forwarded_request_speaks_for_its_uac() {
    let raw = "INVITE sip:bob@192.0.2.4 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK2d4790.1
Via: SIP/2.0/UDP 10.0.0.5:5060;received=198.51.100.7;rport=40123;branch=z9hG4bK74bf9
Max-Forwards: 69
Record-Route: <sip:192.0.2.10;lr>
From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl
To: Bob <sip:bob@biloxi.example.com>
Call-ID: 3848276298220188511@atlanta.example.com
CSeq: 1 INVITE
Contact: <sip:alice@198.51.100.7:40123>
Content-Length: 0

";
    let e = run(raw, &Context::default(), Lang::Fr);
    assert!(e.summary.starts_with("Le proxy relaie"), "{}", e.summary);
    let text = all_text(&e);
    for expected in [
        "L'UAC invite sip:bob@192.0.2.4",
        "IP du proxy : 192.0.2.10",
        "Via le plus ancien : l'UAC",
        "choisie par l'UAC",
        "joindre directement l'UAC",
        "un relais a déjà transmis",
        "Le relais 192.0.2.10 demande à rester sur le chemin",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }
    assert!(
        e.notes.iter().any(|n| n.contains("un relais")),
        "{:?}",
        e.notes
    );
}

#[test]
fn nat_and_transport_seen_in_the_capture() {
    let msg = Message::parse(F1).unwrap();
    let ctx = Context {
        source: Some("203.0.113.7:40123".parse().unwrap()),
        transport: Some("TCP"),
        ..Context::default()
    };
    let e = explain(&msg, &ctx, Lang::Fr);
    let via = e.headers.iter().find(|h| h.name == "Via").unwrap();
    let text = via.lines.join("\n");
    assert!(
        text.contains("203.0.113.7:40123") && text.contains("NAT"),
        "{text}"
    );
    assert!(text.contains("arrivé en TCP et non en UDP"), "{text}");
}

#[test]
fn retransmission_and_icmp_are_said() {
    let ctx = Context {
        retransmission: true,
        icmp_error: Some("port unreachable"),
        ..Context::default()
    };
    let msg = Message::parse(F1).unwrap();
    let e = explain(&msg, &ctx, Lang::En);
    assert!(e.summary.starts_with("Retransmission: "), "{}", e.summary);
    assert!(e.notes.iter().any(|n| n.contains("port unreachable")));
}

const NAMES: [&str; 24] = [
    "Via",
    "v",
    "From",
    "To",
    "t",
    "Contact",
    "m",
    "Route",
    "Record-Route",
    "CSeq",
    "Call-ID",
    "Max-Forwards",
    "Expires",
    "WWW-Authenticate",
    "Authorization",
    "Proxy-Authenticate",
    "Supported",
    "Event",
    "Subscription-State",
    "Session-Expires",
    "RAck",
    "Reason",
    "Warning",
    "X-Anything",
];

proptest::prop_compose! {
    fn header_line()(
        name in proptest::sample::select(NAMES.to_vec()),
        value in proptest::collection::vec(
            proptest::sample::select(b"abz09 ;,=<>:@.\"/\\*-\x1b\xff".to_vec()), 0..60),
    ) -> Vec<u8> {
        let mut line = format!("{name}: ").into_bytes();
        line.extend(value);
        line.extend_from_slice(b"\r\n");
        line
    }
}

proptest::proptest! {
    /// Whatever a capture holds, explaining and laying out never panics and never lets an
    /// escape character through.
    #[test]
    fn any_message_explains_without_panic(
        lines in proptest::collection::vec(header_line(), 0..12),
        code in 0u16..1000,
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        for start in [format!("SIP/2.0 {code} X\r\n"), "INVITE sip:a@b SIP/2.0\r\n".to_owned()] {
            let mut raw = start.into_bytes();
            for l in &lines {
                raw.extend_from_slice(l);
            }
            raw.extend_from_slice(b"Content-Type: application/sdp\r\n\r\n");
            raw.extend_from_slice(&body);
            if let Ok(msg) = Message::parse(&raw) {
                for lang in [Lang::Fr, Lang::En] {
                    let text = render_text(&explain(&msg, &Context::default(), lang), &raw);
                    proptest::prop_assert!(!text.contains('\x1b'));
                    proptest::prop_assert!(!text.contains("[missing text"));
                }
            }
        }
    }
}
