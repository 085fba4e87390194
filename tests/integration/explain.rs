//! `explain`: every message told header by header, in French like the course or in English;
//! the JSON contract; and snapshots read as a student would.

use crate::common::sipladder;

fn explain(args: &[&str]) -> String {
    let out = sipladder()
        .arg("explain")
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "explain {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_seed_register_flow_in_french() {
    insta::assert_snapshot!(explain(&["samples/seed-register.pcap", "--lang", "fr"]));
}

#[test]
fn the_lab_call_in_english() {
    insta::assert_snapshot!(explain(&[
        "samples/lab-udp.pcap",
        "--call",
        "3",
        "--lang",
        "en"
    ]));
}

#[test]
fn the_course_concepts_are_in_f1_f2_and_f4() {
    // F1 (frame 1): the seed's bullets for the REGISTER.
    let f1 =
        explain(&["samples/seed-register.pcap", "--frame", "1", "--lang", "fr"]).to_lowercase();
    for concept in [
        "l'uac demande un enregistrement",
        "udp",
        "rport",
        "traversée du nat",
        "branch",
        "lr",
        "plus de 70 relais sip",
        "pas de tag to",
        "call-id",
        "tags",
        "cseq",
        "sflphone",
        "contact",
        "60 secondes",
        "allow",
        "taille du corps",
    ] {
        assert!(f1.contains(concept), "F1 lacks {concept:?}");
    }
    // F2: the challenge.
    let f2 =
        explain(&["samples/seed-register.pcap", "--frame", "2", "--lang", "fr"]).to_lowercase();
    for concept in [
        "le proxy demande une preuve d'authentification pour le domaine 192.0.2.10",
        "rport=5060",
        "digest",
        "realm",
        "l'aléa",
        "cas particulier d'une requête register",
    ] {
        assert!(f2.contains(concept), "F2 lacks {concept:?}");
    }
    // F3 retries with credentials after the 401; F4 is the proxy acting as a UAC.
    let f3 =
        explain(&["samples/seed-register.pcap", "--frame", "3", "--lang", "fr"]).to_lowercase();
    assert!(f3.contains("authorization"), "{f3}");
    assert!(
        f3.contains("401"),
        "F3 does not say it answers the 401 challenge"
    );
    let f4 =
        explain(&["samples/seed-register.pcap", "--frame", "4", "--lang", "fr"]).to_lowercase();
    assert!(
        f4.contains("le proxy doit être considéré comme un uac"),
        "{f4}"
    );
}

#[test]
fn json_follows_the_contract() {
    let json: serde_json::Value = serde_json::from_str(&explain(&[
        "samples/seed-register.pcap",
        "--json",
        "--lang",
        "en",
    ]))
    .unwrap();
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 6);
    let f2 = &messages[1];
    assert_eq!(f2["frame"], 2);
    assert_eq!(f2["src"], "192.0.2.10:5060");
    assert_eq!(f2["dst"], "192.0.2.101:5060");
    assert_eq!(f2["transport"], "UDP");
    assert_eq!(f2["first_line"], "SIP/2.0 401 Unauthorized");
    assert!(
        f2["time"]
            .as_str()
            .unwrap()
            .starts_with("2014-07-27T17:20:49")
    );
    assert!(!f2["explanation"].as_str().unwrap().is_empty());
    let via = &f2["headers"][0];
    assert_eq!(via["name"], "Via");
    assert!(!via["explanation"].as_str().unwrap().is_empty());
    let branch = via["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "branch")
        .expect("a branch parameter");
    assert!(branch["value"].as_str().unwrap().starts_with("z9hG4bK"));
    assert!(!branch["explanation"].as_str().unwrap().is_empty());
    assert!(f2["notes"].is_array());
}

/// A message without a Call-ID belongs to no call, and is still explained when its frame is
/// asked for: alone, with what the parser found missing.
#[test]
fn a_message_in_no_call_is_explained_alone() {
    let capture = "samples/public/zeek__sip-junk-before-request.pcap";
    let text = explain(&[capture, "--frame", "2", "--lang", "en"]);
    assert!(text.starts_with(
        "── In no call (no Call-ID ties it to others) · frame 2 · 2021-04-14T22:00:12.376318Z · \
         1.1.1.1:31000 → 1.1.1.2:5060 (UDP)\nREGISTER sip:1.1.1.1:5060 SIP/2.0\n"
    ));
    assert!(text.contains("the mandatory Call-ID header is missing"));
    let json: serde_json::Value =
        serde_json::from_str(&explain(&[capture, "--frame", "2", "--json"])).unwrap();
    let message = &json["messages"][0];
    assert_eq!(message["frame"], 2);
    assert_eq!(message["first_line"], "REGISTER sip:1.1.1.1:5060 SIP/2.0");
    assert!(message["call"].is_null() && message["label"].is_null());
    // No other frame holds a message: nothing to explain there.
    let out = sipladder()
        .args(["explain", capture, "--frame", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no message matches"));
}

#[test]
fn the_language_follows_the_locale() {
    let out = sipladder()
        .args(["explain", "samples/seed-register.pcap", "--frame", "1"])
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signification"));
    let english = explain(&["samples/seed-register.pcap", "--frame", "1"]);
    assert!(english.contains("Meaning"), "{english}");
}
