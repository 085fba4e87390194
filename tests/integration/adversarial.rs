//! Hostile captures: inputs built to exhaust memory or time, and text built to attack the
//! terminal or the documents sipladder writes.
//!
//! Memory is checked on the library's own counters (what the decoder and the correlator hold
//! between frames), not on the process size, so the tests are exact and not flaky. Every input
//! is generated in memory. Where the issue speaks of a million of something, the tests use
//! enough to cross the cap that bounds it (or lower the cap in proportion, and say so): the
//! cap, not the count, is what keeps memory bounded. Each of these cases was quadratic or
//! unbounded before its fix, and would now take minutes or gigabytes if it regressed.

use std::net::SocketAddr;

use sipladder::capture::tcp::{MAX_STREAMS, Segment, StreamKey, TcpReassembler};
use sipladder::capture::{
    CaptureReader, Decoder, Event, Frame, MAX_PENDING_BYTES, MAX_PENDING_DATAGRAMS, MergedReader,
    Timestamp, WarningKind, read_all,
};
use sipladder::correlate::{Correlator, Limits, Options};
use sipladder::sip::Message;
use sipladder::sip::framing::{self, MAX_HEADER_SECTION};

use crate::common::sipladder;

/// An IPv4 packet (no options) around `payload`.
fn ipv4(src: [u8; 4], dst: [u8; 4], protocol: u8, id: u16, frag: u16, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(&id.to_be_bytes());
    p.extend_from_slice(&frag.to_be_bytes());
    p.extend_from_slice(&[64, protocol, 0, 0]);
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    p.extend_from_slice(payload);
    p
}

fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::with_capacity(8 + payload.len());
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

/// A classic pcap file of raw IPv4 packets (LINKTYPE_RAW), one per `interval` microseconds.
fn pcap(packets: &[Vec<u8>], interval_us: u64) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&101u32.to_le_bytes());
    for (i, p) in packets.iter().enumerate() {
        let t = 1_700_000_000_000_000 + i as u64 * interval_us;
        out.extend_from_slice(&((t / 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(p);
    }
    out
}

fn invite(n: u32) -> String {
    format!(
        "INVITE sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK{n}\r\n\
         From: <sip:alice@192.0.2.1>;tag={n}\r\nTo: <sip:bob@192.0.2.2>\r\nCall-ID: {n}@a\r\n\
         CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
    )
}

/// A million INVITE dialogs that never end, scaled down: 20,000 dialogs under caps lowered to
/// 5,000 legs and 1,000 transactions make the same point as a million under the default
/// 1,000,000 and 200,000 (see `correlate::limits`). The correlator stays under every cap,
/// the warnings say what was dropped, and the calls within the cap are all there.
#[test]
fn endless_dialogs_stay_under_the_caps_and_say_what_was_dropped() {
    let packets: Vec<Vec<u8>> = (0..20_000u32)
        .map(|n| {
            let dst = [10, (n >> 16) as u8, (n >> 8) as u8, n as u8];
            ipv4(
                [192, 0, 2, 1],
                dst,
                17,
                0,
                0,
                &udp(5060, 5060, invite(n).as_bytes()),
            )
        })
        .collect();
    let bytes = pcap(&packets, 1000);
    let reader =
        CaptureReader::from_read("dialogs".into(), Box::new(std::io::Cursor::new(bytes))).unwrap();
    let limits = Limits {
        legs: 5_000,
        transactions: 1_000,
        kept_messages: 2_000,
        paths: 4_096,
        open_hosts: 4_096,
        ..Limits::default()
    };
    struct Watch {
        correlator: Correlator,
        limits: Limits,
        peak_transactions: usize,
    }
    impl sipladder::capture::EventSink for Watch {
        fn frame(&mut self, ts: Timestamp) {
            self.correlator.frame(ts);
        }
        fn event(&mut self, event: Event<'_>) {
            self.correlator.event(event);
            self.peak_transactions = self
                .peak_transactions
                .max(self.correlator.live_transactions());
            assert!(self.correlator.legs() <= self.limits.legs);
            assert!(self.correlator.kept_messages() <= self.limits.kept_messages);
            let (hosts, paths) = self.correlator.remembered_hosts_and_paths();
            assert!(hosts <= self.limits.open_hosts && paths <= self.limits.paths);
        }
    }
    let mut watch = Watch {
        correlator: Correlator::with_limits(
            Options {
                keep_messages: true,
                keep_raw: false,
                only_call_ids: None,
                ..Options::default()
            },
            limits,
        ),
        limits,
        peak_transactions: 0,
    };
    read_all(&mut MergedReader::new(vec![reader]), &mut watch);
    assert!(watch.peak_transactions <= limits.transactions);
    let correlation = watch.correlator.finish();
    assert_eq!(correlation.calls.len(), 5_000);
    assert_eq!(correlation.dropped.messages_beyond_leg_cap, 15_000);
    let warnings: Vec<String> = correlation.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("more than 5000 Call-IDs; 15000 later messages")),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|w| w.contains("transactions at once")));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("records of 18000 later ones"))
    );
}

