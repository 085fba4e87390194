//! SIP over SCTP (RFC 4168): DATA chunks, several per packet, and user messages fragmented
//! over several chunks, reassembled by TSN with bounded memory.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::net::SocketAddr;

use super::encap::{be16, be32};
use super::time::Timestamp;

/// Chunks read per SCTP packet before the rest is ignored.
const MAX_CHUNKS: usize = 64;
/// Bytes of fragments held per association direction.
pub const MAX_PENDING_BYTES: usize = 1 << 20;
/// Fragments of an incomplete user message are dropped after this long.
pub const FRAGMENT_TIMEOUT_NANOS: i64 = 30_000_000_000;
/// Fragments held per association direction and stream. Empty DATA chunks add no bytes, so
/// without a count a flood of them grew memory without end, and each new one walked back over
/// all the others (quadratic time).
pub const MAX_PENDING_FRAGMENTS: usize = 128;
/// Association directions and streams with fragments held at once; beyond this the ones
/// waiting longest are dropped, a batch at a time.
pub const MAX_PENDING_STREAMS: usize = 4096;

/// A DATA chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataChunk<'a> {
    /// Transmission sequence number.
    pub tsn: u32,
    /// Stream identifier.
    pub stream: u16,
    /// First fragment of a user message.
    pub begin: bool,
    /// Last fragment of a user message.
    pub end: bool,
    /// User data.
    pub data: &'a [u8],
}

/// The ports and DATA chunks of an SCTP packet (other chunk types are skipped).
pub fn parse(packet: &[u8]) -> Option<(u16, u16, Vec<DataChunk<'_>>)> {
    packet.get(..12)?; // ports, verification tag, checksum
    let src_port = be16(packet, 0)?;
    let dst_port = be16(packet, 2)?;
    let mut chunks = Vec::new();
    let mut at = 12;
    for _ in 0..MAX_CHUNKS {
        let Some(kind) = packet.get(at).copied() else {
            break;
        };
        let flags = *packet.get(at + 1)?;
        let len = usize::from(be16(packet, at + 2)?);
        if len < 4 {
            break;
        }
        if kind == 0 && len >= 16 {
            let data = packet
                .get(at + 16..at + len)
                .or_else(|| packet.get(at + 16..))?;
            chunks.push(DataChunk {
                tsn: be32(packet, at + 4)?,
                stream: be16(packet, at + 8)?,
                begin: flags & 0x02 != 0,
                end: flags & 0x01 != 0,
                data,
            });
        }
        at += len.div_ceil(4) * 4;
    }
    Some((src_port, dst_port, chunks))
}

#[derive(Default)]
struct Pending {
    fragments: BTreeMap<u32, (Vec<u8>, bool, bool, u64)>,
    bytes: usize,
    since: Timestamp,
    /// Held fragments that begin, and that end, a user message: until there is one of each,
    /// no message can be complete and the walk over the run is skipped.
    begins: usize,
    ends: usize,
}

/// Rebuilds user messages fragmented over several DATA chunks.
#[derive(Default)]
pub struct SctpReassembler {
    pending: HashMap<(SocketAddr, SocketAddr, u16), Pending>,
    /// Fragments dropped (cap or timeout).
    pub dropped_fragments: u64,
}

impl SctpReassembler {
    /// Association directions and streams with fragments held right now.
    pub fn pending_streams(&self) -> usize {
        self.pending.len()
    }

    /// Drops the sixteenth of the pending streams that has waited longest.
    fn evict_oldest(&mut self) {
        let mut by_age: Vec<(Timestamp, (SocketAddr, SocketAddr, u16))> =
            self.pending.iter().map(|(k, p)| (p.since, *k)).collect();
        let n = (MAX_PENDING_STREAMS / 16).clamp(1, by_age.len().max(1));
        if by_age.len() > n {
            by_age.select_nth_unstable(n);
        }
        by_age.truncate(n);
        for (_, key) in by_age {
            if let Some(p) = self.pending.remove(&key) {
                self.dropped_fragments += p.fragments.len() as u64;
            }
        }
    }
}

