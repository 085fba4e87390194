//! `flow`: ladders of every sample in ASCII (snapshots read as a user would), every format on
//! the reference samples, and the layout's promises (valid SVG, width cap, aliases).

use crate::common::{keylog_args, root, sipladder};

fn flow(args: &[&str]) -> String {
    let out = sipladder().arg("flow").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "flow {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ascii_ladders_of_every_sample() {
    insta::glob!("../../samples", "**/*.{pcap,pcapng,cap,gz}", |path| {
        let relative = path.strip_prefix(root()).unwrap();
        // Attack samples hold hundreds of exchanges each: `attacks.rs` tests them.
        if relative.starts_with("samples/invalid") || relative.starts_with("samples/attack") {
            return;
        }
        let out = sipladder()
            .arg("flow")
            .arg(relative)
            .args(keylog_args(&relative.to_string_lossy()))
            .args(["--format", "ascii"])
            .output()
            .unwrap();
        let text = if out.status.success() {
            String::from_utf8(out.stdout).unwrap()
        } else {
            format!(
                "exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
        };
        insta::assert_snapshot!(text);
    });
}

#[test]
fn every_format_of_the_seed_flow_and_the_lab_call() {
    for (name, args) in [
        ("seed", vec!["samples/seed-register.pcap"]),
        ("lab_call", vec!["samples/lab-udp.pcap", "--call", "3"]),
        ("websocket", vec!["samples/lab-tcp-ws.pcap", "--call", "2"]),
    ] {
        for format in ["ascii", "unicode", "svg", "mermaid", "plantuml", "json"] {
            let mut all = args.clone();
            all.extend(["--format", format]);
            insta::assert_snapshot!(format!("{name}_{format}"), flow(&all));
        }
    }
}

#[test]
fn the_seed_register_flow_reads_like_the_course() {
    // Three columns (phone, proxy, server) and F1-F6 in the course's order.
    let text = flow(&[
        "samples/seed-register.pcap",
        "--format",
        "ascii",
        "--time",
        "none",
    ]);
    let order = [
        "REGISTER sip:192.0.2.10 F1",
        "401 Unauthorized F2",
        "REGISTER sip:192.0.2.10 F3",
        "REGISTER sip:198.51.100.20:5060 F4",
        "200 OK (REGISTER) F5",
        "200 OK (REGISTER) F6",
    ];
    let mut at = 0;
    for label in order {
        let found = text[at..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} after {at}:\n{text}"));
        at += found + label.len();
    }
    let lifeline_row = text
        .lines()
        .find(|l| l.trim_start().starts_with('|'))
        .unwrap();
    assert_eq!(lifeline_row.matches('|').count(), 3);
}

#[test]
fn svg_is_valid_xml_and_json_follows_the_contract() {
    let svg = flow(&["samples/lab-udp.pcap", "--call", "3", "--format", "svg"]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let arrows = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("arrow")))
        .count();
    assert_eq!(arrows, 13);
    let json: serde_json::Value =
        serde_json::from_str(&flow(&["samples/seed-register.pcap", "--format", "json"])).unwrap();
    assert_eq!(json["participants"].as_array().unwrap().len(), 3);
    assert_eq!(json["participants"][0]["address"], "192.0.2.101:5060");
    let f4 = &json["arrows"][3];
    assert_eq!(f4["label"], "F4");
    assert_eq!((f4["from"].as_u64(), f4["to"].as_u64()), (Some(1), Some(2)));
    assert_eq!(f4["summary"], "REGISTER sip:198.51.100.20:5060");
    assert_eq!(f4["frame"], 4);
    assert_eq!(f4["retransmission"], false);
    assert!(
        f4["time"]
            .as_str()
            .unwrap()
            .starts_with("2014-07-27T17:20:49.012")
    );
}

#[test]
fn no_line_exceeds_the_width() {
    for width in [40, 60, 80, 100] {
        for sample in [
            "samples/lab-udp.pcap",
            "samples/lab-udp-ipv6.pcap",
            "samples/lab-fork.pcap",
        ] {
            let w = width.to_string();
            let text = flow(&[
                sample, "--format", "unicode", "--width", &w, "--color", "never",
            ]);
            for line in text.lines() {
                assert!(
                    line.chars().count() <= width,
                    "{sample} --width {width}: {} chars: {line}",
                    line.chars().count()
                );
            }
        }
    }
}

#[test]
fn aliases_name_and_merge_columns() {
    let text = flow(&[
        "samples/lab-udp.pcap",
        "--call",
        "3",
        "--format",
        "ascii",
        "--alias",
        "127.0.0.10=alice",
        "--alias",
        "127.0.0.2:5060=proxy",
        "--alias",
        "127.0.0.20=bob",
        "--order",
        "bob,proxy",
    ]);
    let header = text.lines().nth(2).unwrap();
    let (bob, proxy, alice) = (
        header.find("bob").unwrap(),
        header.find("proxy").unwrap(),
        header.find("alice").unwrap(),
    );
    assert!(bob < proxy && proxy < alice, "{header}");
    // Two addresses given one name share a column.
    let json: serde_json::Value = serde_json::from_str(&flow(&[
        "samples/lab-udp.pcap",
        "--call",
        "3",
        "--format",
        "json",
        "--alias",
        "127.0.0.10=edge",
        "--alias",
        "127.0.0.20=edge",
    ]))
    .unwrap();
    assert_eq!(json["participants"].as_array().unwrap().len(), 2);
}

