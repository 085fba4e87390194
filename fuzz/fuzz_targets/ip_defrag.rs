//! Fuzzes IP fragment reassembly: the input is a list of IPv4 and IPv6 fragments (overlapping,
//! repeated, contradictory, never completing), given both to the fragment pool alone and, as
//! raw IP frames, to the whole decoder (so reassembled datagrams go on to UDP, TCP, SCTP, ICMP).
//!
//! Input: records of a 7-byte header and a payload. Header: datagram id (1 byte, so fragments
//! collide), IPv6 flag and protocol selector (1), offset in 8-byte units (2, big endian, the top
//! bit is "more fragments"), payload length (1), time step in 10 ms (1), source selector (1).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipladder::capture::defrag::{Defragmenter, Fragment, FragmentKey, FragmentOutcome};
use sipladder::capture::{Decoder, Frame, MAX_PENDING_DATAGRAMS, Timestamp};

const PROTOCOLS: [u8; 4] = [17, 6, 132, 1];

fuzz_target!(|data: &[u8]| {
    let mut pool = Defragmenter::default();
    let mut decoder = Decoder::default();
    let mut rest = data;
    let mut now = 0i64;
    let mut frame = 0u64;
    while let Some((h, tail)) = rest.split_first_chunk::<7>() {
        let len = usize::from(h[4]).min(tail.len());
        let (payload, tail) = tail.split_at(len);
        rest = tail;
        frame += 1;
        now += i64::from(h[5]) * 10_000_000;
        let v6 = h[1] & 0x80 != 0;
        let protocol = PROTOCOLS[usize::from(h[1] & 3)];
        let raw_offset = u16::from_be_bytes([h[2], h[3]]);
        let more = raw_offset & 0x8000 != 0;
        let offset = raw_offset & 0x1fff;
        let src = [192, 0, 2, h[6] & 3];
        let dst = [192, 0, 2, 200];

        // The pool alone.
        if let Ok(offset) = etherparse::IpFragOffset::try_new(offset) {
            let fragment = Fragment {
                key: FragmentKey {
                    src: std::net::IpAddr::from(src),
                    dst: std::net::IpAddr::from(dst),
                    id: u32::from(h[0]),
                    protocol,
                },
                offset,
                more,
                payload,
            };
            match pool.add(fragment, Timestamp(now), frame) {
                FragmentOutcome::Complete(done) => {
                    assert_eq!(done.protocol, protocol);
                    assert!(done.first_frame <= frame);
                }
                FragmentOutcome::Stored | FragmentOutcome::Invalid(_) => {}
            }
            assert!(pool.incomplete() <= MAX_PENDING_DATAGRAMS);
            if h[5] == 0xff {
                pool.expire(Timestamp(now));
            }
        }

        // The same fragment as a raw IP frame through the decoder.
        let mut packet = Vec::with_capacity(48 + payload.len());
        if v6 {
            let payload_len = (8 + payload.len()) as u16;
            packet.extend_from_slice(&[0x60, 0, 0, 0]);
            packet.extend_from_slice(&payload_len.to_be_bytes());
            packet.extend_from_slice(&[44, 64]);
            for addr in [src, dst] {
                packet.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0]);
                packet.extend_from_slice(&addr);
            }
            let frag = (offset << 3) | u16::from(more);
            packet.extend_from_slice(&[protocol, 0]);
            packet.extend_from_slice(&frag.to_be_bytes());
            packet.extend_from_slice(&u32::from(h[0]).to_be_bytes());
        } else {
            let total = (20 + payload.len()) as u16;
            let flags = offset | if more { 0x2000 } else { 0 };
            packet.extend_from_slice(&[0x45, 0]);
            packet.extend_from_slice(&total.to_be_bytes());
            packet.extend_from_slice(&[0, h[0]]);
            packet.extend_from_slice(&flags.to_be_bytes());
            packet.extend_from_slice(&[64, protocol, 0, 0]);
            packet.extend_from_slice(&src);
            packet.extend_from_slice(&dst);
        }
        packet.extend_from_slice(payload);
        let f = Frame {
            number: frame,
            ts: Timestamp(now),
            linktype: 101,
            orig_len: packet.len() as u32,
            data: &packet,
        };
        decoder.decode(&f, &mut |e| {
            if let sipladder::capture::Event::Warning(w) = e {
                let _ = w.to_string();
            }
        });
    }
    decoder.finish(&mut |_| {});
});
