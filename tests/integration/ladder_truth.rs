//! What a ladder says about its columns and its media must be true of the capture: a column
//! is named by what its node originated, never by headers it relayed, and every media stream
//! `calls --json` gives a call is drawn in that call's ladder, in every output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{root, sipladder};

/// Runs the binary and parses its JSON output.
fn json(args: &[&str]) -> Value {
    let out = sipladder().args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// `flow --format json` of one call.
fn flow_json(file: &str, call: &str) -> Value {
    json(&["flow", file, "--call", call, "--format", "json"])
}

/// Labels and roles of a flow's columns, left to right.
fn columns(flow: &Value) -> Vec<(String, Option<String>)> {
    flow["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap().to_string(),
                p["role"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn named(label: &str, role: Option<&str>) -> (String, Option<String>) {
    (label.to_string(), role.map(str::to_string))
}

#[test]
fn the_lab_proxy_is_named_by_its_own_responses_and_marked_as_proxy() {
    let flow = flow_json("samples/lab-udp.pcap", "3");
    assert_eq!(
        columns(&flow),
        [
            named("Linphone/3.6.1 (belle-sip/1.2.4)", None),
            named("kamailio (5.6.3 (x86_64/linux))", Some("proxy")),
            // SIPp sends no Server header: Bob keeps his address.
            named("127.0.0.20:5062", None),
        ]
    );
}

#[test]
fn the_seed_register_flow_keeps_the_course_names() {
    // The proxy re-issues the REGISTER as its own UAC (one Via, a new Call-ID): it relays
    // nothing by the Via rule, but correlation joined its REGISTER by the proxy-reissue rule,
    // which makes it the proxy the course draws.
    let flow = json(&["flow", "samples/seed-register.pcap", "--format", "json"]);
    assert_eq!(
        columns(&flow),
        [
            named("SFLphone", None),
            named("kamailio (4.1.4 (x86_64/linux))", Some("proxy")),
            named("Asterisk PBX 11.10.2", None),
        ]
    );
}

#[test]
fn the_course_call_titles_the_proxy_by_its_own_100_trying() {
    // F2, the relayed INVITE with the phone's User-Agent, comes before the proxy's own 100.
    let flow = flow_json("samples/seed-call.pcap", "1");
    assert_eq!(
        columns(&flow),
        [
            named("SFLphone", None),
            named("kamailio (4.1.4 (x86_64/linux))", Some("proxy")),
            named("Twinkle/1.4.2", None),
        ]
    );
}

#[test]
fn a_relayed_invite_over_tcp_does_not_name_the_proxy_after_the_phone() {
    // Over TCP the lab proxy relays from 127.0.0.2:44129; its only messages there are the
    // relayed INVITE, ACK and 200 (BYE), none its own.
    let flow = flow_json("samples/lab-tcp.pcap", "3");
    let columns = columns(&flow);
    assert_eq!(
        columns.get(2),
        Some(&named("127.0.0.2:44129", Some("proxy"))),
        "{columns:?}"
    );
    assert!(!columns.iter().skip(1).any(|(l, _)| l.contains("Linphone")));
}

/// One SIP message of the course's call, F1–F10, with the lines that matter here.
struct Sip {
    from: [u8; 4],
    to: [u8; 4],
    text: String,
}

const ALICE: [u8; 4] = [192, 0, 2, 101];
const PROXY: [u8; 4] = [192, 0, 2, 10];
const BOB: [u8; 4] = [192, 0, 2, 102];
/// Bob's media goes through a gateway that sends no SIP.
const GATEWAY: [u8; 4] = [198, 51, 100, 50];

fn ip(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// A SIP message: start line, the headers given, the dialog headers, and an SDP body
/// announcing `media` when given.
fn sip(
    from: [u8; 4],
    to: [u8; 4],
    start: &str,
    headers: &[&str],
    media: Option<([u8; 4], u16)>,
) -> Sip {
    let body = media.map_or(String::new(), |(at, port)| {
        format!(
            "v=0\r\no=- 1 1 IN IP4 {a}\r\ns=-\r\nc=IN IP4 {a}\r\nt=0 0\r\n\
             m=audio {port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n",
            a = ip(at)
        )
    });
    let mut text = format!("{start}\r\n");
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    text.push_str("Call-ID: course-call@192.0.2.101\r\n");
    if !body.is_empty() {
        text.push_str("Content-Type: application/sdp\r\n");
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    Sip { from, to, text }
}

/// The course's call ladder (F1–F10, no record-route: the ACK and the BYE go directly), with
/// the proxy's 100 Trying naming it (`Server` given) or not.
fn course_call(proxy_server: Option<&str>) -> Vec<Sip> {
    let via_a = "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK-a1";
    let via_p = "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-p1";
    let via_a2 = "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK-a2";
    let via_b = "Via: SIP/2.0/UDP 192.0.2.102:5060;branch=z9hG4bK-b1";
    let from = "From: <sip:201@REALM>;tag=alice";
    let to = "To: <sip:202@REALM>";
    let to_b = "To: <sip:202@REALM>;tag=bob";
    let invite = "CSeq: 1 INVITE";
    let alice_ua = "User-Agent: SFLphone";
    let bob_server = "Server: Twinkle/1.4.2";
    let contact_a = "Contact: <sip:201@192.0.2.101:5060>";
    let contact_b = "Contact: <sip:202@192.0.2.102:5060>";
    let alice_media = Some((ALICE, 7078));
    let bob_media = Some((GATEWAY, 20000));
    let mut trying = vec![via_a, from, to, invite];
    trying.extend(proxy_server);
    vec![
        sip(
            ALICE,
            PROXY,
            "INVITE sip:202@REALM SIP/2.0",
            &[via_a, from, to, invite, alice_ua, contact_a],
            alice_media,
        ),
        // F2: the proxy relays the INVITE with one more Via and the phone's User-Agent.
        sip(
            PROXY,
            BOB,
            "INVITE sip:202@192.0.2.102:5060 SIP/2.0",
            &[via_p, via_a, from, to, invite, alice_ua, contact_a],
            alice_media,
        ),
        sip(PROXY, ALICE, "SIP/2.0 100 Trying", &trying, None),
        sip(
            BOB,
            PROXY,
            "SIP/2.0 180 Ringing",
            &[via_p, via_a, from, to_b, invite, bob_server, contact_b],
            None,
        ),
        // F5 and F7: relayed, with Bob's Server.
        sip(
            PROXY,
            ALICE,
            "SIP/2.0 180 Ringing",
            &[via_a, from, to_b, invite, bob_server, contact_b],
            None,
        ),
        sip(
            BOB,
            PROXY,
            "SIP/2.0 200 OK",
            &[via_p, via_a, from, to_b, invite, bob_server, contact_b],
            bob_media,
        ),
        sip(
            PROXY,
            ALICE,
            "SIP/2.0 200 OK",
            &[via_a, from, to_b, invite, bob_server, contact_b],
            bob_media,
        ),
        sip(
            ALICE,
            BOB,
            "ACK sip:202@192.0.2.102:5060 SIP/2.0",
            &[via_a2, from, to_b, "CSeq: 1 ACK", alice_ua],
            None,
        ),
        sip(
            BOB,
            ALICE,
            "BYE sip:201@192.0.2.101:5060 SIP/2.0",
            &[
                via_b,
                "From: <sip:202@REALM>;tag=bob",
                "To: <sip:201@REALM>;tag=alice",
                "CSeq: 1 BYE",
                "User-Agent: Twinkle/1.4.2",
            ],
            None,
        ),
        sip(
            ALICE,
            BOB,
            "SIP/2.0 200 OK",
            &[
                via_b,
                "From: <sip:202@REALM>;tag=bob",
                "To: <sip:201@REALM>;tag=alice",
                "CSeq: 1 BYE",
                "Server: SFLphone",
            ],
            None,
        ),
    ]
}

/// An Ethernet/IPv4/UDP frame.
fn frame(src: ([u8; 4], u16), dst: ([u8; 4], u16), payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00];
    let total = u16::try_from(20 + 8 + payload.len()).unwrap();
    let mut ip = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0];
    ip[2..4].copy_from_slice(&total.to_be_bytes());
    ip.extend(src.0);
    ip.extend(dst.0);
    let sum: u32 = ip
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    let folded = (sum & 0xffff) + (sum >> 16);
    let checksum = !u16::try_from((folded & 0xffff) + (folded >> 16)).unwrap();
    ip[10..12].copy_from_slice(&checksum.to_be_bytes());
    f.extend(ip);
    f.extend(src.1.to_be_bytes());
    f.extend(dst.1.to_be_bytes());
    f.extend((total - 20).to_be_bytes());
    f.extend([0, 0]);
    f.extend(payload);
    f
}

/// Writes the course's call as a pcap: the SIP messages 10 ms apart, and after the ACK 10
/// RTP packets each way between Alice and Bob's gateway.
fn write_course_call(path: &Path, proxy_server: Option<&str>) {
    let mut frames: Vec<Vec<u8>> = Vec::new();
    for (i, m) in course_call(proxy_server).iter().enumerate() {
        frames.push(frame((m.from, 5060), (m.to, 5060), m.text.as_bytes()));
        if i == 7 {
            for seq in 0..10u16 {
                for (src, dst, ssrc) in [
                    ((ALICE, 7078), (GATEWAY, 20000), 0x1111_1111u32),
                    ((GATEWAY, 20000), (ALICE, 7078), 0x2222_2222),
                ] {
                    let mut rtp = vec![0x80, 8];
                    rtp.extend(seq.to_be_bytes());
                    rtp.extend((u32::from(seq) * 160).to_be_bytes());
                    rtp.extend(ssrc.to_be_bytes());
                    rtp.extend([0xd5; 160]);
                    frames.push(frame(src, dst, &rtp));
                }
            }
        }
    }
    let mut pcap: Vec<u8> = Vec::new();
    pcap.extend(0xa1b2_c3d4u32.to_le_bytes());
    pcap.extend(2u16.to_le_bytes());
    pcap.extend(4u16.to_le_bytes());
    pcap.extend([0; 8]);
    pcap.extend(65_535u32.to_le_bytes());
    pcap.extend(1u32.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        let usec = u32::try_from(i).unwrap() * 10_000;
        let len = u32::try_from(f.len()).unwrap();
        pcap.extend((1_406_481_649 + usec / 1_000_000).to_le_bytes());
        pcap.extend((usec % 1_000_000).to_le_bytes());
        pcap.extend(len.to_le_bytes());
        pcap.extend(len.to_le_bytes());
        pcap.extend(f);
    }
    std::fs::write(path, pcap).unwrap();
}

#[test]
fn a_relayed_invite_does_not_name_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    for (server, proxy) in [
        (
            Some("Server: kamailio (4.1.4 (x86_64/linux))"),
            "kamailio (4.1.4 (x86_64/linux))",
        ),
        // Without a Server of its own, the proxy keeps its address: the User-Agent of the
        // INVITE and the Server of the 180 and 200 it relayed are not its names.
        (None, "192.0.2.10:5060"),
    ] {
        let path = dir.path().join("course-call.pcap");
        write_course_call(&path, server);
        let file = path.to_str().unwrap();
        let flow = flow_json(file, "1");
        assert_eq!(
            columns(&flow),
            [
                named("SFLphone", None),
                named(proxy, Some("proxy")),
                named("Twinkle/1.4.2", None),
                named("198.51.100.50:20000", Some("media")),
            ]
        );
        if server.is_some() {
            let out = sipladder()
                .args(["flow", file, "--format", "ascii"])
                .output()
                .unwrap();
            let ladder = String::from_utf8(out.stdout).unwrap();
            insta::assert_snapshot!("course_call_ascii", ladder);
        }
    }
}

#[test]
fn media_away_from_the_sip_nodes_gets_a_column_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("course-call.pcap");
    write_course_call(&path, None);
    let file = path.to_str().unwrap();
    let flow = flow_json(file, "1");
    let media = flow["media"].as_array().unwrap();
    assert_eq!(media.len(), 1, "{media:?}");
    assert_eq!((&media[0]["from"], &media[0]["to"]), (&0.into(), &3.into()));
    for (format, line) in [
        ("ascii", "(media)"),
        ("mermaid", "(media)<br/>198.51.100.50#58;20000"),
        ("plantuml", "(media)\\n198.51.100.50:20000"),
        ("svg", r#"class="role">(media)</text>"#),
    ] {
        let out = sipladder()
            .args(["flow", file, "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(line), "{format}:\n{text}");
        assert!(text.contains("RTP PCMA 10 / 10 pkts"), "{format}:\n{text}");
    }
}

/// The captures to compare: every sample, and the corpus when `SIPLADDER_CORPUS` names it.
fn captures() -> Vec<String> {
    let mut dirs = vec![root().join("samples"), root().join("samples/public")];
    match std::env::var_os("SIPLADDER_CORPUS").map(PathBuf::from) {
        Some(dir) if dir.is_dir() => dirs.push(dir),
        _ => eprintln!("SIPLADDER_CORPUS is not set: the corpus is not compared"),
    }
    let mut files = Vec::new();
    for dir in dirs {
        let mut here: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.to_string_lossy();
                [".pcap", ".pcapng", ".cap", ".pcap.gz"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
            })
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        here.sort();
        files.extend(here);
    }
    files
}

/// A stream as the comparison sees it.
type Stream = (String, String, String, u64);

fn stream(s: &Value) -> Stream {
    (
        s["src"].as_str().unwrap().to_string(),
        s["dst"].as_str().unwrap().to_string(),
        s["ssrc"].as_str().unwrap().to_string(),
        s["packets"].as_u64().unwrap(),
    )
}

/// Every stream of every call is in its ladder, and the ladder tells the same diagnosis, in
/// the same words, as `calls`.
#[test]
fn every_stream_and_diagnosis_of_every_call_is_in_its_ladder() {
    let mut differences = Vec::new();
    for file in captures() {
        let calls = json(&["calls", "--json", &file]);
        let mut by_call: BTreeMap<u64, Vec<Stream>> = BTreeMap::new();
        for s in calls["media"].as_array().unwrap() {
            if let Some(call) = s["call"].as_u64() {
                by_call.entry(call).or_default().push(stream(s));
            }
        }
        for call in calls["calls"].as_array().unwrap() {
            let id = call["id"].as_u64().unwrap();
            let mut want = by_call.remove(&id).unwrap_or_default();
            let flow = flow_json(&file, &id.to_string());
            let mut got: Vec<Stream> = flow["media"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|line| line["streams"].as_array().unwrap().iter().map(stream))
                .collect();
            want.sort();
            got.sort();
            if got != want {
                differences.push(format!(
                    "{file} call {id}: calls --json {want:?}, flow {got:?}"
                ));
            }
            if call["diagnosis"] != flow["diagnosis"] {
                differences.push(format!(
                    "{file} call {id}: calls --json says {}, flow says {}",
                    call["diagnosis"], flow["diagnosis"]
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_report_shows_every_stream_of_every_call() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    for file in captures() {
        let calls = json(&["calls", "--json", &file]);
        let status = sipladder()
            .args(["report", &file, "--max-calls", "100000", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success(), "report {file}");
        let page = std::fs::read_to_string(&out).unwrap();
        for call in calls["calls"].as_array().unwrap() {
            let id = call["id"].as_u64().unwrap();
            let want: usize = calls["media"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["call"].as_u64() == Some(id))
                .count();
            let start = format!(r#"<section class="call" id="call-{id}""#);
            let Some(at) = page.find(&start) else {
                assert_eq!(want, 0, "{file} call {id}: no section");
                continue;
            };
            let section = &page[at..];
            let section = &section[..section.find("</section>").unwrap()];
            // One table row per stream, and one count per stream on the ladder's media lines.
            let rows = section
                .split("<table class=\"media\">")
                .nth(1)
                .map_or(0, |t| t.matches("<tr><td>").count());
            let drawn: usize = section
                .split(r#"<g class="media">"#)
                .skip(1)
                .map(|g| {
                    let label = &g[g.find('>').unwrap() + 1..g.find("</text>").unwrap()];
                    label.split(" / ").count()
                })
                .sum();
            assert_eq!((rows, drawn), (want, want), "{file} call {id}");
        }
    }
}
