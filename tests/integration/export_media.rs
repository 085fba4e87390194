//! `export --with-rtp` and `--format pcapng`: a call cut with its media reads back as the same
//! call with the same streams, in both formats, and tshark reads the cut.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

use crate::common::{json_of, sample, sipladder, stdout_of};

/// Runs `sipladder export` and returns what it printed.
fn export(capture: &str, call: &str, extra: &[&str], to: &Path) -> String {
    let out = stdout_of(
        sipladder()
            .arg("export")
            .arg(sample(capture))
            .args(["--call", call])
            .args(extra)
            .arg("-o")
            .arg(to),
    );
    String::from_utf8(out).unwrap()
}

fn calls_json(capture: &Path, extra: &[&str]) -> Value {
    json_of(
        sipladder()
            .args(["calls", "--json"])
            .arg(capture)
            .args(extra),
    )
}

/// The fields of a call that an export must keep (not its number, which restarts at 1).
fn call_fields(call: &Value) -> Vec<Value> {
    [
        "kind",
        "call_ids",
        "from",
        "to",
        "state",
        "final_status",
        "messages",
    ]
    .iter()
    .map(|k| call[*k].clone())
    .collect()
}

/// The streams attributed to call `id`, by their fields that an export must keep.
fn streams_of(json: &Value, id: u64) -> Vec<Vec<Value>> {
    let mut streams: Vec<Vec<Value>> = json["media"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["call"] == id)
        .map(|m| {
            ["src", "dst", "ssrc", "packets", "lost"]
                .iter()
                .map(|k| m[*k].clone())
                .collect()
        })
        .collect();
    streams.sort_by_key(|s| format!("{s:?}"));
    streams
}

/// The SIP messages tshark reads in a file, or `None` when tshark is not installed.
pub(crate) fn tshark_sip_messages(file: &Path) -> Option<usize> {
    let out = Process::new("tshark")
        .args(["-r"])
        .arg(file)
        .args(["-Y", "sip", "-T", "fields", "-e", "frame.number"])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "tshark -r {file:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).lines().count())
}

#[test]
fn a_call_exported_with_its_rtp_reads_back_with_the_same_streams() {
    let original = calls_json(&sample("lab-udp.pcap"), &[]);
    let call = original["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == 3)
        .unwrap()
        .clone();
    let streams = streams_of(&original, 3);
    let packets: u64 = streams.iter().map(|s| s[3].as_u64().unwrap()).sum();
    assert_eq!(packets, 182);

    let dir = tempfile::tempdir().unwrap();
    for format in ["pcap", "pcapng"] {
        // The extension says nothing: the format is the one asked for.
        let file: PathBuf = dir.path().join(format!("call3-{format}.cap"));
        let said = export(
            "lab-udp.pcap",
            "3",
            &["--with-rtp", "--format", format],
            &file,
        );
        assert!(
            said.contains("195 frames of 1 call(s) (182 RTP, 0 RTCP)"),
            "{said}"
        );
        let magic = std::fs::read(&file).unwrap();
        let ng = magic.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]);
        assert_eq!(ng, format == "pcapng");

        let cut = calls_json(&file, &[]);
        let cut_calls = cut["calls"].as_array().unwrap();
        assert_eq!(cut_calls.len(), 1, "{format}");
        assert_eq!(call_fields(&cut_calls[0]), call_fields(&call), "{format}");
        let id = cut_calls[0]["id"].as_u64().unwrap();
        assert_eq!(streams_of(&cut, id), streams, "{format}");

        match tshark_sip_messages(&file) {
            Some(n) => assert_eq!(n, 13, "tshark on the {format} cut"),
            None => eprintln!("tshark is not installed: the {format} cut was not read by it"),
        }
    }
}

#[test]
fn without_with_rtp_the_cut_holds_no_media() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("call3.pcap");
    let said = export("lab-udp.pcap", "3", &[], &file);
    assert!(said.contains("13 frames of 1 call(s)"), "{said}");
    assert_eq!(calls_json(&file, &[])["media"], serde_json::json!([]));
}

#[test]
fn the_pcapng_cut_names_the_call_on_its_first_frame() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("call3.pcapng");
    export("lab-udp.pcap", "3", &["--format", "pcapng"], &file);
    let bytes = std::fs::read(&file).unwrap();
    let needle = "sipladder call 3: call ".as_bytes();
    let hits = bytes.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(hits, 1);
}

