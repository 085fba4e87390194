//! One call is one call: the exact grouping of legs on the samples made for it (exchanges inside
//! one Call-ID, retries under a new Call-ID, back-to-back user agents, mirrored captures), and
//! the same grouping in `calls` and `flow`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{json_of, sample, sipladder};

fn run_json(args: &[&str], name: &str) -> Value {
    json_of(sipladder().args(args).arg(sample(name)))
}

fn calls(name: &str, join: &str) -> Vec<Value> {
    run_json(&["calls", "--json", "--join", join], name)["calls"]
        .as_array()
        .unwrap()
        .clone()
}

fn ids(call: &Value) -> BTreeSet<String> {
    call["call_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_register_then_an_invite_in_one_call_id_are_two_rows() {
    // SIPp's branchc pattern: each of three Call-IDs carries a challenged REGISTER, then a call.
    let c = calls("lab-register-invite.pcap", "all");
    assert_eq!(c.len(), 7);
    assert_eq!(c[0]["call_ids"][0], "1-10844@127.0.0.20"); // Bob's registration
    for n in 1..=3 {
        let call_id = format!("{n}-10963@127.0.0.10");
        let rows: Vec<&Value> = c.iter().filter(|r| r["call_id"] == call_id).collect();
        assert_eq!(rows.len(), 2, "{call_id}");
        assert_eq!(rows[0]["kind"], "registration");
        assert_eq!(rows[0]["state"], "registered");
        assert_eq!(rows[0]["challenges"], 1);
        assert_eq!(rows[0]["messages"], 4);
        assert_eq!(rows[1]["kind"], "call");
        assert_eq!(rows[1]["state"], "completed");
        assert_eq!(rows[1]["final_status"], 200);
        assert_eq!(rows[1]["messages"], 13);
        assert_eq!(rows[1]["hangup"], "caller");
    }
    // `--call ID` picks every exchange of the Call-ID.
    let json = run_json(
        &["calls", "--json", "--call", "2-10963@127.0.0.10"],
        "lab-register-invite.pcap",
    );
    let kinds: Vec<&str> = json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["registration", "call"]);
}

#[test]
fn retries_under_a_new_call_id_join_the_challenged_exchange() {
    let c = calls("lab-auth-newcallid.pcap", "all");
    assert_eq!(c.len(), 3);
    let reg = &c[1];
    assert_eq!(reg["kind"], "registration");
    assert_eq!(reg["state"], "registered");
    assert_eq!(reg["final_status"], 200);
    assert_eq!(reg["challenges"], 1);
    assert_eq!(reg["call_ids"].as_array().unwrap().len(), 2);
    assert_eq!(reg["joined_by"], serde_json::json!(["auth-retry"]));
    let call = &c[2];
    assert_eq!(call["kind"], "call");
    assert_eq!(call["state"], "completed");
    assert_eq!(call["final_status"], 200);
    assert_eq!(call["challenges"], 1);
    assert_eq!(call["messages"], 16);
    assert_eq!(call["joined_by"], serde_json::json!(["auth-retry"]));
    // Setup runs from the first INVITE, the one challenged.
    assert!(call["setup_ms"].as_u64().unwrap() >= 300);
    assert!(
        call["joins"][0]["evidence"]
            .as_str()
            .unwrap()
            .contains("same nonce")
    );
    // Without joins, each attempt is a row of its own: the challenged ones say so.
    let alone = calls("lab-auth-newcallid.pcap", "none");
    assert_eq!(alone.len(), 5);
    let states: Vec<&str> = alone.iter().map(|c| c["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "registered",
            "challenged",
            "registered",
            "challenged",
            "completed"
        ]
    );
}

