//! Reassembly and framing on made-up segments.

use std::net::SocketAddr;

use super::super::time::Timestamp;
use super::super::warning::WarningKind;
use super::reassembly::Stream;
use super::*;

const A: &[u8] = b"OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n";
const B: &[u8] =
    b"INVITE sip:b SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=-\r\n";

fn key() -> StreamKey {
    StreamKey {
        src: "192.0.2.1:5060".parse().unwrap(),
        dst: "192.0.2.2:5060".parse().unwrap(),
    }
}

/// Feeds (seq, payload) segments; returns the messages and warnings. A segment with an
/// empty payload stands for the SYN.
/// A framed message: bytes, first frame, completing frame.
type Got = (Vec<u8>, u64, u64);

fn run(segments: &[(u32, &[u8])]) -> (Vec<Got>, Vec<WarningKind>) {
    let mut tcp = TcpReassembler::default();
    let mut msgs = Vec::new();
    let mut warns = Vec::new();
    for (i, (seq, payload)) in segments.iter().enumerate() {
        tcp.push(
            Segment {
                key: key(),
                seq: *seq,
                ack: None,
                syn: payload.is_empty(),
                fin_or_rst: false,
                payload,
            },
            i as u64 + 1,
            Timestamp(i as i64),
            &mut |m| msgs.push((m.bytes.to_vec(), m.first_frame, m.frame)),
            &mut |w| warns.push(w),
        );
        let actual: usize = tcp.streams.values().map(Stream::footprint).sum();
        assert_eq!(tcp.buffered_bytes(), actual, "running count of bytes held");
    }
    tcp.finish(
        &mut |m| msgs.push((m.bytes.to_vec(), m.first_frame, m.frame)),
        &mut |w| warns.push(w),
    );
    (msgs, warns)
}

fn both() -> Vec<u8> {
    [A, B].concat()
}

#[test]
fn several_messages_in_one_segment() {
    let (msgs, warns) = run(&[(1000, &both())]);
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[1].0, B);
    assert!(warns.is_empty(), "{warns:?}");
}

#[test]
fn one_message_over_many_segments_in_any_order() {
    let all = both();
    // Every split point, delivered in order and in reverse order.
    for cut in 1..all.len() {
        let (x, y) = all.split_at(cut);
        let (msgs, _) = run(&[(7, x), (7 + cut as u32, y)]);
        assert_eq!(msgs.len(), 2, "in order, cut {cut}");
        let (msgs, warns) = run(&[(6, b""), (7 + cut as u32, y), (7, x)]);
        assert_eq!(msgs.len(), 2, "reversed, cut {cut}: {warns:?}");
    }
}

#[test]
fn retransmissions_and_overlaps_are_dropped() {
    let all = both();
    let (msgs, warns) = run(&[
        (0, &all[..30]),
        (0, &all[..30]),
        (20, &all[20..60]),
        (60, &all[60..]),
        (60, &all[60..]),
    ]);
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].0, A);
    assert_eq!(msgs[1].0, B);
    assert!(warns.is_empty());
}

#[test]
fn sequence_numbers_wrap() {
    let all = both();
    let start = u32::MAX - 10;
    let (msgs, _) = run(&[(start, &all[..20]), (start.wrapping_add(20), &all[20..])]);
    assert_eq!(msgs.len(), 2);
}

#[test]
fn a_gap_loses_one_message_and_framing_resumes() {
    let mut all = both();
    all.extend_from_slice(A);
    let b_start = A.len();
    let (msgs, warns) = run(&[
        (0, &all[..b_start + 10]),
        // bytes b_start+10 .. b_start+30 are never captured
        (b_start as u32 + 30, &all[b_start + 30..]),
    ]);
    assert_eq!(
        msgs.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
        vec![A.to_vec(), A.to_vec()]
    );
    assert!(
        warns
            .iter()
            .any(|w| matches!(w, WarningKind::TcpGap { bytes: 20, .. }))
    );
}

#[test]
fn a_stream_that_only_looked_like_sip_is_dropped_quietly() {
    let (msgs, warns) = run(&[
        (0, b"GET /"),
        (5, b"index.html HTTP/1.1\r\nHost: x\r\n\r\n"),
    ]);
    assert!(msgs.is_empty());
    assert!(warns.is_empty(), "{warns:?}");
}

#[test]
fn messages_keep_the_frames_that_carried_them() {
    let all = both();
    let cut = A.len() + 10;
    // Frame 2 brings the end of A and the start of B; frame 3 (out of order, before it)
    // the rest of B; frame 4 the start of A.
    let (msgs, _) = run(&[
        (6, b""),
        (7 + 20, &all[20..cut]),
        (7 + cut as u32, &all[cut..]),
        (7, &all[..20]),
    ]);
    assert_eq!(msgs.len(), 2);
    // A's bytes came in frames 4 and 2: complete when frame 4 arrived.
    assert_eq!(msgs[0], (A.to_vec(), 2, 4));
    // B's bytes came in frames 2 and 3.
    assert_eq!(msgs[1], (B.to_vec(), 2, 3));
}

