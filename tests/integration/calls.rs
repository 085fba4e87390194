//! `calls`: the calls, registrations and other exchanges of the samples, with states, codes,
//! timings and retransmissions checked against values read by hand from the captures (with
//! tshark: `tshark -r FILE -Y sip -T fields -e frame.number -e frame.time_epoch -e ip.src -e
//! ip.dst -e _ws.col.Info`).

use serde_json::Value;

use crate::common::{json_of, sample, sipladder};

fn calls_json(name: &str, extra: &[&str]) -> Value {
    json_of(
        sipladder()
            .args(["calls", "--json"])
            .arg(sample(name))
            .args(extra),
    )
}

fn calls(name: &str) -> Vec<Value> {
    calls_json(name, &[])["calls"].as_array().unwrap().clone()
}

#[test]
fn the_lab_call_and_its_registrations() {
    let json = calls_json("lab-udp.pcap", &[]);
    let c = json["calls"].as_array().unwrap();
    assert_eq!(c.len(), 3);
    // Frames 1-6: 202's REGISTER, 401, REGISTER with credentials, relayed to the registrar,
    // 200 from it, 200 to the phone. The proxy keeps the Call-ID, so one leg, three hosts.
    assert_eq!(c[0]["kind"], "registration");
    assert_eq!(c[0]["state"], "registered");
    assert_eq!(c[0]["final_status"], 200);
    assert_eq!(c[0]["messages"], 6);
    assert_eq!(c[0]["challenges"], 1);
    assert_eq!(c[0]["expires"], 3600);
    assert_eq!(
        c[0]["participants"],
        serde_json::json!(["127.0.0.10:5060", "127.0.0.2:5060", "127.0.0.3:5080"])
    );
    // Frames 7-10: bob's REGISTER, 401, REGISTER, 200 (the proxy registers bob itself).
    assert_eq!(c[1]["messages"], 4);
    assert_eq!(c[1]["aor"], "sip:bob@REALM");
    // Frames 11-19 and 188-191. INVITE at .288623 (frame 11); 180 to Alice at .289485
    // (frame 15); 200 to Alice at .596765 (frame 17); ACK at .596909 (frame 18); Bob's BYE at
    // 4.099664 (frame 188); last message 4.100326 (frame 191).
    let call = &c[2];
    assert_eq!(call["kind"], "call");
    assert_eq!(call["method"], "INVITE");
    assert_eq!(call["from"], "sip:alice@REALM");
    assert_eq!(call["to"], "sip:bob@REALM");
    assert_eq!(call["state"], "completed");
    assert_eq!(call["final_status"], 200);
    assert_eq!(call["messages"], 13);
    assert_eq!(call["retransmissions"], 0);
    assert_eq!(call["setup_ms"], 308);
    assert_eq!(call["post_dial_delay_ms"], 0);
    assert_eq!(call["talk_ms"], 2502);
    assert_eq!(call["duration_ms"], 2811);
    assert_eq!(call["hangup"], "callee");
    assert_eq!(call["start"], "2026-11-25T19:11:11.288623Z");
    // RTP: Alice 7000 <-> Bob 6000, 91 packets each way (SIPp echo), PCMA as announced.
    let media = json["media"].as_array().unwrap();
    assert_eq!(media.len(), 2);
    for m in media {
        assert_eq!(m["call"], 3);
        assert_eq!(m["codec"], "PCMA");
        assert_eq!(m["packets"], 91);
        assert_eq!(m["lost"], 0);
    }
}

