//! IP fragment reassembly (IPv4 and IPv6) in any arrival order, with bounded memory.
//!
//! etherparse's `IpDefragBuf` merges the fragments of one datagram; this pool keys them by
//! addresses, identification and protocol, expires sets that never complete, and caps how many
//! sets and bytes it holds, so a capture of endless fragments cannot exhaust memory.

use rustc_hash::FxHashMap as HashMap;
use std::net::IpAddr;

use etherparse::IpNumber;
use etherparse::defrag::IpDefragBuf;

use super::time::Timestamp;

/// Incomplete datagrams held at once; beyond this the oldest set is dropped.
pub const MAX_PENDING_DATAGRAMS: usize = 4096;
/// Bytes held in incomplete datagrams at once.
pub const MAX_PENDING_BYTES: usize = 64 << 20;
/// A set of fragments still incomplete this long after its first fragment is dropped (the Linux
/// default `ipfrag_time`).
pub const FRAGMENT_TIMEOUT_NANOS: i64 = 30_000_000_000;

/// Identifies the fragments of one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FragmentKey {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// IP identification (16 bits for IPv4, 32 for IPv6).
    pub id: u32,
    /// Protocol of the payload.
    pub protocol: u8,
}

/// One fragment as read from a packet.
#[derive(Clone, Copy, Debug)]
pub struct Fragment<'a> {
    /// Which datagram it belongs to.
    pub key: FragmentKey,
    /// Offset in 8-byte units.
    pub offset: etherparse::IpFragOffset,
    /// More fragments follow.
    pub more: bool,
    /// The fragment's payload bytes.
    pub payload: &'a [u8],
}

/// A reassembled datagram payload, with the frame of its first fragment.
#[derive(Debug)]
pub struct Reassembled {
    /// Protocol of the payload.
    pub protocol: u8,
    /// The whole IP payload (transport header included).
    pub payload: Vec<u8>,
    /// Frame number of the first fragment that arrived.
    pub first_frame: u64,
}

struct Pending {
    buf: IpDefragBuf,
    first_seen: Timestamp,
    first_frame: u64,
    bytes: usize,
}

/// What happened to a fragment.
#[derive(Debug)]
pub enum FragmentOutcome {
    /// Stored; the datagram is not complete yet.
    Stored,
    /// This fragment completed the datagram.
    Complete(Reassembled),
    /// The fragment contradicts the others (bad length, conflicting end); the set was dropped.
    Invalid(String),
}

/// The pool of datagrams being reassembled.
#[derive(Default)]
pub struct Defragmenter {
    pending: HashMap<FragmentKey, Pending>,
    bytes: usize,
    /// Sets dropped because they timed out.
    pub expired: u64,
    /// Sets dropped because a cap was reached.
    pub evicted: u64,
}

impl Defragmenter {
    /// Adds a fragment seen at `ts` in frame `frame`.
    pub fn add(&mut self, fragment: Fragment<'_>, ts: Timestamp, frame: u64) -> FragmentOutcome {
        if !self.pending.contains_key(&fragment.key) {
            while self.pending.len() >= MAX_PENDING_DATAGRAMS
                || (self.bytes + fragment.payload.len() > MAX_PENDING_BYTES
                    && !self.pending.is_empty())
            {
                self.evict_oldest();
            }
        }
        let entry = self.pending.entry(fragment.key).or_insert_with(|| Pending {
            buf: IpDefragBuf::new(IpNumber(fragment.key.protocol), Vec::new(), Vec::new()),
            first_seen: ts,
            first_frame: frame,
            bytes: 0,
        });
        if let Err(err) = entry
            .buf
            .add(fragment.offset, fragment.more, fragment.payload)
        {
            self.remove(&fragment.key);
            return FragmentOutcome::Invalid(format!("{err:?}"));
        }
        entry.bytes += fragment.payload.len();
        self.bytes += fragment.payload.len();
        if !entry.buf.is_complete() {
            return FragmentOutcome::Stored;
        }
        match self.remove(&fragment.key) {
            Some(done) => {
                let (payload, _) = done.buf.take_bufs();
                FragmentOutcome::Complete(Reassembled {
                    protocol: fragment.key.protocol,
                    payload,
                    first_frame: done.first_frame,
                })
            }
            None => FragmentOutcome::Stored,
        }
    }

    /// Drops the sets older than the timeout at `now`; returns how many.
    pub fn expire(&mut self, now: Timestamp) -> u64 {
        let before = self.pending.len();
        let mut freed = 0;
        self.pending.retain(|_, p| {
            let keep = now.nanos_since(p.first_seen) <= FRAGMENT_TIMEOUT_NANOS;
            if !keep {
                freed += p.bytes;
            }
            keep
        });
        self.bytes -= freed.min(self.bytes);
        let dropped = (before - self.pending.len()) as u64;
        self.expired += dropped;
        dropped
    }

    /// Sets still incomplete (at the end of the capture).
    pub fn incomplete(&self) -> usize {
        self.pending.len()
    }

    fn remove(&mut self, key: &FragmentKey) -> Option<Pending> {
        let p = self.pending.remove(key)?;
        self.bytes -= p.bytes.min(self.bytes);
        Some(p)
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .pending
            .iter()
            .min_by_key(|(_, p)| (p.first_seen, p.first_frame))
            .map(|(k, _)| *k);
        if let Some(key) = oldest {
            self.remove(&key);
            self.evicted += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::IpFragOffset;

    fn key() -> FragmentKey {
        FragmentKey {
            src: "192.0.2.1".parse().unwrap(),
            dst: "192.0.2.2".parse().unwrap(),
            id: 7,
            protocol: 17,
        }
    }

    fn frag(offset_units: u16, more: bool, payload: &[u8]) -> Fragment<'_> {
        Fragment {
            key: key(),
            offset: IpFragOffset::try_new(offset_units).unwrap(),
            more,
            payload,
        }
    }

    #[test]
    fn reassembles_in_any_order() {
        let data: Vec<u8> = (0..40u8).collect();
        let ts = Timestamp(0);
        let mut pool2 = Defragmenter::default();
        assert!(matches!(
            pool2.add(frag(2, true, &data[16..32]), ts, 2),
            FragmentOutcome::Stored
        ));
        assert!(matches!(
            pool2.add(frag(4, false, &data[32..40]), ts, 3),
            FragmentOutcome::Stored
        ));
        match pool2.add(frag(0, true, &data[..16]), ts, 4) {
            FragmentOutcome::Complete(r) => {
                assert_eq!(r.payload, data);
                assert_eq!(r.first_frame, 2);
            }
            other => panic!("not complete: {other:?}"),
        }
        assert_eq!(pool2.incomplete(), 0);
    }

    #[test]
    fn incomplete_sets_expire_and_stay_bounded() {
        let mut pool = Defragmenter::default();
        let payload = [0u8; 8];
        for id in 0..(MAX_PENDING_DATAGRAMS as u32 + 10) {
            let mut f = frag(0, true, &payload);
            f.key.id = id;
            pool.add(f, Timestamp(i64::from(id)), u64::from(id));
        }
        assert_eq!(pool.incomplete(), MAX_PENDING_DATAGRAMS);
        assert_eq!(pool.evicted, 10);
        assert_eq!(
            pool.expire(Timestamp(FRAGMENT_TIMEOUT_NANOS * 2)),
            MAX_PENDING_DATAGRAMS as u64
        );
        assert_eq!(pool.incomplete(), 0);
    }
}
