//! The findings that the lab samples do not show, on calls written by hand: a routing loop,
//! too many hops, a refusal with and without credentials, an answer with no codec of the
//! offer, a server error without Retry-After.

use crate::correlate::Correlation;
use crate::correlate::test_feed::{Feed, addr};

/// An INVITE from 192.0.2.10 (with credentials when `credentials`, an SDP offering
/// `offer`) answered `status` by 192.0.2.2, with `extra` headers and body `answer` (SDP).
fn call(status: &str, credentials: bool, answer: Option<&str>) -> Correlation {
    let mut f = Feed::new();
    let sdp = |codecs: &str| {
        format!(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP {codecs}\r\n"
        )
    };
    let auth = if credentials {
        "Proxy-Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:b@x\", response=\"00\"\r\n"
    } else {
        ""
    };
    let offer = sdp("0 8");
    let invite = format!(
        "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n{auth}Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{offer}",
        offer.len()
    );
    f.send(invite.as_bytes(), addr(10), addr(2), 0);
    let body = answer.map(sdp).unwrap_or_default();
    let kind = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/sdp\r\n"
    };
    let response = format!(
        "SIP/2.0 {status}\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n{kind}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    f.send(response.as_bytes(), addr(2), addr(10), 5);
    f.finish()
}

/// The codes and facts of the only call.
fn found(c: &Correlation) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    c.calls
        .first()
        .map(|call| {
            call.findings
                .iter()
                .map(|f| (f.code, f.facts.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn codes(c: &Correlation) -> Vec<&'static str> {
    found(c).into_iter().map(|(code, _)| code).collect()
}

#[test]
fn refusals_by_status() {
    assert_eq!(codes(&call("482 Loop Detected", false, None)), ["loop"]);
    assert_eq!(
        codes(&call("483 Too Many Hops", false, None)),
        ["too-many-hops"]
    );
    assert_eq!(codes(&call("403 Forbidden", false, None)), ["forbidden"]);
    assert_eq!(codes(&call("600 Busy Everywhere", false, None)), ["busy"]);
    assert_eq!(
        codes(&call("604 Does Not Exist Anywhere", false, None)),
        ["not-found"]
    );
    assert_eq!(
        codes(&call("415 Unsupported Media Type", false, None)),
        ["rejected"]
    );
    // A redirection is not a failure.
    assert!(codes(&call("302 Moved Temporarily", false, None)).is_empty());
}

#[test]
fn a_refusal_after_credentials_is_an_authentication_failure() {
    let c = call("403 Forbidden", true, None);
    let f = found(&c);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, "auth-failed");
    assert!(f[0].1.contains(&("rounds", "1".to_string())));
    assert!(f[0].1.contains(&("user", "a".to_string())));
}

#[test]
fn an_answer_without_a_codec_of_the_offer() {
    // Offer PCMU and PCMA, answer G.729 only (a broken answerer): no codec in common.
    let c = call("200 OK", false, Some("18 101"));
    let f = found(&c);
    let mismatch = f
        .iter()
        .find(|(code, _)| *code == "codec-mismatch")
        .unwrap();
    assert!(mismatch.1.contains(&("offer", "PCMU, PCMA".to_string())));
    assert!(
        mismatch.1.contains(&("answer", "G729".to_string())),
        "{mismatch:?}"
    );
    // The same codecs answered: nothing to say about them.
    let c = call("200 OK", false, Some("8"));
    assert!(!codes(&c).contains(&"codec-mismatch"));
}

#[test]
fn a_server_error_without_retry_after() {
    let c = call("503 Service Unavailable", false, None);
    let f = found(&c);
    assert_eq!(f[0].0, "server-error");
    assert!(f[0].1.contains(&("retry", String::new())));
}
