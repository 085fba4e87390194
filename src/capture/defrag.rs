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
/// Sets dropped at once when a cap is reached: finding the oldest is a pass over all sets, so
/// it is done for a batch rather than for every new fragment (which made a flood of fragments
/// that never complete cost time quadratic in the cap).
const EVICTION_BATCH: usize = MAX_PENDING_DATAGRAMS / 16;

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
    /// Fragments added since the last expiry pass.
    adds_since_expire: usize,
}

impl Defragmenter {
    /// Adds a fragment seen at `ts` in frame `frame`.
    pub fn add(&mut self, fragment: Fragment<'_>, ts: Timestamp, frame: u64) -> FragmentOutcome {
        self.adds_since_expire += 1;
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
        self.adds_since_expire = 0;
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

    /// Bytes held in incomplete sets.
    pub fn pending_bytes(&self) -> usize {
        self.bytes
    }

    /// Is an expiry pass worth its cost now? It visits every set, so with many sets it waits
    /// until fragments equal to an eighth of them have been added since the last pass: sets
    /// that nothing is added to cannot grow, so waiting costs no memory, and a capture whose
    /// clock jumps a second at every frame stays linear.
    pub fn expiry_due(&self) -> bool {
        self.pending.len() <= 64 || self.adds_since_expire >= self.pending.len() / 8
    }

    fn remove(&mut self, key: &FragmentKey) -> Option<Pending> {
        let p = self.pending.remove(key)?;
        self.bytes -= p.bytes.min(self.bytes);
        Some(p)
    }

    /// Drops the oldest sets, [`EVICTION_BATCH`] of them at once.
    fn evict_oldest(&mut self) {
        let mut by_age: Vec<(Timestamp, u64, FragmentKey)> = self
            .pending
            .iter()
            .map(|(k, p)| (p.first_seen, p.first_frame, *k))
            .collect();
        let n = EVICTION_BATCH.clamp(1, by_age.len().max(1));
        if by_age.len() > n {
            by_age.select_nth_unstable_by_key(n, |(ts, frame, _)| (*ts, *frame));
        }
        by_age.truncate(n);
        for (_, _, key) in by_age {
            if self.remove(&key).is_some() {
                self.evicted += 1;
            }
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
        // The cap drops the oldest sets a batch at a time.
        assert_eq!(pool.evicted, EVICTION_BATCH as u64);
        assert_eq!(
            pool.incomplete(),
            MAX_PENDING_DATAGRAMS + 10 - EVICTION_BATCH
        );
        assert_eq!(
            pool.expire(Timestamp(FRAGMENT_TIMEOUT_NANOS * 2)),
            (MAX_PENDING_DATAGRAMS + 10 - EVICTION_BATCH) as u64
        );
        assert_eq!(pool.incomplete(), 0);
    }

    /// A flood of fragments that never complete used to cost a pass over every pending set
    /// for each new fragment once the cap was reached.
    #[test]
    fn endless_incomplete_fragments_evict_in_batches_in_linear_time() {
        let mut pool = Defragmenter::default();
        let payload = [0u8; 64];
        for n in 0..100_000u32 {
            let mut f = frag(0, true, &payload);
            f.key.id = n;
            pool.add(f, Timestamp(i64::from(n)), u64::from(n));
            assert!(pool.incomplete() <= MAX_PENDING_DATAGRAMS);
            assert!(pool.pending_bytes() <= MAX_PENDING_BYTES);
        }
        assert!(pool.evicted >= 100_000 - MAX_PENDING_DATAGRAMS as u64);
    }

    #[test]
    fn the_byte_cap_holds_with_large_fragments() {
        let mut pool = Defragmenter::default();
        let payload = vec![0u8; 60_000];
        for n in 0..2_000u32 {
            let mut f = frag(0, true, &payload);
            f.key.id = n;
            pool.add(f, Timestamp(0), u64::from(n));
            assert!(pool.pending_bytes() <= MAX_PENDING_BYTES);
        }
    }
}
