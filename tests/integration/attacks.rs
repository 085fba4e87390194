//! Attacks: each attack sample (`samples/attack/`, made by `lab/flood.py`) is detected, named,
//! and its exchanges carry its code; the normal captures (every other sample, and the corpus
//! when `SIPLADDER_CORPUS` names it) raise no attack at all.

use std::path::PathBuf;

use crate::common::{json_of, keylog_args, root, sample, sipladder, stats_json};

/// Sample, code, shape, attempts (requests).
const SHAPES: [(&str, &str, &str, u64); 6] = [
    ("scanner", "scan", "distributed", 500),
    ("options-sweep", "scan", "sweep", 600),
    ("register-brute", "brute-force", "guessing", 400),
    ("invite-flood", "scan", "flood", 500),
    ("enum", "scan", "enumeration", 300),
    ("malformed", "scan", "distributed", 150),
];

fn attack_sample(name: &str) -> PathBuf {
    sample(&format!("attack/{name}.pcap"))
}

#[test]
fn every_attack_shape_is_named_once() {
    for (name, code, shape, attempts) in SHAPES {
        let (exit, stats) = stats_json(&[attack_sample(name)]);
        assert_eq!(exit, 0, "{name}");
        let attacks = stats["attacks"].as_array().unwrap();
        assert_eq!(attacks.len(), 1, "{name}: {attacks:#?}");
        let a = &attacks[0];
        assert_eq!(a["code"], code, "{name}");
        assert_eq!(a["shape"], shape, "{name}");
        assert_eq!(a["attempts"], attempts, "{name}");
    }
}

#[test]
fn every_exchange_of_an_attack_carries_its_code() {
    for (name, code, _, _) in SHAPES {
        let calls = json_of(
            sipladder()
                .args(["calls", "--json"])
                .arg(attack_sample(name)),
        );
        let calls = calls["calls"].as_array().unwrap();
        assert!(!calls.is_empty(), "{name}");
        for call in calls {
            assert_eq!(call["attack"], 1, "{name}: {call:#}");
            let codes: Vec<&str> = call["diagnosis"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["code"].as_str())
                .collect();
            assert!(codes.contains(&code), "{name}: {codes:?}");
        }
    }
}

#[test]
fn stats_tell_each_attack() {
    for (name, ..) in SHAPES {
        let out = sipladder()
            .arg("stats")
            .arg(format!("samples/attack/{name}.pcap"))
            .current_dir(root())
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let attacks = text.split_once("Attacks:\n").map_or("", |(_, a)| a);
        let attacks = attacks.split("Warnings:\n").next().unwrap_or(attacks);
        insta::assert_snapshot!(format!("stats_{name}"), attacks);
    }
}

/// Every capture of normal traffic: the samples (but the attacks), and the corpus when set.
fn normal_captures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join("samples"), root().join("samples/public")];
    if let Some(corpus) = std::env::var_os("SIPLADDER_CORPUS").map(PathBuf::from) {
        dirs.push(corpus);
    }
    for dir in dirs.into_iter().filter(|d| d.is_dir()) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if [".pcap", ".pcapng", ".cap", ".pcap.gz"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn normal_traffic_raises_no_attack() {
    let mut raised = Vec::new();
    let captures = normal_captures();
    assert!(captures.len() > 30, "samples not found");
    for path in captures {
        let relative = path.strip_prefix(root()).unwrap_or(&path);
        let out = sipladder()
            .args(["stats", "--json"])
            .arg(&path)
            .args(keylog_args(&relative.to_string_lossy()))
            .output()
            .unwrap();
        let Ok(stats) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
            continue; // not a capture sipladder reads (its own tests say so)
        };
        if let Some(attacks) = stats["attacks"].as_array().filter(|a| !a.is_empty()) {
            raised.push(format!("{}: {attacks:#?}", path.display()));
        }
    }
    assert!(raised.is_empty(), "{}", raised.join("\n"));
}