#[test]
fn concurrent_calls_sharing_media_addresses_keep_their_own_streams() {
    let original = calls_json(&sample("lab-udp-concurrent.pcap"), &[]);
    let dir = tempfile::tempdir().unwrap();
    for call in [1u64, 4, 8] {
        let streams = streams_of(&original, call);
        assert!(!streams.is_empty(), "call {call} has streams");
        let file = dir.path().join(format!("concurrent{call}.pcap"));
        export(
            "lab-udp-concurrent.pcap",
            &call.to_string(),
            &["--with-rtp"],
            &file,
        );
        let cut = calls_json(&file, &[]);
        let cut_calls = cut["calls"].as_array().unwrap();
        assert_eq!(cut_calls.len(), 1, "call {call}");
        let id = cut_calls[0]["id"].as_u64().unwrap();
        assert_eq!(streams_of(&cut, id), streams, "call {call}");
        // No other call's stream came along, attributed or not.
        assert_eq!(
            cut["media"].as_array().unwrap().len(),
            streams.len(),
            "call {call}"
        );
    }
}

/// `pcap` (classic, little-endian, Ethernet) with RTCP appended after its last frame, made from
/// its last RTP frame from port 7000 to 6000 moved to ports 7001 and 6001: one receiver report
/// per SSRC given.
fn append_rtcp(pcap: &[u8], ssrcs: &[u32]) -> Vec<u8> {
    let mut records = Vec::new();
    let mut at = 24;
    while let Some(header) = pcap.get(at..at + 16) {
        let len = u32::from_le_bytes(header[8..12].try_into().unwrap()) as usize;
        records.push((header, &pcap[at + 16..at + 16 + len]));
        at += 16 + len;
    }
    let (header, frame) = records
        .iter()
        .rev()
        .find(|(_, f)| f.len() > 42 && f[34..38] == [0x1b, 0x58, 0x17, 0x70])
        .expect("an RTP frame from 7000 to 6000");
    let mut out = pcap.to_vec();
    for (i, ssrc) in ssrcs.iter().enumerate() {
        let mut f = frame[..42].to_vec();
        f[34..38].copy_from_slice(&[0x1b, 0x59, 0x17, 0x71]);
        f.extend_from_slice(&[0x80, 201, 0, 1]);
        f.extend_from_slice(&ssrc.to_be_bytes());
        let len = f.len() as u16;
        f[16..18].copy_from_slice(&(len - 14).to_be_bytes());
        f[38..40].copy_from_slice(&(len - 34).to_be_bytes());
        f[40..42].copy_from_slice(&[0, 0]);
        f[24..26].copy_from_slice(&[0, 0]);
        let sum = (14..34)
            .step_by(2)
            .map(|j| u32::from(u16::from_be_bytes([f[j], f[j + 1]])))
            .sum::<u32>();
        let sum = !((sum & 0xffff) + (sum >> 16)) as u16;
        f[24..26].copy_from_slice(&sum.to_be_bytes());
        let mut h = header.to_vec();
        // 100 ms later, each.
        let usec = u32::from_le_bytes(h[4..8].try_into().unwrap()) + 100_000 * (i as u32 + 1);
        let secs = u32::from_le_bytes(h[0..4].try_into().unwrap()) + usec / 1_000_000;
        h[0..4].copy_from_slice(&secs.to_le_bytes());
        h[4..8].copy_from_slice(&(usec % 1_000_000).to_le_bytes());
        h[8..12].copy_from_slice(&(f.len() as u32).to_le_bytes());
        h[12..16].copy_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(&f);
    }
    out
}

#[test]
fn rtcp_of_the_calls_streams_comes_along() {
    let original = calls_json(&sample("lab-udp.pcap"), &[]);
    let ssrc = streams_of(&original, 3)[0][2].as_str().unwrap().to_owned();
    let ssrc = u32::from_str_radix(ssrc.trim_start_matches("0x"), 16).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("with-rtcp.pcap");
    let bytes = std::fs::read(crate::common::root().join(sample("lab-udp.pcap"))).unwrap();
    std::fs::write(&input, append_rtcp(&bytes, &[ssrc, ssrc ^ 1])).unwrap();
    let file = dir.path().join("call3.pcap");
    let out = sipladder()
        .args(["export", "--call", "3", "--with-rtp", "-o"])
        .arg(&file)
        .arg(&input)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    // The report of the call's SSRC, not the other one.
    assert!(
        said.contains("196 frames of 1 call(s) (182 RTP, 1 RTCP)"),
        "{said}"
    );
    if let Ok(out) = Process::new("tshark")
        .arg("-r")
        .arg(&file)
        .args(["-d", "udp.port==7001,rtcp", "-Y", "rtcp"])
        .args(["-T", "fields", "-e", "rtcp.senderssrc"])
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.lines().collect::<Vec<_>>(), [format!("0x{ssrc:08x}")]);
    } else {
        eprintln!("tshark is not installed: the RTCP of the cut was not read by it");
    }
}
