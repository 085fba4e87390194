//! `--redact`: what names people and secrets is gone from every output, and the story stays
//! the same (calls, participants, messages, media, diagnosis).
//!
//! The originals are collected here with simple scanners of the test's own, from the SIP
//! payloads and addresses the capture layer reads, not with the redaction code under test.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use serde_json::Value;
use sipladder::capture::{CaptureReader, Event, EventSink, MergedReader, read_all};

use crate::common::{json_of, root, sample, sipladder, stdout_of};

/// Samples with Digest authentication, SDP, display names, RTP, TCP and a tunnel.
const SAMPLES: &[&str] = &[
    "lab-auth-newcallid.pcap",
    "lab-tcp.pcap",
    "lab-udp-gre.pcap",
    "lab-b2bua.pcap",
    "seed-call.pcap",
];

const KEY: &str = "a key for the tests";

/// What the capture says of people and secrets.
#[derive(Default, Debug)]
struct Originals {
    addresses: BTreeSet<IpAddr>,
    users: BTreeSet<String>,
    names: BTreeSet<String>,
    secrets: BTreeSet<String>,
}

/// Collects the SIP payloads' text and every address the capture layer reports.
#[derive(Default)]
struct Collect {
    texts: Vec<String>,
    addresses: BTreeSet<IpAddr>,
}

impl EventSink for Collect {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(p) => {
                self.texts
                    .push(String::from_utf8_lossy(p.bytes).into_owned());
                self.addresses.extend([p.src.ip(), p.dst.ip()]);
                for layer in p.outer {
                    self.addresses
                        .extend(layer.src.iter().chain(layer.dst.iter()));
                }
            }
            Event::Rtp(p) => {
                self.addresses.extend([p.src.ip(), p.dst.ip()]);
            }
            _ => {}
        }
    }
}

fn originals(capture: &Path) -> Originals {
    let reader = CaptureReader::open(&root().join(capture)).unwrap();
    let mut merged = MergedReader::new(vec![reader]);
    let mut collect = Collect::default();
    read_all(&mut merged, &mut collect);
    let mut found = Originals {
        addresses: collect.addresses,
        ..Originals::default()
    };
    for text in &collect.texts {
        // Dotted quads anywhere in the text (a version such as V4.2.0.0 is not one).
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
            if let Ok(ip) = word.trim_matches('.').parse::<Ipv4Addr>() {
                found.addresses.insert(ip.into());
            }
        }
        for (i, _) in text.match_indices("sip:") {
            let rest = &text[i + 4..];
            let end = rest
                .find([' ', '>', '\r', '\n', ',', '"'])
                .unwrap_or(rest.len());
            if let Some(at) = rest[..end].find('@') {
                let user = rest[..at].split([':', ';']).next().unwrap_or_default();
                if !user.is_empty() {
                    found.users.insert(user.to_string());
                }
            }
        }
        for (i, _) in text.match_indices("\" <") {
            let before = &text[..i];
            if let Some(open) = before.rfind('"') {
                let name = &before[open + 1..];
                if !name.trim().is_empty() {
                    found.names.insert(name.to_string());
                }
            }
        }
        for param in ["nonce=\"", "response=\"", "cnonce=\"", "opaque=\""] {
            for (i, _) in text.match_indices(param) {
                let rest = &text[i + param.len()..];
                let value = &rest[..rest.find('"').unwrap_or(0)];
                if value.len() >= 6 {
                    found.secrets.insert(value.to_string());
                }
            }
        }
    }
    found
        .addresses
        .retain(|ip| !ip.is_unspecified() && *ip != IpAddr::V4(Ipv4Addr::BROADCAST));
    found
}

