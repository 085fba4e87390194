//! `stats` on the samples: the counts per method and status equal tshark's (written down in
//! `tests/data/sample_counts.json` with the tshark command that produced them, and a `scope`
//! that says whether SIP rides directly on the link or inside an encapsulation; where tshark is
//! known to be wrong the file holds the true figures and keeps tshark's beside them, with a
//! note), and the reports read well (snapshots).

use std::path::PathBuf;

use crate::common::{count_differences, expected, sample, sipladder, stats_json, stats_json_with};

#[test]
fn every_sample_counts_like_tshark() {
    let want = expected("sample_counts.json");
    let entries = want.as_object().expect("an object keyed by sample");
    assert!(entries.len() >= 20, "the expected counts cover the samples");
    let mut failures = Vec::new();
    for (name, want) in entries {
        // TLS samples are read with their key log, as tshark was.
        let keys = want["tls_keylog"].as_str().map(sample);
        let args: Vec<&std::ffi::OsStr> = match &keys {
            Some(keys) => vec!["--tls-keylog".as_ref(), keys.as_os_str()],
            None => vec![],
        };
        let (code, got) = stats_json_with(&[sample(name)], &args);
        if code != 0 {
            failures.push(format!("{name}: exit {code}"));
        }
        for diff in count_differences(&got, want) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sample_file_has_expected_counts() {
    // A sample added without its tshark figures would escape the comparison above.
    let want = expected("sample_counts.json");
    let dir = crate::common::root().join("samples");
    let mut missing = Vec::new();
    for sub in ["", "public", "attack"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let is_capture = [".pcap", ".pcapng", ".cap", ".pcap.gz"]
                .iter()
                .any(|ext| name.ends_with(ext));
            let key = if sub.is_empty() {
                name
            } else {
                format!("{sub}/{name}")
            };
            if is_capture && want.get(&key).is_none() {
                missing.push(key);
            }
        }
    }
    assert!(missing.is_empty(), "no expected counts for {missing:?}");
}

#[test]
fn icmp_quoted_requests_are_not_messages() {
    // samples/icmp-unreachable.pcap: three OPTIONS (the first and two retransmissions, timer
    // E) sent to a closed UDP port, each answered by an ICMP port unreachable that quotes it.
    let (code, json) = stats_json(&[sample("icmp-unreachable.pcap")]);
    assert_eq!(code, 0);
    assert_eq!(json["sip_messages"], 3);
    assert_eq!(json["requests"]["OPTIONS"], 3);
    assert_eq!(json["icmp_errors"], 3);
    assert_eq!(json["retransmissions"], 2);
}

#[test]
fn fragments_are_reassembled_in_any_order() {
    for name in ["lab-frag.pcap", "lab-frag6.pcap"] {
        let (code, json) = stats_json(&[sample(name)]);
        assert_eq!(code, 0);
        assert!(
            json["decode"]["reassembled_datagrams"].as_u64().unwrap() >= 1,
            "{name}"
        );
        assert_eq!(
            json["warnings"].as_array().unwrap().len(),
            0,
            "{name}: {json}"
        );
    }
}

#[test]
fn a_tcp_gap_is_reported_not_guessed_over() {
    let (code, json) = stats_json(&[sample("tcp-gap.pcap")]);
    assert_eq!(code, 0);
    let kinds: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"tcp_gap"), "{kinds:?}");
}

#[test]
fn unknown_link_types_are_named_and_skipped() {
    let (code, json) = stats_json(&[sample("pcapng-multi-if.pcapng")]);
    assert_eq!(code, 0);
    let warning = &json["warnings"][0];
    assert_eq!(warning["kind"], "unknown_link_type");
    let text = warning["examples"][0].as_str().unwrap();
    assert!(
        text.contains("link type 147 (user-defined) is not supported"),
        "{text}"
    );
}

fn stats_table(files: &[PathBuf]) -> String {
    let out = sipladder().arg("stats").args(files).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn stats_table_of_the_lab_call() {
    insta::assert_snapshot!(stats_table(&[sample("lab-udp.pcap")]));
}

#[test]
fn stats_table_with_warnings() {
    insta::assert_snapshot!(stats_table(&[sample("tcp-gap.pcap")]));
}

#[test]
fn stats_json_of_the_lab_call() {
    let (_, json) = stats_json(&[sample("lab-tcp.pcap")]);
    insta::assert_json_snapshot!(json);
}