fn key(port: u16) -> StreamKey {
    StreamKey {
        src: SocketAddr::from(([192, 0, 2, 1], port)),
        dst: SocketAddr::from(([192, 0, 2, 2], 5060)),
    }
}

/// Feeds `stream` to a reassembler in 1460-byte segments; returns the messages' first lines
/// and the warnings, after checking the bytes held after every segment against `cap`.
fn feed_stream(stream: &[u8], cap: usize) -> (Vec<String>, Vec<WarningKind>) {
    let mut tcp = TcpReassembler::default();
    let mut messages = Vec::new();
    let mut warnings = Vec::new();
    let mut seq = 1000u32;
    for (i, chunk) in stream.chunks(1460).enumerate() {
        tcp.push(
            Segment {
                key: key(40000),
                seq,
                ack: None,
                syn: false,
                fin_or_rst: false,
                payload: chunk,
            },
            i as u64 + 1,
            Timestamp(i as i64 * 1000),
            &mut |m| {
                let line = m.bytes.split(|b| *b == b'\r').next().unwrap_or_default();
                messages.push(String::from_utf8_lossy(line).into_owned());
            },
            &mut |w| warnings.push(w),
        );
        seq = seq.wrapping_add(chunk.len() as u32);
        // A whole-stream sum is a pass over the streams: check it every 64 segments.
        if i % 64 == 0 {
            assert!(
                tcp.buffered_bytes() <= cap,
                "{} bytes held",
                tcp.buffered_bytes()
            );
        }
    }
    tcp.finish(
        &mut |m| messages.push(String::from_utf8_lossy(&m.bytes[..20]).into_owned()),
        &mut |w| warnings.push(w),
    );
    (messages, warnings)
}

const OPTIONS: &str =
    "OPTIONS sip:b@192.0.2.2 SIP/2.0\r\nCall-ID: after\r\nContent-Length: 0\r\n\r\n";

/// A 10 MB header line on TCP: at most the header-section cap is held, the bytes are skipped
/// with a warning, and the message after them is found.
#[test]
fn a_ten_megabyte_header_line_is_skipped_in_bounded_memory() {
    let mut stream = b"INVITE sip:bob@192.0.2.2 SIP/2.0\r\nX-Long: ".to_vec();
    stream.resize(10 << 20, b'a');
    stream.extend_from_slice(b"\r\n\r\n");
    stream.extend_from_slice(OPTIONS.as_bytes());
    let (messages, warnings) = feed_stream(&stream, MAX_HEADER_SECTION + 1460);
    assert_eq!(messages, vec!["OPTIONS sip:b@192.0.2.2 SIP/2.0"]);
    assert!(warnings.iter().any(|w| matches!(
        w,
        WarningKind::TcpUnframed { reason, .. } if reason.contains("256 KiB")
    )));
    // The parser, given such a message whole, reads it in bounded steps and says why.
    let mut whole = b"INVITE sip:bob@192.0.2.2 SIP/2.0\r\nCall-ID: x\r\nX-Long: ".to_vec();
    whole.resize(10 << 20, b'a');
    whole.extend_from_slice(b"\r\n\r\n");
    let message = Message::parse(&whole).unwrap();
    assert!(!message.diagnose().is_empty());
}