/// Every output of the binary on `capture`, redacted: (what it is, bytes written).
fn redacted_outputs(capture: &Path, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let capture = capture.to_str().unwrap();
    let mut outputs = Vec::new();
    let runs: &[&[&str]] = &[
        &["stats"],
        &["stats", "--json"],
        &["calls"],
        &["calls", "--json"],
        &["flow"],
        &["flow", "--format", "json"],
        &["flow", "--format", "svg", "--call", "1"],
        &["flow", "--format", "mermaid"],
        &["flow", "--format", "plantuml"],
        &["explain"],
        &["explain", "--lang", "fr"],
        &["explain", "--json"],
        &["export", "--jsonl"],
    ];
    // Runs the binary redacted (writing `to` when given), keeping what it printed.
    let run = |args: &[&str], to: Option<&Path>| {
        let mut cmd = sipladder();
        cmd.args(args).args(["--redact-key", KEY, capture]);
        if let Some(to) = to {
            cmd.arg("-o").arg(to);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        [
            (format!("{args:?} stdout"), out.stdout),
            (format!("{args:?} stderr"), out.stderr),
        ]
    };
    for args in runs {
        outputs.extend(run(args, None));
    }
    let files: &[(&str, &[&str])] = &[
        ("report.html", &["report"]),
        ("cut.pcap", &["export", "--with-rtp"]),
        (
            "cut.pcapng",
            &["export", "--with-rtp", "--format", "pcapng"],
        ),
        ("flow.txt", &["flow", "--status", "2xx"]),
    ];
    for (name, args) in files {
        let path = dir.join(name);
        outputs.extend(run(args, Some(&path)));
        outputs.push((name.to_string(), std::fs::read(&path).unwrap()));
    }
    // The Parquet tables, decoded (their pages are compressed).
    let tables = dir.join("tables");
    let out = sipladder()
        .args(["export", "--redact-key", KEY, capture, "--parquet"])
        .arg(&tables)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for table in ["calls", "messages", "media"] {
        let rows = crate::parquet::rows(&tables.join(format!("{table}.parquet")));
        let text = serde_json::to_vec(&rows).unwrap();
        outputs.push((format!("{table}.parquet"), text));
    }
    outputs
}

/// Whether `needle` occurs in `hay` with no digit or dot around it (`127.0.0.1` is not in
/// `127.0.0.10`).
fn has_address(hay: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    hay.windows(needle.len()).enumerate().any(|(i, w)| {
        w == needle
            && !i
                .checked_sub(1)
                .and_then(|p| hay.get(p))
                .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
            && !hay.get(i + needle.len()).is_some_and(u8::is_ascii_digit)
    })
}

/// Whether a display name occurs between quotes (escaped or not, as JSON writes them).
fn has_name(hay: &[u8], name: &str) -> bool {
    let name = name.trim_matches(|c| c == '\\' || c == '"');
    !name.is_empty()
        && hay.windows(name.len()).enumerate().any(|(i, w)| {
            w == name.as_bytes()
                && i.checked_sub(1)
                    .and_then(|k| hay.get(k))
                    .is_some_and(|c| matches!(c, b'"' | b'\\'))
                && hay
                    .get(i + name.len())
                    .is_some_and(|c| matches!(c, b'"' | b'\\'))
        })
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn nothing_of_people_or_secrets_remains_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES {
        let capture = sample(name);
        let found = originals(&capture);
        assert!(
            !found.addresses.is_empty() && !found.users.is_empty(),
            "{name}: {found:?}"
        );
        for (what, bytes) in redacted_outputs(&capture, dir.path()) {
            for ip in &found.addresses {
                assert!(
                    !has_address(&bytes, &ip.to_string()),
                    "{name}: {ip} in {what}"
                );
                if let (IpAddr::V4(v4), true) = (ip, what.contains(".pcap")) {
                    assert!(
                        !contains_bytes(&bytes, &v4.octets()),
                        "{name}: {ip} (binary) in {what}"
                    );
                }
            }
            for user in &found.users {
                for pattern in [
                    format!("sip:{user}@"),
                    format!("sip:{user}:"),
                    format!("sip:{user};"),
                    format!("username=\"{user}\""),
                    format!("o={user} "),
                ] {
                    assert!(!contains(&bytes, &pattern), "{name}: {pattern} in {what}");
                }
            }
            for secret in &found.secrets {
                assert!(!contains(&bytes, secret), "{name}: {secret} in {what}");
            }
            for display in &found.names {
                assert!(!has_name(&bytes, display), "{name}: {display:?} in {what}");
            }
        }
    }
}

/// The public corpus: each capture's story unchanged, and no address, user, name or secret in
/// what lists, explains or exports it.
#[test]
fn corpus_captures_are_redacted_without_changing_their_story() {
    let Some(dir) = std::env::var_os("SIPLADDER_CORPUS").map(std::path::PathBuf::from) else {
        eprintln!("SIPLADDER_CORPUS is not set: corpus redaction skipped");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let found = originals(path);
        let run = |args: &[&str], redact: bool| {
            let mut cmd = sipladder();
            cmd.args(args);
            if redact {
                cmd.args(["--redact-key", KEY]);
            }
            cmd.arg(path).output().unwrap()
        };
        let plain = run(&["calls", "--json"], false);
        let redacted = run(&["calls", "--json"], true);
        let parse = |o: &std::process::Output| serde_json::from_slice::<Value>(&o.stdout).ok();
        match (parse(&plain), parse(&redacted)) {
            (Some(p), Some(r)) if shape(&p) != shape(&r) => {
                failures.push(format!("{name}: the calls differ once redacted"));
            }
            (Some(_), None) => failures.push(format!("{name}: no JSON once redacted")),
            _ => {}
        }
        for args in [
            &["calls", "--json"][..],
            &["explain", "--json"],
            &["export", "--jsonl"],
        ] {
            let out = run(args, true);
            for bytes in [&out.stdout, &out.stderr] {
                for ip in &found.addresses {
                    if has_address(bytes, &ip.to_string()) {
                        failures.push(format!("{name}: {ip} in {args:?}"));
                    }
                }
                for user in &found.users {
                    if contains(bytes, &format!("sip:{user}@")) {
                        failures.push(format!("{name}: user {user} in {args:?}"));
                    }
                }
                for secret in &found.secrets {
                    if contains(bytes, secret) {
                        failures.push(format!("{name}: {secret:?} in {args:?}"));
                    }
                }
                for display in &found.names {
                    if has_name(bytes, display) {
                        failures.push(format!("{name}: {display:?} in {args:?}"));
                    }
                }
            }
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// What a call is, whatever its names: kind, outcome, counts, number of participants.
fn shape(calls: &Value) -> Vec<Value> {
    let field = |c: &Value, k: &str| c.get(k).cloned().unwrap_or(Value::Null);
    let mut shapes: Vec<Value> = calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let count = |k: &str| c[k].as_array().map_or(0, Vec::len);
            let codes: Vec<Value> = c["diagnosis"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| d["code"].clone())
                .collect();
            serde_json::json!([
                field(c, "id"),
                field(c, "kind"),
                field(c, "method"),
                field(c, "state"),
                field(c, "final_status"),
                field(c, "messages"),
                field(c, "retransmissions"),
                field(c, "setup_ms"),
                field(c, "joined_by"),
                count("participants"),
                count("call_ids"),
                codes
            ])
        })
        .collect();
    shapes.extend(calls["media"].as_array().unwrap().iter().map(|m| {
        serde_json::json!([
            field(m, "call"),
            field(m, "codec"),
            field(m, "packets"),
            field(m, "lost")
        ])
    }));
    shapes
}

#[test]
fn the_story_and_its_participants_stay_the_same() {
    for name in SAMPLES {
        let capture = sample(name);
        let plain = json_of(sipladder().args(["calls", "--json"]).arg(&capture));
        let redacted = json_of(
            sipladder()
                .args(["calls", "--json", "--redact"])
                .arg(&capture),
        );
        assert_eq!(shape(&plain), shape(&redacted), "{name}");
        let distinct = |json: &Value| -> BTreeSet<String> {
            json["calls"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| c["participants"].as_array().unwrap().clone())
                .map(|p| p.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(distinct(&plain).len(), distinct(&redacted).len(), "{name}");
        let arrows = |json: &Value| -> usize {
            json.as_array().map_or_else(
                || json["arrows"].as_array().map_or(0, Vec::len),
                |calls| {
                    calls
                        .iter()
                        .map(|c| c["arrows"].as_array().map_or(0, Vec::len))
                        .sum()
                },
            )
        };
        let plain_flow = json_of(sipladder().args(["flow", "--format", "json"]).arg(&capture));
        let redacted_flow = json_of(
            sipladder()
                .args(["flow", "--format", "json", "--redact"])
                .arg(&capture),
        );
        assert_eq!(arrows(&plain_flow), arrows(&redacted_flow), "{name}");
    }
}

#[test]
fn a_key_gives_the_same_stand_ins_from_run_to_run_and_none_gives_new_ones() {
    let capture = sample("lab-auth-newcallid.pcap");
    let keyed = || {
        stdout_of(
            sipladder()
                .args(["calls", "--json", "--redact-key", KEY])
                .arg(&capture),
        )
    };
    assert_eq!(keyed(), keyed());
    let from_env = stdout_of(
        sipladder()
            .args(["calls", "--json"])
            .env("SIPLADDER_REDACT_KEY", KEY)
            .arg(&capture),
    );
    assert_eq!(keyed(), from_env);
    let random = || {
        stdout_of(
            sipladder()
                .args(["calls", "--json", "--redact"])
                .arg(&capture),
        )
    };
    assert_ne!(random(), random());
}

#[test]
fn filters_take_the_original_values() {
    let capture = sample("lab-auth-newcallid.pcap");
    let plain = json_of(
        sipladder()
            .args(["calls", "--json", "--from", "alice", "--host", "127.0.0.20"])
            .arg(&capture),
    );
    let redacted = json_of(
        sipladder()
            .args([
                "calls",
                "--json",
                "--from",
                "alice",
                "--host",
                "127.0.0.20",
                "--redact",
            ])
            .arg(&capture),
    );
    assert!(!plain["calls"].as_array().unwrap().is_empty());
    assert_eq!(shape(&plain), shape(&redacted));
}

#[test]
fn a_redacted_cut_reads_back_as_the_same_call() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("call.pcap");
    let capture = sample("lab-auth-newcallid.pcap");
    stdout_of(
        sipladder()
            .args([
                "export",
                "--call",
                "3",
                "--with-rtp",
                "--redact-key",
                KEY,
                "-o",
            ])
            .arg(&cut)
            .arg(&capture),
    );
    let original = json_of(
        sipladder()
            .args(["calls", "--json", "--call", "3", "--redact-key", KEY])
            .arg(&capture),
    );
    let reread = json_of(sipladder().args(["calls", "--json"]).arg(&cut));
    let strip = |json: &Value| -> Vec<Value> {
        // The cut numbers its one call 1.
        shape(json)
            .into_iter()
            .map(|mut s| {
                s[0] = Value::Null;
                s
            })
            .collect()
    };
    assert_eq!(strip(&original), strip(&reread));
    // The stand-ins are the ones of the run that cut it: the same participants.
    assert_eq!(
        original["calls"][0]["participants"],
        reread["calls"][0]["participants"]
    );
}
