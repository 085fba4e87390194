//! Fuzzes TCP reassembly and SIP stream framing (plain and WebSocket): the input is a stream
//! of bytes cut into segments that the fuzzer reorders, repeats, drops, acknowledges and ends.
//!
//! Input: `data[0] % 64` control bytes, then the stream. Each control byte makes one segment
//! of `((c & 0x0f) + 1)^2` bytes; its high nibble says what happens to it (see `Op`). What is
//! left after the last control byte goes in one final segment. A seed is `\0` followed by a
//! raw SIP message (or several), which is delivered in one segment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipladder::capture::Timestamp;
use sipladder::capture::tcp::{
    MAX_BUFFERED_BYTES, MAX_STREAMS, Segment, StreamKey, TcpReassembler,
};
use sipladder::sip::framing;

fn key(port: u16) -> StreamKey {
    StreamKey {
        src: std::net::SocketAddr::from(([192, 0, 2, 1], port)),
        dst: std::net::SocketAddr::from(([192, 0, 2, 2], 5060)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let k = usize::from(first % 64).min(rest.len());
    let (control, stream) = rest.split_at(k);
    let mut tcp = TcpReassembler::default();
    // Start near the wrap of the sequence space.
    let isn: u32 = 0xffff_ff00;
    let mut seq = isn.wrapping_add(1);
    let mut at = 0usize;
    let mut frame = 0u64;
    let mut now = 0i64;
    let mut port = 40000u16;
    let mut held: Option<(u32, &[u8])> = None;
    let mut messages = 0u64;
    let mut push = |tcp: &mut TcpReassembler,
                    key: StreamKey,
                    seq: u32,
                    ack: Option<u32>,
                    syn: bool,
                    fin: bool,
                    payload: &[u8],
                    frame: u64,
                    now: i64| {
        tcp.push(
            Segment {
                key,
                seq,
                ack,
                syn,
                fin_or_rst: fin,
                payload,
            },
            frame,
            Timestamp(now),
            &mut |m| {
                assert!(
                    m.first_frame <= m.frame,
                    "a message completes after it starts"
                );
                assert!(m.frame <= frame);
                assert!(
                    framing::start_line(m.bytes).is_some(),
                    "framed at a start line"
                );
                messages += 1;
            },
            &mut |w| {
                let _ = w.to_string();
            },
        );
        assert!(tcp.live_streams() <= MAX_STREAMS);
        assert!(tcp.buffered_bytes() <= MAX_BUFFERED_BYTES);
    };
    frame += 1;
    push(&mut tcp, key(port), isn, None, true, false, &[], frame, now);
    for &c in control {
        let len = (usize::from(c & 0x0f) + 1).pow(2);
        let end = (at + len).min(stream.len());
        let payload = stream.get(at..end).unwrap_or_default();
        let this_seq = seq;
        at = end;
        seq = seq.wrapping_add(payload.len() as u32);
        frame += 1;
        now += 1_000_000;
        let k = key(port);
        match c >> 4 {
            // Held back: delivered after the next segment (out of order).
            8 => {
                if let Some((s, p)) = held.replace((this_seq, payload)) {
                    push(&mut tcp, k, s, None, false, false, p, frame, now);
                }
                continue;
            }
            // Sent twice (a retransmission), the second time overlapping the one before.
            9 => {
                push(
                    &mut tcp, k, this_seq, None, false, false, payload, frame, now,
                );
                let back = payload.len() / 2;
                let again = stream.get(at - back..at).unwrap_or_default();
                push(
                    &mut tcp,
                    k,
                    seq.wrapping_sub(back as u32),
                    None,
                    false,
                    false,
                    again,
                    frame,
                    now,
                );
            }
            // Never captured: a gap.
            10 => {}
            // The last segment: FIN.
            11 => push(
                &mut tcp, k, this_seq, None, false, true, payload, frame, now,
            ),
            // The receiver acknowledges everything sent so far.
            12 => {
                push(
                    &mut tcp, k, this_seq, None, false, false, payload, frame, now,
                );
                push(
                    &mut tcp,
                    k.reverse(),
                    1,
                    Some(seq),
                    false,
                    false,
                    &[],
                    frame,
                    now,
                );
            }
            // Time jumps past the gap and idle timeouts.
            13 => {
                now += 400_000_000_000;
                push(
                    &mut tcp, k, this_seq, None, false, false, payload, frame, now,
                );
            }
            // A new connection from another port, starting over with a SYN.
            14 => {
                port = port.wrapping_add(1);
                push(&mut tcp, key(port), isn, None, true, false, &[], frame, now);
                seq = isn.wrapping_add(1);
                push(
                    &mut tcp,
                    key(port),
                    seq,
                    None,
                    false,
                    false,
                    payload,
                    frame,
                    now,
                );
                seq = seq.wrapping_add(payload.len() as u32);
            }
            _ => push(
                &mut tcp, k, this_seq, None, false, false, payload, frame, now,
            ),
        }
        if let Some((s, p)) = held.take() {
            push(&mut tcp, k, s, None, false, false, p, frame, now);
        }
    }
    frame += 1;
    let tail = stream.get(at..).unwrap_or_default();
    push(
        &mut tcp,
        key(port),
        seq,
        None,
        false,
        false,
        tail,
        frame,
        now,
    );
    if let Some((s, p)) = held.take() {
        push(&mut tcp, key(port), s, None, false, false, p, frame, now);
    }
    tcp.finish(
        &mut |m| {
            assert!(framing::start_line(m.bytes).is_some());
            messages += 1;
        },
        &mut |w| {
            let _ = w.to_string();
        },
    );
    let _ = messages;
});