#[test]
fn an_acknowledged_hole_is_a_gap_at_once() {
    let all = both();
    let mut tcp = TcpReassembler::default();
    let mut msgs = Vec::new();
    let mut warns = Vec::new();
    let seg = |seq: u32, ack: Option<u32>, key: StreamKey, payload: &'static [u8]| Segment {
        key,
        seq,
        ack,
        syn: false,
        fin_or_rst: false,
        payload,
    };
    let all: &'static [u8] = Box::leak(all.into_boxed_slice());
    let mut push = |s: Segment<'static>, frame: u64| {
        tcp.push(
            s,
            frame,
            Timestamp(0),
            &mut |m| msgs.push((m.bytes.to_vec(), m.frame)),
            &mut |w| warns.push(w),
        );
    };
    push(seg(0, None, key(), &all[..10]), 1);
    // bytes 10..20 never captured; B starts at A.len()
    push(seg(20, None, key(), &all[20..]), 2);
    // The receiver acknowledges everything: the hole was delivered, the capture missed it.
    push(seg(500, Some(all.len() as u32), key().reverse(), b""), 3);
    assert!(
        warns
            .iter()
            .any(|w| matches!(w, WarningKind::TcpGap { bytes: 10, .. })),
        "{warns:?}"
    );
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].0, B);
    assert_eq!(msgs[0].1, 2, "B keeps the frame that carried it");
}

#[test]
fn non_sip_streams_are_not_buffered() {
    let mut tcp = TcpReassembler::default();
    let mut n = 0;
    for i in 0..100u32 {
        tcp.push(
            Segment {
                key: key(),
                seq: i * 1000,
                ack: None,
                syn: false,
                fin_or_rst: false,
                payload: &[0x17; 1000],
            },
            u64::from(i),
            Timestamp(0),
            &mut |_| n += 1,
            &mut |_| {},
        );
    }
    assert_eq!(n, 0);
    let stream = tcp.streams.get(&key()).unwrap();
    assert!(stream.content.is_empty());
}

/// A message fed one byte per segment used to be framed again from its start at every
/// segment: time quadratic in the header section (minutes for 64 KiB of short lines).
#[test]
fn one_byte_segments_do_not_reframe_from_the_start() {
    let mut message = b"INVITE sip:b SIP/2.0\r\n".to_vec();
    while message.len() < 64 * 1024 {
        message.extend_from_slice(b"X: y\r\n");
    }
    message.extend_from_slice(b"Content-Length: 4\r\n\r\nv=0\n");
    let segments: Vec<(u32, &[u8])> = message
        .chunks(1)
        .enumerate()
        .map(|(i, b)| (i as u32 + 1, b))
        .collect();
    let (msgs, warns) = run(&segments);
    assert_eq!(msgs.len(), 1, "{warns:?}");
    assert_eq!(msgs[0].0, message);
}

/// Many streams each waiting for a large body: each is within its own caps, together they
/// were not bounded. The streams holding most are emptied, with a warning.
#[test]
fn bytes_held_over_all_streams_stay_under_the_cap() {
    let mut tcp = TcpReassembler::default();
    let mut warnings = Vec::new();
    let head = b"MESSAGE sip:b SIP/2.0\r\nContent-Length: 16000000\r\n\r\n";
    let body = vec![b'x'; 60_000];
    for port in 0..40u16 {
        let k = StreamKey {
            src: SocketAddr::from(([192, 0, 2, 1], 10_000 + port)),
            dst: SocketAddr::from(([192, 0, 2, 2], 5060)),
        };
        let mut seq = 1u32;
        for i in 0..130u32 {
            let payload: &[u8] = if i == 0 { head } else { &body };
            tcp.push(
                Segment {
                    key: k,
                    seq,
                    ack: None,
                    syn: false,
                    fin_or_rst: false,
                    payload,
                },
                u64::from(i),
                Timestamp(0),
                &mut |_| {},
                &mut |w| warnings.push(w),
            );
            seq = seq.wrapping_add(payload.len() as u32);
            assert!(tcp.buffered_bytes() <= MAX_BUFFERED_BYTES);
        }
    }
    let actual: usize = tcp.streams.values().map(Stream::footprint).sum();
    assert_eq!(actual, tcp.buffered_bytes(), "the running count is exact");
    assert!(tcp.peak_buffered_bytes() <= MAX_BUFFERED_BYTES + 60_000);
    assert!(
        warnings.iter().any(
            |w| matches!(w, WarningKind::LimitReached { detail } if detail.contains("256 MiB"))
        ),
        "{warnings:?}"
    );
}
