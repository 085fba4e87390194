//! The read loop: every frame of the merged inputs through the decoder, every event to a sink.

use super::decode::{DecodeCounters, Decoder, Event, SipPayload};
use super::merge::MergedReader;
use super::rtp::RtpPacket;
use super::time::Timestamp;
use super::warning::{Warning, WarningKind};

/// What the read loop tells its caller at the end.
#[derive(Clone, Debug)]
pub struct ReadSummary {
    /// Per-layer counts.
    pub counters: DecodeCounters,
    /// Where inputs were cut or damaged (the results cover what came before).
    pub damage: Vec<Warning>,
}

impl ReadSummary {
    /// Some input was cut or damaged.
    pub fn damaged(&self) -> bool {
        !self.damage.is_empty()
    }
}

/// The result of work on a SIP message that depends on its bytes alone (parsing it), done
/// ahead of the sink; only the sink that asked for it knows its type.
pub type Prepared = Box<dyn std::any::Any + Send>;

/// Does that work: a pure function, so that whichever thread runs it, the result is the same.
pub type Prepare = fn(&SipPayload<'_>) -> Prepared;

/// Receives what the read loop finds.
pub trait EventSink {
    /// Called once per frame read, before its events.
    fn frame(&mut self, _ts: Timestamp) {}
    /// Called for each decoded event (file warnings included).
    fn event(&mut self, event: Event<'_>);
    /// An RTP packet: the same as `event(Event::Rtp(..))`, which is what it does unless the
    /// sink takes the packet more directly (most packets of a capture are RTP).
    fn rtp(&mut self, packet: &RtpPacket) {
        self.event(Event::Rtp(*packet));
    }
    /// Called now and then with the bytes of the inputs read so far.
    fn progress(&mut self, _bytes: u64) {}
    /// The work the sink would like done on SIP messages before they reach it. The two-thread
    /// read loop does it on the reading thread when that thread would otherwise wait for the
    /// sink, and hands the result to [`EventSink::prepared_sip`].
    fn preparer(&self) -> Option<Prepare> {
        None
    }
    /// A SIP message with the result of [`EventSink::preparer`]'s work on it.
    fn prepared_sip(&mut self, payload: SipPayload<'_>, _prepared: Prepared) {
        self.event(Event::Sip(payload));
    }
}

/// Reads every frame of the inputs and hands each frame and event to `sink`.
pub fn read_all(inputs: &mut MergedReader, sink: &mut dyn EventSink) -> ReadSummary {
    let mut decoder = Decoder::default().with_tls_keys(inputs.tls_keys());
    let mut damage = Vec::new();
    let mut forward = |warnings: Vec<Warning>, sink: &mut dyn EventSink| {
        for warning in warnings {
            if matches!(warning.kind, WarningKind::CaptureTruncated { .. }) {
                damage.push(warning.clone());
            }
            sink.event(Event::Warning(warning));
        }
    };
    loop {
        forward(inputs.take_warnings(), sink);
        let Some(frame) = inputs.next_frame() else {
            break;
        };
        let number = frame.number;
        sink.frame(frame.ts);
        decoder.decode(&frame, &mut |e| sink.event(e));
        if number % 4096 == 0 {
            sink.progress(inputs.bytes_read());
        }
    }
    decoder.finish(&mut |e| sink.event(e));
    forward(inputs.take_warnings(), sink);
    ReadSummary {
        counters: decoder.counters(),
        damage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{CaptureReader, Frame};
    use proptest::prelude::*;

    struct Count(u64);
    impl EventSink for Count {
        fn event(&mut self, _event: Event<'_>) {
            self.0 += 1;
        }
    }

    fn read_bytes(bytes: Vec<u8>) {
        if let Ok(reader) =
            CaptureReader::from_read("fuzz".into(), Box::new(std::io::Cursor::new(bytes)))
        {
            let mut merged = MergedReader::new(vec![reader]);
            read_all(&mut merged, &mut Count(0));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_frame_of_any_link_type_decodes_without_panic(
            linktype in prop::sample::select(vec![0, 1, 101, 108, 113, 228, 229, 276, 147]),
            data in prop::collection::vec(any::<u8>(), 0..600),
        ) {
            let mut decoder = Decoder::default();
            let frame = Frame { number: 1, ts: Timestamp(0), linktype, orig_len: 600, data: &data };
            decoder.decode(&frame, &mut |_| {});
            decoder.finish(&mut |_| {});
        }

        #[test]
        fn any_bytes_after_a_capture_header_read_without_panic(
            ng in any::<bool>(),
            tail in prop::collection::vec(any::<u8>(), 0..2000),
        ) {
            let mut bytes = if ng {
                // A section header block (28 bytes) then anything.
                vec![0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0]
            } else {
                vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                     0xff, 0xff, 0, 0, 1, 0, 0, 0]
            };
            bytes.extend_from_slice(&tail);
            read_bytes(bytes);
        }
    }

    /// Frames built around real SIP over Ethernet/IPv4/UDP and TCP, then damaged: every cut
    /// and many bit flips must decode without panic.
    #[test]
    fn damaged_sip_frames_decode_without_panic() {
        let sip = b"INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\nContent-Length: 5\r\n\r\nv=0\r\n";
        for proto in [17u8, 6] {
            let l4_len = if proto == 17 { 8 } else { 20 };
            let total = (20 + l4_len + sip.len()) as u16;
            let mut frame = vec![0u8; 12];
            frame.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 0, 0, 1, 0x20, 0, 64, proto, 0, 0]);
            frame[16..18].copy_from_slice(&total.to_be_bytes());
            frame.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2, 0x13, 0xc4, 0x13, 0xc4]);
            if proto == 17 {
                frame.extend_from_slice(&((8 + sip.len()) as u16).to_be_bytes());
                frame.extend_from_slice(&[0, 0]);
            } else {
                frame.extend_from_slice(&[
                    0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0,
                ]);
            }
            frame.extend_from_slice(sip);
            let mut decoder = Decoder::default();
            for cut in 0..frame.len() {
                let f = Frame {
                    number: cut as u64,
                    ts: Timestamp(0),
                    linktype: 1,
                    orig_len: 0,
                    data: &frame[..cut],
                };
                decoder.decode(&f, &mut |_| {});
            }
            let mut state = 0x2545_f491_u32;
            for n in 0..5_000u64 {
                let mut damaged = frame.clone();
                for _ in 0..3 {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let bit = state as usize % (damaged.len() * 8);
                    damaged[bit / 8] ^= 1 << (bit % 8);
                }
                let f = Frame {
                    number: n,
                    ts: Timestamp(n as i64 * 1_000_000),
                    linktype: 1,
                    orig_len: 0,
                    data: &damaged,
                };
                decoder.decode(&f, &mut |_| {});
            }
            decoder.finish(&mut |_| {});
        }
    }
}
