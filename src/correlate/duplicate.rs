//! Copies of one packet taken twice by the capture: a mirror port that copies both
//! directions of a link, or a capture at two points of a path, sees every message twice
//! within microseconds, with the same bytes. Such a copy is not a retransmission (which the
//! sender makes later, at 500 ms or more by RFC 3261's timers): it is counted apart and left
//! out of transactions and ladders.
//!
//! A message is a copy when the same bytes went from the same sender to the same receiver less
//! than [`WINDOW_NANOS`] before. Messages are compared by a 64-bit hash of their addresses and
//! bytes; the window holds a few milliseconds of messages.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::capture::{SipPayload, Timestamp};

/// How close two copies of one message are: far below the 500 ms of the shortest SIP
/// retransmission, far above what a mirror or a second capture point adds.
pub const WINDOW_NANOS: i64 = 20_000_000;
/// Messages remembered at most (a flood in the window).
const MAX_REMEMBERED: usize = 65_536;

/// The messages of the last few milliseconds, by hash.
#[derive(Default)]
pub struct Duplicates {
    /// Hash → (time, leg) of the latest message with it.
    recent: HashMap<u64, (Timestamp, usize)>,
    order: VecDeque<(Timestamp, u64)>,
}

impl Duplicates {
    /// The hash that identifies a message's copies.
    pub fn key(payload: &SipPayload<'_>) -> u64 {
        let mut h = FxHasher::default();
        payload.src.hash(&mut h);
        payload.dst.hash(&mut h);
        payload.bytes.hash(&mut h);
        h.finish()
    }

    /// The leg of the message this one (hash `key`, at `ts`) copies, if it is a copy.
    pub fn original(&mut self, key: u64, ts: Timestamp) -> Option<usize> {
        while let Some(&(at, old)) = self.order.front() {
            if ts.nanos_since(at) <= WINDOW_NANOS && self.order.len() < MAX_REMEMBERED {
                break;
            }
            self.order.pop_front();
            if self.recent.get(&old).is_some_and(|&(t, _)| t <= at) {
                self.recent.remove(&old);
            }
        }
        let &(at, leg) = self.recent.get(&key)?;
        (ts.nanos_since(at).abs() <= WINDOW_NANOS).then_some(leg)
    }

    /// Remembers a message (hash `key`) of leg `leg`, seen at `ts`.
    pub fn note(&mut self, key: u64, ts: Timestamp, leg: usize) {
        self.recent.insert(key, (ts, leg));
        self.order.push_back((ts, key));
    }
}