/// A Content-Length of 4 GB: not waited for (it exceeds the 16 MiB body cap), said in a
/// warning, and the next message is found; over UDP the body is what the datagram holds.
#[test]
fn a_content_length_of_four_gigabytes_is_not_waited_for() {
    let mut stream =
        b"MESSAGE sip:bob@192.0.2.2 SIP/2.0\r\nContent-Length: 4294967296\r\n\r\n".to_vec();
    stream.extend(std::iter::repeat_n(b'x', 3000));
    stream.extend_from_slice(b"\r\n");
    stream.extend_from_slice(OPTIONS.as_bytes());
    let (messages, warnings) = feed_stream(&stream, 2 * 1460 + 8192);
    assert_eq!(
        messages,
        vec![
            "MESSAGE sip:bob@192.0.2.2 SIP/2.0",
            "OPTIONS sip:b@192.0.2.2 SIP/2.0"
        ]
    );
    assert!(warnings.iter().any(|w| matches!(
        w,
        WarningKind::BadContentLength { detail } if detail.contains("unusable Content-Length")
    )));
    let datagram = &stream[..stream.len() - OPTIONS.len()];
    let framed = framing::frame_datagram(datagram).unwrap();
    assert_eq!(framed.content_length, framing::ContentLength::TooLarge);
    assert_eq!(framed.len, datagram.len());
    let message = Message::parse(datagram).unwrap();
    assert!(message.body.len() <= datagram.len());
}

/// A TCP stream with no message boundary: a start line, then header lines that never end.
/// What is held stays under the header-section cap, the skipped bytes are said, and the
/// stream is followed again at the next start line.
#[test]
fn a_tcp_stream_without_a_message_boundary_stays_bounded() {
    let mut stream = b"INVITE sip:bob@192.0.2.2 SIP/2.0\r\n".to_vec();
    while stream.len() < 8 << 20 {
        stream.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
    }
    stream.extend_from_slice(OPTIONS.as_bytes());
    let (messages, warnings) = feed_stream(&stream, MAX_HEADER_SECTION + 1460);
    assert_eq!(messages, vec!["OPTIONS sip:b@192.0.2.2 SIP/2.0"]);
    let skipped: u64 = warnings
        .iter()
        .map(|w| match w {
            WarningKind::TcpUnframed { bytes, .. } => *bytes,
            _ => 0,
        })
        .sum();
    assert_eq!(skipped as usize, stream.len() - OPTIONS.len());
}

/// More TCP connections than [`MAX_STREAMS`]: the least recently active are dropped a batch at
/// a time (a pass over all streams per new one made this quadratic), with a warning.
#[test]
fn endless_new_connections_stay_under_the_stream_cap() {
    let mut tcp = TcpReassembler::default();
    let mut warnings = 0;
    let total = MAX_STREAMS + MAX_STREAMS / 8;
    for n in 0..total {
        let k = StreamKey {
            src: SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 5060)),
            dst: SocketAddr::from(([192, 0, 2, 2], 5060)),
        };
        tcp.push(
            Segment {
                key: k,
                seq: 1,
                ack: None,
                syn: false,
                fin_or_rst: false,
                payload: b"INVITE sip:b@x SIP/2.0\r\nVia: x\r\n",
            },
            n as u64,
            Timestamp(n as i64),
            &mut |_| {},
            &mut |w| {
                assert!(matches!(w, WarningKind::LimitReached { .. }));
                warnings += 1;
            },
        );
    }
    assert!(tcp.peak_streams() <= MAX_STREAMS);
    assert!(tcp.evicted_streams >= (total - MAX_STREAMS) as u64);
    assert!((1..=16).contains(&warnings), "{warnings} warnings");
}

