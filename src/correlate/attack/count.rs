//! The counters a tally keeps, each of a fixed size however many messages it counts: distinct
//! values (exact while few, then a HyperLogLog sketch), the most frequent values (space-saving
//! top-k), the peak rate per second, and small counts by name.

use std::hash::{Hash, Hasher};

use compact_str::CompactString;
use rustc_hash::FxHasher;
use smallvec::SmallVec;

use crate::capture::Timestamp;

/// Values counted exactly before switching to the sketch: small findings show exact figures.
const EXACT: usize = 32;

/// A 64-bit hash of a value, mixed (splitmix64's finaliser) so that every bit is usable by the
/// sketch; deterministic from run to run, unlike a randomly seeded hasher.
pub(super) fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    let mut z = h.finish().wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How many distinct values were seen: exact up to [`EXACT`], then estimated by a HyperLogLog
/// of `2^bits` one-byte registers (standard error about 1.04 / √(2^bits)).
#[derive(Clone, Debug)]
pub(super) struct Distinct {
    bits: u8,
    /// Inline while one or two: a scanning host sends one probe from each of a million
    /// sources, each of which gets a tally (no allocation for that).
    exact: SmallVec<[u64; 2]>,
    registers: Vec<u8>,
}

impl Distinct {
    /// A counter whose sketch has `2^bits` registers (4 ≤ bits ≤ 16).
    pub(super) fn new(bits: u8) -> Distinct {
        Distinct {
            bits: bits.clamp(4, 16),
            exact: SmallVec::new(),
            registers: Vec::new(),
        }
    }

    /// Counts a value by its hash.
    pub(super) fn add(&mut self, hash: u64) {
        if self.registers.is_empty() {
            if self.exact.contains(&hash) {
                return;
            }
            if self.exact.len() < EXACT {
                self.exact.push(hash);
                return;
            }
            self.registers = vec![0; 1 << self.bits];
            for h in std::mem::take(&mut self.exact) {
                self.sketch(h);
            }
        }
        self.sketch(hash);
    }

    fn sketch(&mut self, hash: u64) {
        let p = u32::from(self.bits);
        let at = (hash >> (64 - p)) as usize;
        let rest = (hash << p) | (1 << (p - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        if let Some(r) = self.registers.get_mut(at) {
            *r = (*r).max(rank);
        }
    }

    /// The number of distinct values seen (estimated past [`EXACT`]).
    pub(super) fn count(&self) -> u64 {
        if self.registers.is_empty() {
            return self.exact.len() as u64;
        }
        let m = self.registers.len() as f64;
        let sum: f64 = self
            .registers
            .iter()
            .map(|&r| 2f64.powi(-i32::from(r)))
            .sum();
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let estimate = alpha * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count() as f64;
        let estimate = if estimate <= 2.5 * m && zeros > 0.0 {
            m * (m / zeros).ln() // linear counting, better for small counts
        } else {
            estimate
        };
        (estimate.round() as u64).max(EXACT as u64)
    }

    /// Whether [`Distinct::count`] is an estimate.
    pub(super) fn estimated(&self) -> bool {
        !self.registers.is_empty()
    }
}

/// The most frequent values, by the space-saving algorithm: a full table replaces its least
/// counted value and the newcomer inherits that count, so a frequent value is never lost. Each
/// entry keeps the count it inherited, so that only what is certain is shown.
#[derive(Clone, Debug)]
pub(super) struct TopK<K> {
    capacity: usize,
    /// Value, count, count inherited (the most the count may be over); inline while one.
    entries: SmallVec<[(K, u64, u64); 1]>,
}

impl<K: Clone + Eq + Ord> TopK<K> {
    pub(super) fn new(capacity: usize) -> TopK<K> {
        TopK {
            capacity: capacity.max(1),
            entries: SmallVec::new(),
        }
    }

    pub(super) fn add(&mut self, key: &K) {
        self.add_by(key, K::clone);
    }

    /// Counts `key`, made into a `K` by `make` only when it takes a place (a User-Agent is
    /// copied once, not at every request).
    pub(super) fn add_by<Q>(&mut self, key: &Q, make: impl FnOnce(&Q) -> K)
    where
        K: std::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        if let Some(e) = self.entries.iter_mut().find(|(k, _, _)| k.borrow() == key) {
            e.1 += 1;
        } else if self.entries.len() < self.capacity {
            self.entries.push((make(key), 1, 0));
        } else if let Some(min) = self.entries.iter_mut().min_by_key(|(_, n, _)| *n) {
            *min = (make(key), min.1 + 1, min.1);
        }
    }

    /// The `n` most counted, most first (ties in key order), each with the count it certainly
    /// has; values only possibly frequent (seen once since they took a forgotten value's place)
    /// are left out.
    pub(super) fn top(&self, n: usize) -> Vec<(K, u64)> {
        let mut all: Vec<(K, u64)> = self
            .entries
            .iter()
            .filter(|(_, count, over)| count - over >= 2 || *over == 0)
            .map(|(k, count, over)| (k.clone(), count - over))
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }

    /// The most counted value.
    pub(super) fn first(&self) -> Option<K> {
        self.top(1).into_iter().next().map(|(k, _)| k)
    }
}

/// Counts by name, at most [`Counts::MAX`] names; the rest go under `other`.
#[derive(Clone, Debug, Default)]
pub(super) struct Counts(SmallVec<[(CompactString, u64); 1]>);

impl Counts {
    const MAX: usize = 12;

    pub(super) fn add(&mut self, name: &str) {
        if let Some(e) = self.0.iter_mut().find(|(k, _)| k == name) {
            e.1 += 1;
            return;
        }
        let name = if self.0.len() < Counts::MAX - 1 {
            name
        } else {
            "other"
        };
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(e) => e.1 += 1,
            None => self.0.push((name.into(), 1)),
        }
    }

    /// Every name with its count, most counted first.
    pub(super) fn sorted(&self) -> Vec<(String, u64)> {
        let mut all: Vec<(String, u64)> = self.0.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all
    }
}

/// Requests per second of capture time: the busiest second so far.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Rate {
    second: i64,
    count: u64,
    pub(super) peak: u64,
}

impl Rate {
    pub(super) fn add(&mut self, ts: Timestamp) {
        let s = ts.seconds();
        if s != self.second {
            self.second = s;
            self.count = 0;
        }
        self.count += 1;
        self.peak = self.peak.max(self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_is_exact_when_few_and_close_when_many() {
        let mut d = Distinct::new(10);
        for i in 0..20u32 {
            d.add(hash_of(&i));
            d.add(hash_of(&i));
        }
        assert_eq!(d.count(), 20);
        assert!(!d.estimated());
        for i in 0..5000u32 {
            d.add(hash_of(&i));
        }
        let n = d.count() as f64;
        assert!((n - 5000.0).abs() < 5000.0 * 0.1, "{n}");
        assert!(d.estimated());
    }

    #[test]
    fn top_keeps_the_frequent_value() {
        let mut t = TopK::new(4);
        for i in 0..1000u32 {
            t.add(&(i % 50));
            t.add(&7);
        }
        assert_eq!(t.first(), Some(7));
    }

    #[test]
    fn counts_fold_the_rest_into_other() {
        let mut c = Counts::default();
        for i in 0..30 {
            c.add(&i.to_string());
        }
        let sorted = c.sorted();
        assert_eq!(sorted.len(), Counts::MAX);
        assert_eq!(sorted.first(), Some(&("other".to_string(), 19)));
    }
}