#[test]
fn output_never_overwrites_the_capture() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("c.pcap");
    std::fs::copy(root().join("samples/lab-udp.pcap"), &copy).unwrap();
    let out = sipladder()
        .arg("flow")
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write"));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(root().join("samples/lab-udp.pcap")).unwrap()
    );
}

#[test]
fn mermaid_keeps_to_the_documented_sequence_diagram_syntax() {
    // Each line is one of the statements of Mermaid's sequenceDiagram documentation, and
    // message texts hold none of the characters the grammar reads as syntax.
    for sample in [
        "samples/lab-udp.pcap",
        "samples/hostile.pcap",
        "samples/lab-register-timeout.pcap",
        "samples/lab-tcp-ws.pcap",
    ] {
        let text = flow(&[sample, "--format", "mermaid", "--call", "1"]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("sequenceDiagram"));
        for line in lines {
            let body = line
                .strip_prefix("    ")
                .unwrap_or_else(|| panic!("{sample}: {line}"));
            let text_part = if let Some(rest) = body.strip_prefix("title ") {
                rest
            } else if let Some(rest) = body.strip_prefix("participant P") {
                let (id, name) = rest.split_once(" as ").unwrap_or_else(|| panic!("{line}"));
                assert!(id.chars().all(|c| c.is_ascii_digit()), "{line}");
                name
            } else if let Some(rest) = body.strip_prefix("Note ") {
                let (place, note) = rest.split_once(": ").unwrap_or_else(|| panic!("{line}"));
                assert!(
                    place.starts_with("over P") || place.starts_with("right of P"),
                    "{line}"
                );
                note
            } else {
                let (arrow, message) = body.split_once(": ").unwrap_or_else(|| panic!("{line}"));
                let (from, to) = arrow
                    .split_once("-->>P")
                    .or_else(|| arrow.split_once("->>P"))
                    .unwrap_or_else(|| panic!("{sample}: not a message: {line}"));
                assert!(
                    from.starts_with('P') && from[1..].chars().all(|c| c.is_ascii_digit()),
                    "{line}"
                );
                assert!(to.chars().all(|c| c.is_ascii_digit()), "{line}");
                message
            };
            for c in [';', '#', '<', '>', ':', '"', '%', '{', '}'] {
                let cleaned = text_part
                    .replace("<br/>", "")
                    .replace("#59;", "")
                    .replace("#35;", "")
                    .replace("#lt;", "")
                    .replace("#gt;", "")
                    .replace("#58;", "")
                    .replace("#quot;", "")
                    .replace("#37;", "")
                    .replace("#123;", "")
                    .replace("#125;", "")
                    .replace("#44;", "");
                assert!(!cleaned.contains(c), "{sample}: {c:?} unescaped in {line}");
            }
        }
    }
}

/// `flow --call N` reads the capture twice, the second time only the frames of call N (and the
/// media around it): its ladder must be the one a reading of everything draws for that call.
fn each_call_alone_as_in_everything(inputs: &[&str]) {
    let keys: Vec<String> = inputs.iter().flat_map(|i| keylog_args(i)).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let inputs: &[&str] = &[inputs, &keys[..]].concat();
    let out = sipladder()
        .arg("flow")
        .args(inputs)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("the capture holds no call") {
        return;
    }
    assert!(out.status.success(), "flow {inputs:?}: {stderr}");
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = match all.get("flows") {
        Some(flows) => flows.as_array().unwrap().clone(),
        None => vec![all],
    };
    for (n, model) in models.iter().enumerate() {
        let call = (n + 1).to_string();
        let args = [inputs, &["--call", &call, "--format", "json"]].concat();
        let one: serde_json::Value = serde_json::from_str(&flow(&args)).unwrap();
        assert_eq!(&one, model, "{inputs:?}, call {call}");
    }
}

#[test]
fn one_call_read_alone_draws_as_when_everything_is_read() {
    insta::glob!("../../samples", "**/*.{pcap,pcapng,cap,gz}", |path| {
        let relative = path.strip_prefix(root()).unwrap().to_str().unwrap();
        if !relative.starts_with("samples/invalid") && !relative.starts_with("samples/attack") {
            each_call_alone_as_in_everything(&[relative]);
        }
    });
    // Two inputs merged in time order, whose calls reuse the same media addresses and SSRC
    // half a minute apart: each call keeps its own streams either way.
    each_call_alone_as_in_everything(&["samples/lab-udp-concurrent.pcap", "samples/lab-tcp.pcap"]);
}