/// 100,000 IP fragments that never complete, through the whole decoder: the pool stays under
/// its caps, drops the oldest with a warning, and says at the end what never completed.
#[test]
fn a_hundred_thousand_fragments_that_never_complete() {
    let mut decoder = Decoder::default();
    let mut limit_warnings = 0;
    let mut incomplete = 0;
    let payload = [0x55u8; 512];
    for n in 0..100_000u32 {
        // First fragments only (offset 0, more fragments), each of its own datagram.
        let packet = ipv4(
            [192, 0, 2, (n >> 16) as u8],
            [192, 0, 2, 200],
            17,
            n as u16,
            0x2000,
            &payload,
        );
        let frame = Frame {
            number: u64::from(n) + 1,
            ts: Timestamp(i64::from(n) * 100_000),
            linktype: 101,
            orig_len: packet.len() as u32,
            data: &packet,
        };
        decoder.decode(&frame, &mut |e| match e {
            Event::Warning(w) if matches!(w.kind, WarningKind::LimitReached { .. }) => {
                limit_warnings += 1
            }
            Event::Warning(w) => {
                if let WarningKind::FragmentsIncomplete { datagrams, .. } = w.kind {
                    incomplete += datagrams;
                }
            }
            _ => {}
        });
        let held = decoder.held();
        assert!(held.ip_datagrams <= MAX_PENDING_DATAGRAMS);
        assert!(held.ip_bytes <= MAX_PENDING_BYTES);
    }
    decoder.finish(&mut |e| {
        if let Event::Warning(w) = e {
            if let WarningKind::FragmentsIncomplete { datagrams, .. } = w.kind {
                incomplete += datagrams;
            }
        }
    });
    assert!(limit_warnings > 0);
    assert!(incomplete > 0);
    assert_eq!(decoder.counters().ip_fragments, 100_000);
}

/// A capture whose User-Agent, Server and display names carry terminal escapes, quotes and
/// markup: no output format lets a control character through (no ANSI injection), SVG stays
/// well-formed with the markup as text, and Mermaid (rendered as HTML) escapes it.
#[test]
fn hostile_text_is_escaped_in_every_output() {
    let hostile_ua = "Evil\x1b[2J\x1b]0;owned\x07 \"q\" <script>alert(1)</script>";
    let request = format!(
        "INVITE sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n\
         From: \"Eve\x1b[31m <script>x</script> \\\"q\\\"\" <sip:eve@192.0.2.1>;tag=1\r\n\
         To: \"Bob\x1b[1A\" <sip:bob@192.0.2.2>\r\nCall-ID: c\x1b[0m1@a\r\nCSeq: 1 INVITE\r\n\
         User-Agent: {hostile_ua}\r\nContent-Length: 0\r\n\r\n"
    );
    let response = format!(
        "SIP/2.0 486 Busy\x1b[5m Here\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n\
         From: <sip:eve@192.0.2.1>;tag=1\r\nTo: <sip:bob@192.0.2.2>;tag=2\r\n\
         Call-ID: c\x1b[0m1@a\r\nCSeq: 1 INVITE\r\nServer: {hostile_ua}\r\nContent-Length: 0\r\n\r\n"
    );
    let packets = vec![
        ipv4(
            [192, 0, 2, 1],
            [192, 0, 2, 2],
            17,
            1,
            0,
            &udp(5060, 5060, request.as_bytes()),
        ),
        ipv4(
            [192, 0, 2, 2],
            [192, 0, 2, 1],
            17,
            2,
            0,
            &udp(5060, 5060, response.as_bytes()),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hostile.pcap");
    std::fs::write(&capture, pcap(&packets, 1000)).unwrap();

    let mut runs: Vec<Vec<&str>> = vec![vec!["calls"], vec!["calls", "--json"], vec!["stats"]];
    for format in ["ascii", "unicode", "svg", "mermaid", "plantuml", "json"] {
        runs.push(vec!["flow", "--format", format]);
    }
    for args in runs {
        let out = sipladder().args(&args).arg(&capture).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?} lets a control character through:\n{text}"
        );
        // Markup is text in a terminal; in formats read as markup it must be escaped.
        if args.contains(&"svg") || args.contains(&"mermaid") {
            assert!(
                !text.contains("<script"),
                "{args:?} lets markup through:\n{text}"
            );
        }
        if args.contains(&"svg") {
            let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
            assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
            assert!(text.contains("&quot;q&quot; &lt;scri"), "{text}");
        }
    }
}

/// `-o` never writes over a capture being read, however the path is spelled.
#[test]
fn output_never_overwrites_the_input_capture() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("in.pcap");
    let original = std::fs::read(crate::common::root().join("samples/lab-udp.pcap")).unwrap();
    std::fs::write(&capture, &original).unwrap();
    let spelled = [
        capture.clone(),
        dir.path().join(".").join("in.pcap"),
        dir.path().join("sub/../in.pcap"),
    ];
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for target in spelled {
        let out = sipladder()
            .args(["flow", "--format", "ascii", "-o"])
            .arg(&target)
            .arg(&capture)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{target:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write"));
        assert_eq!(std::fs::read(&capture).unwrap(), original, "{target:?}");
    }
}
