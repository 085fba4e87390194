//! The command line's contract: exit codes, one-line errors, standard input, merged files.

use crate::common::{sample, sipladder, stats_json};

#[test]
fn a_file_that_is_not_a_capture_is_one_clear_line_and_exit_1() {
    let out = sipladder()
        .args(["stats", "samples/invalid/not-a-capture.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: samples/invalid/not-a-capture.txt is not a pcap or pcapng capture\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_is_exit_1() {
    let out = sipladder()
        .args(["stats", "samples/no-such-file.pcap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: cannot read samples/no-such-file.pcap"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn a_cut_header_is_exit_1() {
    let out = sipladder()
        .args(["stats", "samples/invalid/truncated-header.pcap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: samples/invalid/truncated-header.pcap is empty or too short to be a capture (10 bytes)\n"
    );
}

#[test]
fn usage_errors_are_exit_1() {
    let out = sipladder().arg("stats").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = sipladder().arg("--no-such-flag").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = sipladder().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_capture_cut_mid_packet_gives_partial_counts_and_exit_2() {
    // samples/invalid/truncated.pcap is lab-udp.pcap cut inside the record of frame 12.
    // Frames 1-11, read with tshark: the seed's REGISTER flow F1-F6 for 202 (REGISTER, 401,
    // REGISTER, REGISTER relayed to the registrar, 200, 200), bob's REGISTER, 401, REGISTER,
    // 200, then Alice's INVITE.
    let out = sipladder()
        .args(["stats", "--json", "samples/invalid/truncated.pcap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["packets"], 11);
    assert_eq!(json["sip_messages"], 11);
    assert_eq!(
        json["requests"],
        serde_json::json!({"REGISTER": 5, "INVITE": 1})
    );
    assert_eq!(json["responses"], serde_json::json!({"401": 2, "200": 3}));
    assert_eq!(json["partial"], true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("capture truncated or damaged at byte 6464, after frame 11"),
        "{stderr}"
    );
}

#[test]
fn an_empty_capture_has_zero_counts() {
    let (code, json) = stats_json(&[sample("invalid/empty.pcap")]);
    assert_eq!(code, 0);
    assert_eq!(json["packets"], 0);
    assert_eq!(json["sip_messages"], 0);
}

#[test]
fn standard_input_reads_like_a_file() {
    let bytes = std::fs::read(crate::common::root().join("samples/lab-udp.pcap.gz")).unwrap();
    let out = sipladder()
        .args(["stats", "--json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, file) = stats_json(&[sample("lab-udp.pcap")]);
    assert_eq!(json["sip_messages"], file["sip_messages"]);
    assert_eq!(json["requests"], file["requests"]);
}

#[test]
fn several_files_merge_in_time_order() {
    let (code, one) = stats_json(&[sample("lab-udp.pcap")]);
    assert_eq!(code, 0);
    let (code, two) = stats_json(&[sample("lab-udp.pcap"), sample("lab-tcp.pcap")]);
    assert_eq!(code, 0);
    let n = |v: &serde_json::Value| v["sip_messages"].as_u64().unwrap();
    let (_, tcp) = stats_json(&[sample("lab-tcp.pcap")]);
    assert_eq!(n(&two), n(&one) + n(&tcp));
    assert_eq!(two["transports"]["UDP"], one["sip_messages"]);
    assert_eq!(two["transports"]["TCP"], tcp["sip_messages"]);
}

#[test]
fn export_cuts_one_call_into_a_capture_and_lists_messages_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let subset = dir.path().join("call3.pcap");
    let out = sipladder()
        .args(["export", "samples/lab-udp.pcap", "--call", "3", "-o"])
        .arg(&subset)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The subset holds the call's 13 SIP messages and nothing else.
    let (code, json) = stats_json(std::slice::from_ref(&subset));
    assert_eq!(code, 0);
    assert_eq!(json["sip_messages"], 13);
    assert_eq!(json["calls"], 1);
    assert_eq!(json["registrations"], 0);

    // Calls that overlap in time (copies of one call 500 ms apart): each cut holds its own
    // messages, read from its frames alone, and only them.
    for call in ["1", "4", "8"] {
        let subset = dir.path().join(format!("concurrent{call}.pcap"));
        let out = sipladder()
            .args([
                "export",
                "samples/lab-udp-concurrent.pcap",
                "--call",
                call,
                "-o",
            ])
            .arg(&subset)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "call {call}");
        let (_, json) = stats_json(std::slice::from_ref(&subset));
        assert_eq!(
            (json["sip_messages"].clone(), json["calls"].clone()),
            (13.into(), 1.into()),
            "call {call}"
        );
    }

    let out = sipladder()
        .args(["export", "samples/seed-register.pcap", "--jsonl"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[3]["call_id"], "2cbea95840a5f61d-10959@192.0.2.10");
    assert_eq!(lines[3]["call"], 1);
    let out = sipladder()
        .args(["export", "-", "--jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