#[test]
fn the_calls_table_shows_an_attack_in_one_line() {
    for name in ["scanner", "register-brute"] {
        let out = sipladder()
            .args(["calls", "--lang", "en"])
            .arg(format!("samples/attack/{name}.pcap"))
            .current_dir(root())
            .output()
            .unwrap();
        insta::assert_snapshot!(
            format!("calls_{name}"),
            String::from_utf8(out.stdout).unwrap()
        );
    }
    // --expand: one line per exchange again.
    let out = sipladder()
        .args(["calls", "--lang", "en", "--expand"])
        .arg(attack_sample("enum"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.matches(" scan: One of 300 REGISTER attempts").count(),
        300
    );
    assert!(!text.contains("--expand lists them"));
}

#[test]
fn each_broken_start_line_is_a_warning() {
    // attack/malformed.pcap: 300 datagrams, 150 of them with a start line that is not SIP's.
    let (_, stats) = stats_json(&[attack_sample("malformed")]);
    let broken = stats["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "broken_start_line")
        .expect("a broken_start_line warning");
    assert_eq!(broken["count"], 150);
    assert_eq!(
        broken["examples"][0],
        "frame 1: 45.0.0.1:5060 → 192.0.2.1:5060: not read as SIP, its start line is broken: \"INVITE sip:100@192.0.2.1\""
    );
}

#[test]
fn messages_without_call_id_are_counted_not_grouped_into_one_call() {
    // attack/malformed.pcap: of its 300 datagrams, 100 are SIP without a Call-ID (an OPTIONS
    // without the header, an INVITE whose `Call-ID` line has no colon), each from its own
    // sender. Grouped under an empty Call-ID they made two "calls" of 50 unrelated messages.
    let malformed = attack_sample("malformed");
    let (_, stats) = stats_json(std::slice::from_ref(&malformed));
    let without = stats["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "without_call_id")
        .expect("a without_call_id warning");
    assert_eq!(without["count"], 100);
    assert_eq!(
        without["examples"][0],
        "frame 3: 45.110.243.98:5060 → 192.0.2.1:5060: \"OPTIONS sip:100@192.0.2.1 SIP/2.0\" has no Call-ID header: counted, not correlated into a call"
    );
    let calls = json_of(sipladder().args(["calls", "--json"]).arg(&malformed));
    let calls = calls["calls"].as_array().unwrap();
    // The 50 REGISTERs with a Call-ID (and a broken CSeq), one exchange each.
    assert_eq!(calls.len(), 50);
    for call in calls {
        assert_eq!(call["messages"], 1);
        assert_ne!(call["call_ids"][0], "");
    }
    // Redacted, the warnings name no address or user of the capture.
    let out = sipladder()
        .args(["stats", "--redact"])
        .arg(&malformed)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("has no Call-ID header"), "{text}");
    assert!(text.contains("its start line is broken"), "{text}");
    for secret in ["192.0.2.1", "45.110.243.98", "sip:100@"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // The report counts the warnings, not the lines that tell them (5 examples and "… and 145
    // more" for the broken start lines, 1 and "… and 99 more" for the others).
    let html = crate::report::report(&[malformed.to_str().unwrap(), "--lang", "en"]);
    assert!(html.contains("<summary>250 warning(s)</summary>"));
    assert!(html.contains("has no Call-ID header: counted, not correlated into a call"));
}

#[test]
fn the_report_shows_an_attack_as_one_row_and_details_the_other_calls() {
    let scanner = attack_sample("scanner");
    let lab = sample("lab-udp.pcap");
    let html = crate::report::report(&[
        scanner.to_str().unwrap(),
        lab.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(html.contains(
        "<span class=\"code\">scan</span> #1: 500 INVITE attempts from 498 sources to 192.0.2.1, \
         unanswered (a scan from many sources by SIPVicious), 500 exchange(s) shown as one row below."
    ));
    assert!(html.contains("<input id=\"expand\" type=\"checkbox\"> Attacks one by one"));
    // The script's data: each row names its attack, and the attacks are listed once.
    let data = html
        .split("<script type=\"application/json\" id=\"rows\">")
        .nth(1)
        .unwrap();
    let data: serde_json::Value =
        serde_json::from_str(data.split("</script>").next().unwrap()).unwrap();
    let attack = data["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "attack")
        .unwrap();
    let rows = data["rows"].as_array().unwrap();
    assert_eq!(rows.iter().filter(|r| r[attack] == 1).count(), 500);
    assert_eq!(data["attacks"][0]["exchanges"], 500);
    // The detail budget (100 calls) goes to the lab's calls first, then to the attack.
    for id in [501, 502, 503] {
        assert!(
            html.contains(&format!("id=\"call-{id}\"")),
            "call {id} detailed"
        );
    }
    assert!(!html.contains("id=\"call-98\""));
}