impl SctpReassembler {
    /// Takes one chunk; returns the complete user message it finishes, if any, with the frame
    /// of its first fragment.
    pub fn push(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        chunk: &DataChunk<'_>,
        frame: u64,
        ts: Timestamp,
    ) -> Option<(Vec<u8>, u64)> {
        let key = (src, dst, chunk.stream);
        if !self.pending.contains_key(&key) && self.pending.len() >= MAX_PENDING_STREAMS {
            self.evict_oldest();
        }
        let pending = self.pending.entry(key).or_default();
        if pending.fragments.is_empty() {
            pending.since = ts;
        }
        if ts.nanos_since(pending.since) > FRAGMENT_TIMEOUT_NANOS
            || pending.bytes + chunk.data.len() > MAX_PENDING_BYTES
            || pending.fragments.len() >= MAX_PENDING_FRAGMENTS
        {
            self.dropped_fragments += pending.fragments.len() as u64;
            *pending = Pending {
                since: ts,
                ..Pending::default()
            };
        }
        pending.bytes += chunk.data.len();
        if let Some((old, begin, end, _)) = pending.fragments.insert(
            chunk.tsn,
            (chunk.data.to_vec(), chunk.begin, chunk.end, frame),
        ) {
            pending.bytes -= old.len().min(pending.bytes);
            pending.begins -= usize::from(begin).min(pending.begins);
            pending.ends -= usize::from(end).min(pending.ends);
        }
        pending.begins += usize::from(chunk.begin);
        pending.ends += usize::from(chunk.end);
        if pending.begins == 0 || pending.ends == 0 {
            return None;
        }
        // Look for a run begin..end of consecutive TSNs that includes this chunk.
        let mut start = chunk.tsn;
        while !pending.fragments.get(&start)?.1 {
            start = start.wrapping_sub(1);
            pending.fragments.get(&start)?;
        }
        let mut end = chunk.tsn;
        while !pending.fragments.get(&end)?.2 {
            end = end.wrapping_add(1);
            pending.fragments.get(&end)?;
        }
        let mut message = Vec::new();
        let mut first_frame = frame;
        let mut tsn = start;
        loop {
            let (data, is_begin, is_end, f) = pending.fragments.remove(&tsn)?;
            pending.bytes -= data.len().min(pending.bytes);
            pending.begins -= usize::from(is_begin).min(pending.begins);
            pending.ends -= usize::from(is_end).min(pending.ends);
            first_frame = first_frame.min(f);
            message.extend_from_slice(&data);
            if tsn == end {
                break;
            }
            tsn = tsn.wrapping_add(1);
        }
        if pending.fragments.is_empty() {
            self.pending.remove(&key);
        }
        Some((message, first_frame))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_chunk(tsn: u32, flags: u8, data: &[u8]) -> Vec<u8> {
        let len = 16 + data.len();
        let mut c = vec![0, flags];
        c.extend_from_slice(&(len as u16).to_be_bytes());
        c.extend_from_slice(&tsn.to_be_bytes());
        c.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
        c.extend_from_slice(data);
        while c.len() % 4 != 0 {
            c.push(0);
        }
        c
    }

    #[test]
    fn several_chunks_and_fragments() {
        let mut pkt = vec![0x13, 0xc4, 0x13, 0xc4, 0, 0, 0, 1, 0, 0, 0, 0];
        pkt.extend([3, 0, 0, 4]); // a SACK-like chunk without body, skipped
        pkt.extend(data_chunk(10, 0x03, b"whole"));
        pkt.extend(data_chunk(11, 0x02, b"fir"));
        let (sp, _, chunks) = parse(&pkt).unwrap();
        assert_eq!(sp, 5060);
        assert_eq!(chunks.len(), 2);
        let (a, b): (SocketAddr, SocketAddr) = (
            "192.0.2.1:5060".parse().unwrap(),
            "192.0.2.2:5060".parse().unwrap(),
        );
        let mut r = SctpReassembler::default();
        assert_eq!(
            r.push(a, b, &chunks[0], 1, Timestamp(0)),
            Some((b"whole".to_vec(), 1))
        );
        assert_eq!(r.push(a, b, &chunks[1], 1, Timestamp(0)), None);
        let last = DataChunk {
            tsn: 12,
            stream: 1,
            begin: false,
            end: true,
            data: b"st",
        };
        assert_eq!(
            r.push(a, b, &last, 2, Timestamp(0)),
            Some((b"first".to_vec(), 1))
        );
        assert!(r.pending.is_empty());
    }

    #[test]
    fn garbage_does_not_loop() {
        assert!(parse(&[0; 11]).is_none());
        let mut pkt = vec![0; 12];
        pkt.extend([0, 0, 0, 0]);
        assert_eq!(parse(&pkt).map(|p| p.2.len()), Some(0));
    }

    /// Empty DATA chunks that never begin a message: bounded in number and in time.
    #[test]
    fn endless_empty_fragments_stay_bounded() {
        let (a, b): (SocketAddr, SocketAddr) = (
            "192.0.2.1:5060".parse().unwrap(),
            "192.0.2.2:5060".parse().unwrap(),
        );
        let mut r = SctpReassembler::default();
        for tsn in 0..50_000u32 {
            let chunk = DataChunk {
                tsn,
                stream: 1,
                begin: false,
                end: false,
                data: b"",
            };
            assert_eq!(r.push(a, b, &chunk, 1, Timestamp(0)), None);
            assert!(
                r.pending
                    .values()
                    .all(|p| p.fragments.len() <= MAX_PENDING_FRAGMENTS)
            );
        }
        for stream in 0..10_000u16 {
            let chunk = DataChunk {
                tsn: 1,
                stream,
                begin: true,
                end: false,
                data: b"x",
            };
            r.push(b, a, &chunk, 1, Timestamp(i64::from(stream)));
            assert!(r.pending_streams() <= MAX_PENDING_STREAMS);
        }
        assert!(r.dropped_fragments > 0);
    }
}