#[test]
fn the_seed_register_flow_is_one_registration_over_three_hosts() {
    // As the course has it: F3 retries under a new Call-ID and From tag, answering F2's nonce
    // (auth-retry); F4 is the proxy's own REGISTER under a third Call-ID (proxy-reissue).
    let c = calls("seed-register.pcap");
    assert_eq!(c.len(), 1);
    let r = &c[0];
    assert_eq!(r["kind"], "registration");
    assert_eq!(r["messages"], 6);
    assert_eq!(r["state"], "registered");
    assert_eq!(r["final_status"], 200);
    assert_eq!(r["challenges"], 1);
    assert_eq!(r["expires"], 60);
    assert_eq!(
        r["call_ids"],
        serde_json::json!([
            "89ec7e03-7777-428b-9c99-71f32d6cdd45",
            "6b1f0c4e-2d8a-4f5b-a3c9-7e2d41b9f086",
            "2cbea95840a5f61d-10959@192.0.2.10"
        ])
    );
    assert_eq!(
        r["joined_by"],
        serde_json::json!(["auth-retry", "proxy-reissue"])
    );
    let joins = r["joins"].as_array().unwrap();
    assert_eq!(
        joins[0]["to_call_id"],
        "89ec7e03-7777-428b-9c99-71f32d6cdd45"
    );
    assert!(
        joins[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("same nonce")
    );
    assert!(
        joins[1]["evidence"]
            .as_str()
            .unwrap()
            .contains("192.0.2.10 re-issued the REGISTER")
    );
    assert_eq!(
        r["participants"],
        serde_json::json!(["192.0.2.101:5060", "192.0.2.10:5060", "198.51.100.20:5060"])
    );
    // Without the rules, the course's three Call-IDs are three rows; with header evidence
    // only, the retry still joins (its nonce) but the proxy's own REGISTER does not.
    let rows = |join: &str| {
        let out = sipladder()
            .args(["calls", "--json", "--join", join])
            .arg(sample("seed-register.pcap"))
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["calls"].as_array().unwrap().len()
    };
    assert_eq!(rows("none"), 3);
    assert_eq!(rows("headers"), 2);
    assert_eq!(rows("all"), 1);
}

#[test]
fn outcomes_of_the_lab_variants() {
    // lab-cancel: Alice cancels while Bob rings: CANCEL, 200 (CANCEL), 487, ACK at each hop.
    let c = calls("lab-cancel.pcap");
    assert_eq!(
        (c[2]["state"].as_str(), c[2]["final_status"].as_u64()),
        (Some("cancelled"), Some(487))
    );
    // lab-busy: Bob answers 486 Busy Here, relayed to Alice.
    let c = calls("lab-busy.pcap");
    assert_eq!(
        (c[2]["state"].as_str(), c[2]["final_status"].as_u64()),
        (Some("rejected"), Some(486))
    );
    assert_eq!(c[2]["setup_ms"], Value::Null);
    // lab-reinvite: the hold re-INVITE stays inside the call (one call, 20 messages).
    let c = calls("lab-reinvite.pcap");
    assert_eq!(c.len(), 3);
    assert_eq!(c[2]["state"], "completed");
    assert_eq!(c[2]["messages"], 20);
    // lab-fork: Bob registered twice; two 180s with different To tags reach Alice.
    let c = calls("lab-fork.pcap");
    assert_eq!(c[3]["forks"], 2);
    assert_eq!(c[3]["state"], "completed");
}

#[test]
fn retransmissions_timeouts_and_icmp_errors() {
    // lab-register-timeout: 202's REGISTER with credentials is sent 4 times by the phone (3
    // retransmissions) and relayed 5 times by the proxy to a dead registrar (4
    // retransmissions, timer E); each relayed copy draws an ICMP port unreachable, and so
    // does the proxy's 408 sent back to a phone that had given up: 6 ICMP errors.
    let c = calls("lab-register-timeout.pcap");
    assert_eq!(c[0]["retransmissions"], 7);
    assert_eq!(c[0]["icmp_errors"], 6);
    assert_eq!(c[0]["final_status"], 408);
    assert_eq!(c[0]["state"], "timed-out");
    // icmp-unreachable: OPTIONS sent 3 times to a closed port, 3 ICMP errors, no answer.
    let c = calls("icmp-unreachable.pcap");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0]["kind"], "options");
    assert_eq!(c[0]["retransmissions"], 2);
    assert_eq!(c[0]["icmp_errors"], 3);
    assert_eq!(c[0]["state"], "failed");
}

#[test]
fn a_hep_feed_gives_the_same_calls_as_the_original() {
    // The same calls, but for their diagnosis: the feeds carry the SIP only, so the answered
    // call has no media there.
    let without_diagnosis = |mut calls: Value| {
        let mut diagnoses = Vec::new();
        for c in calls.as_array_mut().unwrap() {
            diagnoses.push(c.as_object_mut().unwrap().remove("diagnosis").unwrap());
        }
        (calls, diagnoses)
    };
    let (original, _) = without_diagnosis(calls_json("lab-udp.pcap", &[])["calls"].clone());
    for hep in ["lab-udp-hep3.pcap", "lab-udp-hep2.pcap"] {
        let (calls, diagnoses) = without_diagnosis(calls_json(hep, &[])["calls"].clone());
        assert_eq!(calls, original, "{hep}");
        assert_eq!(diagnoses[2][0]["code"], "no-media", "{hep}");
    }
}

#[test]
fn filters_select_calls() {
    let ids = |extra: &[&str]| -> Vec<u64> {
        calls_json("lab-udp.pcap", extra)["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids(&["--call", "3"]), vec![3]);
    assert_eq!(ids(&["--call", "1-4924@127.0.0.20"]), vec![2]);
    assert_eq!(ids(&["--method", "register"]), vec![1, 2]);
    assert_eq!(ids(&["--status", "2xx"]), vec![1, 2, 3]);
    assert_eq!(ids(&["--status", "486"]), Vec::<u64>::new());
    assert_eq!(ids(&["--host", "127.0.0.20"]), vec![2, 3]);
    assert_eq!(ids(&["--host", "127.0.0.3:5080"]), vec![1]);
    assert_eq!(ids(&["--from", "ALICE"]), vec![3]);
    assert_eq!(ids(&["--to", "bob"]), vec![2, 3]);
    assert_eq!(ids(&["--since", "2026-11-25T19:11:11Z"]), vec![3]);
    assert_eq!(ids(&["--until", "2026-11-25T19:11:10.1Z"]), vec![1]);
    let out = sipladder()
        .args(["calls", "samples/lab-udp.pcap", "--status", "busy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--status"));
}

#[test]
fn calls_table_of_the_lab_call() {
    let out = sipladder()
        .args(["calls", "samples/lab-udp.pcap"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn calls_table_of_the_seed_flow() {
    let out = sipladder()
        .args(["calls", "samples/seed-register.pcap"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
