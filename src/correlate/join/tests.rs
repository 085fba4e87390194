//! The B2BUA rule when users cannot tell the candidates apart: two callers dial the same queue
//! in the same instant and the B2BUA rewrites the caller to its own trunk number, so only what
//! it relays from one leg to the other decides.

use std::net::SocketAddr;

use crate::correlate::Correlation;
use crate::correlate::test_feed::{Feed, addr};

const B2BUA: ([u8; 4], u16) = ([192, 0, 2, 5], 5060);

/// A message of Call-ID `call` between `src` and `dst`.
struct Msg<'a> {
    first: &'a str,
    call: &'a str,
    from: &'a str,
    to: &'a str,
    cseq: &'a str,
}

fn bytes(m: &Msg<'_>, branch: &str) -> Vec<u8> {
    format!(
        "{}\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK{branch}\r\nFrom: {}\r\nTo: {}\r\n\
         Call-ID: {}\r\nCSeq: {}\r\nContent-Length: 0\r\n\r\n",
        m.first, m.from, m.to, m.call, m.cseq
    )
    .into_bytes()
}

/// Two A-legs to `sip:queue`, two B-legs from the B2BUA as `sip:trunk`; the agents answer:
/// agent 41 rings then answers (relayed to `answered`'s A-leg), agent 42 is busy (relayed
/// to the other). Returns the correlation.
fn run(answered: &str, busy: &str, relay_gap_ms: i64) -> Correlation {
    let mut f = Feed::new();
    let b2bua: SocketAddr = B2BUA.into();
    for (n, caller) in [(31u8, "a1"), (32, "a2")] {
        let m = Msg {
            first: "INVITE sip:queue@192.0.2.5 SIP/2.0",
            call: caller,
            from: &format!("<sip:user{n}@x>;tag={caller}"),
            to: "<sip:queue@192.0.2.5>",
            cseq: "1 INVITE",
        };
        f.send(&bytes(&m, caller), addr(n), b2bua, 0);
    }
    for (agent, leg) in [(41u8, "b1"), (42, "b2")] {
        let m = Msg {
            first: "INVITE sip:queue@192.0.2.41 SIP/2.0",
            call: leg,
            from: &format!("<sip:trunk@192.0.2.5>;tag={leg}"),
            to: "<sip:queue@x>",
            cseq: "1 INVITE",
        };
        f.send(&bytes(&m, leg), b2bua, addr(agent), 2);
    }
    // Agent 41 rings, relayed; agent 42 refuses 100 ms later, relayed; agent 41 answers.
    let steps: [(&str, &str, u8, &str, i64); 3] = [
        ("SIP/2.0 180 Ringing", "b1", 41, answered, 50),
        ("SIP/2.0 486 Busy Here", "b2", 42, busy, 150),
        ("SIP/2.0 200 OK", "b1", 41, answered, 400),
    ];
    for (first, leg, agent, a_leg, at) in steps {
        let a_n = if a_leg == "a1" { 31 } else { 32 };
        let b = Msg {
            first,
            call: leg,
            from: &format!("<sip:trunk@192.0.2.5>;tag={leg}"),
            to: &format!("<sip:queue@x>;tag=t{leg}"),
            cseq: "1 INVITE",
        };
        f.send(&bytes(&b, leg), addr(agent), b2bua, at);
        let a = Msg {
            first,
            call: a_leg,
            from: &format!("<sip:user{a_n}@x>;tag={a_leg}"),
            to: &format!("<sip:queue@192.0.2.5>;tag=t{a_leg}"),
            cseq: "1 INVITE",
        };
        f.send(&bytes(&a, a_leg), b2bua, addr(a_n), at + relay_gap_ms);
    }
    f.finish()
}

fn groups(c: &Correlation) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = c.calls.iter().map(|c| c.call_ids.clone()).collect();
    g.sort();
    g
}

#[test]
fn relayed_answers_decide_between_tied_candidates() {
    let c = run("a1", "a2", 1);
    assert_eq!(groups(&c), [["a1", "b1"], ["a2", "b2"]]);
    // The other way round: the answers, not the order of the INVITEs, decide.
    let c = run("a2", "a1", 1);
    assert_eq!(groups(&c), [["a1", "b2"], ["a2", "b1"]]);
    let b2b = c.calls.iter().find(|c| c.call_ids[0] == "a2").unwrap();
    assert_eq!(b2b.joined_by, ["b2bua"]);
    assert_eq!(b2b.state, "established");
}

#[test]
fn relays_slower_than_the_window_join_nothing() {
    let c = run("a1", "a2", 400);
    assert_eq!(groups(&c), [["a1"], ["a2"], ["b1"], ["b2"]]);
}
