//! The thresholds on hand-written traffic: what a working network does stays unnamed, what an
//! attacker does is named, and the tables stay bounded under a flood.

use std::net::SocketAddr;

use crate::correlate::Options;
use crate::correlate::test_feed::{Feed, addr};

fn register(user: &str, call_id: &str, cseq: u32, credentials: bool, src: SocketAddr) -> Vec<u8> {
    let auth = if credentials {
        format!(
            "Authorization: Digest username=\"{user}\",realm=\"r\",nonce=\"n{cseq}\",uri=\"sip:192.0.2.1\",response=\"00\"\r\n"
        )
    } else {
        String::new()
    };
    format!(
        "REGISTER sip:192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bK{call_id}{cseq}\r\n\
         From: <sip:{user}@192.0.2.1>;tag=t{call_id}\r\nTo: <sip:{user}@192.0.2.1>\r\n\
         Call-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\nMax-Forwards: 70\r\n{auth}Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

fn answer(request: &[u8], code: u16, reason: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    let mut out = format!("SIP/2.0 {code} {reason}\r\n");
    for line in text.lines().skip(1) {
        if ["Via:", "From:", "To:", "Call-ID:", "CSeq:"]
            .iter()
            .any(|h| line.starts_with(h))
        {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Content-Length: 0\r\n\r\n");
    out.into_bytes()
}

/// `rounds` rounds of REGISTER, 401, REGISTER with credentials, `last` answer, one every
/// `every_ms`, from `src` for user 1001.
fn rounds(feed: &mut Feed, rounds: u32, every_ms: i64, src: SocketAddr, last: u16) {
    let server = addr(1);
    for i in 0..rounds {
        let at = i64::from(i) * every_ms;
        let call_id = format!("c{i}");
        let first = register("1001", &call_id, 1, false, src);
        feed.send(&first, src, server, at);
        feed.send(&answer(&first, 401, "Unauthorized"), server, src, at + 1);
        let second = register("1001", &call_id, 2, true, src);
        feed.send(&second, src, server, at + 2);
        let reason = if last == 200 { "OK" } else { "Forbidden" };
        feed.send(&answer(&second, last, reason), server, src, at + 3);
    }
}

#[test]
fn a_phone_with_a_wrong_password_is_no_attack() {
    let mut feed = Feed::new();
    rounds(&mut feed, 3, 1000, addr(10), 403);
    assert!(feed.finish().attacks.is_empty());
}

#[test]
fn a_phone_refreshing_its_registration_is_no_attack() {
    let mut feed = Feed::new();
    rounds(&mut feed, 60, 1000, addr(10), 200);
    assert!(feed.finish().attacks.is_empty());
}

#[test]
fn a_wrong_password_retried_a_minute_apart_is_no_attack() {
    let mut feed = Feed::new();
    rounds(&mut feed, 30, 60_000, addr(10), 403);
    assert!(feed.finish().attacks.is_empty());
}

#[test]
fn fast_refused_rounds_are_password_guessing_and_marked() {
    let mut feed = Feed::new();
    rounds(&mut feed, 25, 100, addr(66), 403);
    let found = feed.finish();
    assert_eq!(found.attacks.len(), 1, "{:#?}", found.attacks);
    let a = &found.attacks[0];
    assert_eq!((a.code, a.shape), ("brute-force", "guessing"));
    assert_eq!(a.aor.as_deref(), Some("sip:1001@192.0.2.1"));
    assert_eq!(a.credentials, 25);
    assert!(found.calls.iter().all(|c| c.attack == Some(1)));
    assert!(
        found
            .calls
            .iter()
            .all(|c| c.findings.iter().any(|f| f.code == "brute-force"))
    );
}

#[test]
fn many_phones_registering_with_one_registrar_are_no_attack() {
    let mut feed = Feed::new();
    let server = addr(1);
    for i in 0..200u8 {
        let src: SocketAddr = ([198, 51, 100, i], 5060).into();
        let request = register(
            &format!("{}", 100 + u32::from(i)),
            &format!("p{i}"),
            1,
            true,
            src,
        );
        feed.send(&request, src, server, i64::from(i) * 10);
        feed.send(
            &answer(&request, 200, "OK"),
            server,
            src,
            i64::from(i) * 10 + 1,
        );
    }
    assert!(feed.finish().attacks.is_empty());
}

#[test]
fn unanswered_probes_from_many_sources_are_a_scan_also_when_only_counting() {
    let mut feed = Feed::with(Options {
        count_only: true,
        skip_media: true,
        ..Options::default()
    });
    let server = addr(1);
    for i in 0..40u8 {
        let src: SocketAddr = ([45, 0, 0, i], 5060).into();
        let request = register("100", &format!("s{i}"), 1, false, src);
        feed.send(&request, src, server, i64::from(i) * 500);
    }
    let found = feed.finish();
    assert_eq!(found.attacks.len(), 1, "{:#?}", found.attacks);
    assert_eq!(found.attacks[0].shape, "distributed");
    assert_eq!(found.attacks[0].sources, 40);
}

#[test]
fn the_tables_stay_bounded_under_a_flood_of_sources() {
    let mut detector = super::Detector::default();
    let server = addr(1);
    for i in 0..(super::MAX_SOURCES as u32 * 3) {
        let [_, a, b, c] = i.to_be_bytes();
        let src: SocketAddr = ([46, a, b, c], 5060).into();
        let request = register("100", &format!("f{i}"), 1, false, src);
        let framed = crate::sip::framing::frame_datagram(&request).unwrap();
        let payload = crate::capture::SipPayload {
            frame: u64::from(i),
            first_frame: u64::from(i),
            ts: crate::capture::Timestamp(i64::from(i) * 1_000_000),
            src,
            dst: server,
            transport: crate::capture::Transport::Udp,
            bytes: &request,
            framed,
            outer: &[],
        };
        detector.observe(&payload, None);
    }
    assert!(detector.sources.iter().count() <= super::MAX_SOURCES);
    assert!(detector.sources.evicted > 0);
    let verdict = detector.verdict();
    assert_eq!(verdict.findings.len(), 1);
    let sources = verdict.findings[0].sources as f64;
    let sent = (super::MAX_SOURCES * 3) as f64;
    assert!((sources - sent).abs() < sent * 0.05, "{sources}");
}

#[test]
fn rounds_challenged_again_and_again_are_password_guessing_too() {
    // The shape: each round's credentials answered by another 401, never a 403.
    let mut feed = Feed::new();
    rounds(&mut feed, 30, 50, addr(66), 401);
    let found = feed.finish();
    assert_eq!(found.attacks.len(), 1, "{:#?}", found.attacks);
    assert_eq!(found.attacks[0].code, "brute-force");
    assert_eq!(found.attacks[0].answers.get("401"), Some(&60));
}

#[test]
fn a_wrong_password_among_scanners_is_not_marked_as_the_scan() {
    let mut feed = Feed::new();
    let server = addr(1);
    for i in 0..40u8 {
        let src: SocketAddr = ([45, 0, 0, i], 5060).into();
        let request = register("100", &format!("s{i}"), 1, false, src);
        feed.send(&request, src, server, i64::from(i) * 500);
    }
    // A phone of the site, with a wrong password, during the scan.
    rounds(&mut feed, 2, 1000, addr(10), 403);
    let found = feed.finish();
    assert_eq!(found.attacks.len(), 1, "{:#?}", found.attacks);
    let marked = found.calls.iter().filter(|c| c.attack.is_some()).count();
    assert_eq!(marked, 40);
    assert!(
        found
            .calls
            .iter()
            .filter(|c| c.from == "sip:1001@192.0.2.1")
            .all(|c| c.attack.is_none())
    );
}
