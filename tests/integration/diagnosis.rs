//! Why a call failed, in words: the diagnosis of each call of the samples made for it (one
//! situation per capture, `samples/lab/diag.sh`), its codes and its sentences as `calls` prints
//! them.

use crate::common::{json_of, sample, sipladder, stdout_of};

/// The diagnosis of call `id` of a sample, as (code, severity, text).
fn diagnosis(name: &str, id: u64, lang: &str) -> Vec<(String, String, String)> {
    let json = json_of(
        sipladder()
            .args(["calls", "--json", "--lang", lang])
            .arg(sample(name)),
    );
    let call = json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{name}: no call {id}"))
        .clone();
    call["diagnosis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Checks that call `id` of `name` has exactly these findings, each with its sentence.
fn expect(name: &str, id: u64, want: &[(&str, &str, &str)]) {
    let got = diagnosis(name, id, "en");
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(c, s, t)| (c.as_str(), s.as_str(), t.as_str()))
        .collect();
    assert_eq!(got, want, "{name} call {id}");
}

#[test]
fn failed_calls_say_who_refused_them_and_why() {
    expect(
        "diag-declined.pcap",
        2,
        &[(
            "declined",
            "warning",
            "127.0.0.20:5062 answered 603 Decline (F6): the user called declined the call.",
        )],
    );
    expect(
        "diag-not-found.pcap",
        1,
        &[(
            "not-found",
            "error",
            "127.0.0.2:5060 answered 404 Not Found (F2): the user called does not exist, or is not registered there.",
        )],
    );
    expect(
        "diag-unavailable.pcap",
        2,
        &[(
            "unavailable",
            "error",
            "127.0.0.20:5062 answered 480 Temporarily Unavailable (F4): the user called is known but cannot be reached now (not registered, do not disturb).",
        )],
    );
    expect(
        "diag-server-error.pcap",
        1,
        &[(
            "server-error",
            "error",
            "127.0.0.2:5060 could not serve the INVITE: 503 Service Unavailable (F2); it asks to try again in 30 s (Retry-After).",
        )],
    );
    expect(
        "diag-not-acceptable.pcap",
        2,
        &[(
            "codec-mismatch",
            "error",
            "127.0.0.20:5062 answered 488 Not Acceptable Here (F4): none of the codecs offered (G729, telephone-event) suits it.",
        )],
    );
    // The proxy relays the busy; the callee's own 486 names the hop.
    expect(
        "lab-busy.pcap",
        3,
        &[(
            "busy",
            "warning",
            "127.0.0.20:5062 answered 486 Busy Here (F4): the user called is busy.",
        )],
    );
    expect(
        "lab-cancel.pcap",
        3,
        &[(
            "cancelled",
            "info",
            "The caller 127.0.0.10:5060 hung up before the call was answered: CANCEL, then 487 (F6, F10).",
        )],
    );
}

#[test]
fn a_wrong_password_is_told_from_a_first_challenge() {
    expect(
        "diag-wrong-password.pcap",
        1,
        &[(
            "auth-failed",
            "error",
            "The credentials of 202 were refused 2 time(s): 127.0.0.2:5060 answered 401 Unauthorized again (F6). A wrong password, or a stale nonce.",
        )],
    );
    // An ordinary challenge answered with the right password is no problem.
    expect("lab-udp.pcap", 1, &[]);
}

#[test]
fn requests_that_never_arrive_name_the_silent_hop() {
    expect(
        "lab-register-timeout.pcap",
        1,
        &[
            (
                "request-timeout",
                "error",
                "127.0.0.2:5060 answered the REGISTER with 408 Request Timeout (F12): nothing answered it in time from further on.",
            ),
            (
                "no-answer",
                "error",
                "127.0.0.3:5099 never answered the REGISTER: 127.0.0.2:5060 sent it 5 times over 7.4 s (F4).",
            ),
            (
                "icmp-unreachable",
                "error",
                "127.0.0.3 answered \"port unreachable\" for 127.0.0.3:5099 (F4): what 127.0.0.2:5060 sent there never arrived (nothing listens on that port, or the host is down).",
            ),
        ],
    );
}

#[test]
fn answered_calls_that_go_wrong() {
    expect(
        "diag-no-ack.pcap",
        2,
        &[
            (
                "no-ack",
                "error",
                "The 200 OK from 127.0.0.20:5062 was sent again 9 time(s) and never acknowledged (F6): without an ACK the call dies after 32 s (timer H).",
            ),
            (
                "no-media",
                "warning",
                "The call was answered, but no RTP was seen in either direction.",
            ),
        ],
    );
    expect(
        "diag-still-up.pcap",
        2,
        &[(
            "capture-ended",
            "info",
            "The call is still up when the capture ends: its end is not in the capture.",
        )],
    );
    expect(
        "diag-nat-sdp.pcap",
        2,
        &[(
            "nat-private-sdp",
            "warning",
            "203.0.113.5:5060 announced the private address 192.168.1.50 in its SDP to 203.0.113.2:5060 (F1): from the public side that address cannot be reached, so media gets through only if the far end sends it back where the RTP comes from (symmetric RTP) or a relay rewrites the SDP.",
        )],
    );
}

#[test]
fn bad_audio_is_measured_and_named() {
    expect(
        "diag-one-way-rtp.pcap",
        2,
        &[(
            "one-way-media",
            "warning",
            "RTP went one way only: 127.0.0.10:7000 → 127.0.0.20:6000 (91 packets), nothing came back.",
        )],
    );
    let lossy = diagnosis("diag-lossy-rtp.pcap", 2, "en");
    let codes: Vec<&str> = lossy.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(codes, ["media-loss", "media-jitter", "media-low-mos"]);
    assert_eq!(
        lossy[0].2,
        "9.8 % of the RTP from 198.51.100.10:7000 to 203.0.113.20:6000 was lost (39 of 400 packets, PCMA, estimated MOS 3.33)."
    );
    // The clean lab call: no finding, and a MOS near G.711's best.
    expect("lab-udp.pcap", 3, &[]);
    let json = json_of(
        sipladder()
            .args(["calls", "--json"])
            .arg(sample("lab-udp.pcap")),
    );
    for m in json["media"].as_array().unwrap() {
        let mos = m["mos"].as_f64().unwrap();
        assert!((4.3..=4.4).contains(&mos), "{mos}");
    }
}

#[test]
fn the_diagnosis_speaks_french_too() {
    let d = diagnosis("diag-declined.pcap", 2, "fr");
    assert_eq!(
        d[0].2,
        "127.0.0.20:5062 a répondu 603 Decline (F6) : l'usager appelé a refusé l'appel."
    );
}

#[test]
fn problems_lists_only_the_exchanges_that_went_wrong() {
    let json = json_of(
        sipladder()
            .args(["calls", "--problems", "--json"])
            .arg(sample("lab-busy.pcap")),
    );
    let ids: Vec<u64> = json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [3]);
    // The table says it in words under the rows.
    let out = stdout_of(
        sipladder()
            .args(["calls", "--problems"])
            .arg(sample("lab-busy.pcap")),
    );
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("#3 busy: 127.0.0.20:5062 answered 486 Busy Here (F4)"),
        "{text}"
    );
}
