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
}

/// Rebuilds user messages fragmented over several DATA chunks.
#[derive(Default)]
pub struct SctpReassembler {
    pending: HashMap<(SocketAddr, SocketAddr, u16), Pending>,
    /// Fragments dropped (cap or timeout).
    pub dropped_fragments: u64,
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
        let pending = self.pending.entry(key).or_default();
        if pending.fragments.is_empty() {
            pending.since = ts;
        }
        if ts.nanos_since(pending.since) > FRAGMENT_TIMEOUT_NANOS
            || pending.bytes + chunk.data.len() > MAX_PENDING_BYTES
        {
            self.dropped_fragments += pending.fragments.len() as u64;
            *pending = Pending {
                since: ts,
                ..Pending::default()
            };
        }
        pending.bytes += chunk.data.len();
        pending.fragments.insert(
            chunk.tsn,
            (chunk.data.to_vec(), chunk.begin, chunk.end, frame),
        );
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
            let (data, _, _, f) = pending.fragments.remove(&tsn)?;
            pending.bytes -= data.len().min(pending.bytes);
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
}