#[test]
fn calls_through_a_b2bua_are_one_call_each_and_never_crossed() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(sample("lab/b2bua-expected.json")).unwrap())
            .unwrap();
    let c = calls("lab-b2bua.pcap", "all");
    let expected = expected["calls"].as_array().unwrap();
    assert_eq!(c.len(), expected.len());
    for want in expected {
        let want_ids: BTreeSet<String> = want["call_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let got = c
            .iter()
            .find(|row| ids(row) == want_ids)
            .unwrap_or_else(|| panic!("no row made of {want_ids:?}"));
        assert_eq!(got["state"], want["state"], "{want_ids:?}");
        assert_eq!(got["final_status"], want["final"], "{want_ids:?}");
        assert_eq!(got["participants"], want["participants"], "{want_ids:?}");
        if want_ids.len() > 1 {
            assert_eq!(got["joined_by"], serde_json::json!(["b2bua"]));
        } else {
            // The direct call at the same instant stays alone.
            assert_eq!(got["joined_by"], serde_json::json!([]));
        }
    }
    // Timings as the caller saw them on the A-leg (tshark: INVITE at 0.000045 s, 180 at
    // 0.001528, 200 at 0.402602, ACK at 0.402715, BYE from Alice at 1.004009).
    let alice = c
        .iter()
        .find(|row| row["from"] == "sip:alice@127.0.0.31")
        .unwrap();
    assert_eq!(alice["setup_ms"], 402);
    assert_eq!(alice["post_dial_delay_ms"], 1);
    assert_eq!(alice["talk_ms"], 601);
    assert_eq!(alice["hangup"], "caller");
    // Erin's callee hung up: the B2BUA relayed that BYE to her.
    let erin = c
        .iter()
        .find(|row| row["from"] == "sip:erin@127.0.0.34")
        .unwrap();
    assert_eq!(erin["hangup"], "callee");
    // Headers name no other leg here: with header evidence only, every leg is a row.
    assert_eq!(calls("lab-b2bua.pcap", "headers").len(), 9);
}

#[test]
fn flow_of_a_b2bua_call_draws_both_legs_in_one_ladder() {
    let c = calls("lab-b2bua.pcap", "all");
    let alice = c
        .iter()
        .find(|row| row["from"].as_str().unwrap().contains("alice"))
        .unwrap();
    let n = alice["id"].to_string();
    let ladder = run_json(
        &["flow", "--format", "json", "--call", &n],
        "lab-b2bua.pcap",
    );
    let addresses: Vec<&str> = ladder["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addresses,
        ["127.0.0.31:5060", "127.0.0.5:5060", "127.0.0.41:5060"]
    );
    assert_eq!(
        ladder["arrows"].as_array().unwrap().len() as u64,
        alice["messages"].as_u64().unwrap()
    );
}

#[test]
fn a_mirrored_capture_counts_copies_apart_from_retransmissions() {
    let c = calls("lab-mirror.pcap", "all");
    assert_eq!(c.len(), 2);
    let call = &c[1];
    assert_eq!(call["kind"], "call");
    assert_eq!(call["state"], "completed");
    assert_eq!(call["messages"], 15);
    assert_eq!(call["retransmissions"], 2);
    assert_eq!(call["duplicates"], 15);
    assert_eq!(c[0]["duplicates"], 4);
    // RTP copies too: 17 packets each way, each taken twice.
    let json = run_json(&["calls", "--json"], "lab-mirror.pcap");
    for m in json["media"].as_array().unwrap() {
        assert_eq!(m["packets"], 17);
        assert_eq!(m["duplicates"], 17);
        assert_eq!(m["lost"], 0);
    }
    let stats = run_json(&["stats", "--json"], "lab-mirror.pcap");
    assert_eq!(stats["sip_messages"], 38);
    assert_eq!(stats["duplicates"], 19);
    assert_eq!(stats["retransmissions"], 2);
    // The ladder draws each message once.
    let ladder = run_json(
        &["flow", "--format", "json", "--call", "2"],
        "lab-mirror.pcap",
    );
    assert_eq!(ladder["arrows"].as_array().unwrap().len(), 15);
}
