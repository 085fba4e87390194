//! SIP over TLS and WSS read with a key log: the same calls as the plain twins, nothing
//! invented without keys (one warning per connection), a damaged record costs only its own
//! message, and the ladder and explanations say TLS.

use serde_json::Value;

use crate::common::{json_of, sample, sipladder, stats_json, stats_json_with, stdout_of};

/// `calls --json` of a capture, read with `keys` when given.
fn calls(capture: &str, keys: Option<&str>) -> Value {
    let mut cmd = sipladder();
    cmd.arg("calls").arg("--json").arg(sample(capture));
    if let Some(keys) = keys {
        cmd.arg("--tls-keylog").arg(sample(keys));
    }
    json_of(&mut cmd)
}

/// What must be equal between a capture and its twin: everything but times, addresses and
/// the URI scheme (sips: over TLS, sip: in clear).
fn shape(calls: &Value) -> Vec<String> {
    calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {} {} {} {} {}",
                c["kind"],
                c["call_id"],
                c["method"],
                c["from"],
                c["to"],
                c["state"],
                c["final_status"],
                c["messages"],
                c["retransmissions"]
            )
            .replace("sips:", "sip:")
        })
        .collect()
}

fn warning_kinds(json: &Value) -> Vec<String> {
    json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tls_samples_give_the_calls_of_their_plain_twins() {
    let plain = shape(&calls("lab-tls-plain.pcap", None));
    assert_eq!(plain.len(), 3, "{plain:?}");
    for (capture, keys) in [
        ("lab-tls13.pcap", "lab-tls13.keys"),
        ("lab-tls12.pcap", "lab-tls12.keys"),
    ] {
        let json = calls(capture, Some(keys));
        assert_eq!(shape(&json), plain, "{capture}");
        assert_eq!(json["calls"][1]["transports"], serde_json::json!(["TLS"]));
    }
    let ws = shape(&calls("lab-wss-plain.pcap", None));
    assert_eq!(ws.len(), 3, "{ws:?}");
    let json = calls("lab-wss.pcap", Some("lab-wss.keys"));
    assert_eq!(shape(&json), ws);
    assert_eq!(json["calls"][0]["transports"], serde_json::json!(["WSS"]));
}

#[test]
fn without_keys_nothing_is_invented_and_each_connection_is_reported() {
    let (code, json) = stats_json(&[sample("lab-tls13.pcap")]);
    assert_eq!(code, 0);
    assert_eq!(json["sip_messages"], 0);
    assert_eq!(json["decode"]["tls_streams"], 3);
    assert_eq!(json["decode"]["tls_unreadable"], 3);
    assert_eq!(json["decode"]["tls_decrypted_bytes"], 0);
    assert!(json["decode"]["tls_bytes"].as_u64().unwrap() > 5000);
    assert_eq!(json["warnings"][0]["kind"], "tls_unreadable");
    assert_eq!(json["warnings"][0]["count"], 3, "{json}");
    let text = json["warnings"][0]["examples"][0].as_str().unwrap();
    assert!(text.contains("no TLS key log given"), "{text}");
}

#[test]
fn keys_of_other_connections_open_nothing() {
    let keys = sample("lab-tls13.keys");
    let (code, json) = stats_json_with(
        &[sample("lab-tls12.pcap")],
        &["--tls-keylog".as_ref(), keys.as_os_str()],
    );
    assert_eq!(code, 0);
    assert_eq!(json["sip_messages"], 0);
    let text = json["warnings"][0]["examples"][0].as_str().unwrap();
    assert!(
        text.contains("the key log has no key for this client random"),
        "{text}"
    );
}

#[test]
fn the_key_log_can_come_from_sslkeylogfile() {
    let json = json_of(
        sipladder()
            .arg("stats")
            .arg("--json")
            .arg(sample("lab-tls12.pcap"))
            .env("SSLKEYLOGFILE", sample("lab-tls12.keys")),
    );
    assert_eq!(json["sip_messages"], 13);
    assert_eq!(json["transports"]["TLS"], 13);
    assert!(warning_kinds(&json).is_empty(), "{json}");
}

#[test]
fn an_unreadable_key_log_is_an_error() {
    let out = sipladder()
        .arg("stats")
        .arg("--tls-keylog")
        .arg("samples/no-such.keys")
        .arg(sample("lab-tls12.pcap"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read the TLS key log"), "{err}");
}

#[test]
fn a_missing_sslkeylogfile_is_only_a_warning() {
    let out = sipladder()
        .arg("stats")
        .arg(sample("lab-tls12.pcap"))
        .env("SSLKEYLOGFILE", "samples/no-such.keys")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(named by SSLKEYLOGFILE)"), "{err}");
}

#[test]
fn a_damaged_record_costs_its_message_only() {
    let keys = sample("lab-tls13.keys");
    let (code, json) = stats_json_with(
        &[sample("lab-tls13-damaged.pcap")],
        &["--tls-keylog".as_ref(), keys.as_os_str()],
    );
    assert_eq!(code, 0);
    assert_eq!(warning_kinds(&json), ["tls_record_damaged"]);
    // The 200 OK (INVITE) was in the damaged record; the messages before and after it remain.
    assert_eq!(json["sip_messages"], 12);
    assert_eq!(json["responses"]["180"], 1);
    assert_eq!(json["requests"]["ACK"], 1);
    let calls = calls("lab-tls13-damaged.pcap", Some("lab-tls13.keys"));
    assert_eq!(calls["calls"][1]["messages"], 6, "{calls}");
}

#[test]
fn an_exported_call_over_tls_can_be_read_again_with_the_key_log() {
    let dir = tempfile::tempdir().unwrap();
    let subset = dir.path().join("call.pcap");
    let keys = sample("lab-tls13.keys");
    stdout_of(
        sipladder()
            .args(["export", "--call", "2", "--tls-keylog"])
            .arg(&keys)
            .arg(sample("lab-tls13.pcap"))
            .arg("-o")
            .arg(&subset),
    );
    let (code, json) = stats_json_with(&[subset], &["--tls-keylog".as_ref(), keys.as_os_str()]);
    assert_eq!(code, 0);
    // The call's connection from its handshake on, and nothing of the other two.
    assert_eq!(json["sip_messages"], 7, "{json}");
    assert_eq!(json["requests"]["INVITE"], 1);
    assert_eq!(json["decode"]["tls_streams"], 1);
    assert!(warning_kinds(&json).is_empty(), "{json}");
}

#[test]
fn the_ladder_of_a_call_over_tls() {
    let out = stdout_of(
        sipladder()
            .args(["flow", "--call", "2", "--tls-keylog"])
            .arg(sample("lab-tls13.keys"))
            .arg(sample("lab-tls13.pcap")),
    );
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn the_ladder_of_a_registration_over_wss() {
    let out = stdout_of(
        sipladder()
            .args(["flow", "--call", "1", "--tls-keylog"])
            .arg(sample("lab-wss.keys"))
            .arg(sample("lab-wss.pcap")),
    );
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn an_invite_over_tls_explained_in_french() {
    let out = stdout_of(
        sipladder()
            .args(["explain", "--frame", "29", "--lang", "fr", "--tls-keylog"])
            .arg(sample("lab-tls13.keys"))
            .arg(sample("lab-tls13.pcap")),
    );
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn calls_over_tls() {
    let out = stdout_of(
        sipladder()
            .args(["calls", "--tls-keylog"])
            .arg(sample("lab-tls12.keys"))
            .arg(sample("lab-tls12.pcap")),
    );
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn stats_of_tls_without_keys() {
    let out = sipladder()
        .arg("stats")
        .arg(sample("lab-tls13.pcap"))
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
