//! The pseudonym tables: each original value gets one stand-in, the same every time it comes
//! back in the run, and two originals never share one (distinct hosts stay distinct).
//!
//! A stand-in is drawn from a keyed hash of the original (HMAC-SHA-256), so that with the same
//! key the same capture gives the same pseudonyms from run to run; without a key, the key is
//! random and the pseudonyms cannot be linked across runs (or reversed by hashing every phone
//! number of a length). When the drawn stand-in is taken, the next free one is used.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hmac::{Hmac, KeyInit, Mac};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use sha2::Sha256;

use crate::correlate::evidence::is_public;

/// IPv4 stand-ins: the benchmarking network 198.18.0.0/15 (RFC 2544), then the three
/// documentation networks (RFC 5737): none of them is routed on the internet. The benchmarking
/// network comes first because captures written for courses and tests use the documentation
/// ones: a stand-in equal to an address met later in the capture would be taken for a
/// stand-in met again, and two hosts would share it.
const V4_DOCUMENTATION: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];
const V4_DOCUMENTATION_HOSTS: u32 = 3 * 254;
const V4_BENCHMARK_HOSTS: u32 = (1 << 17) - 2;

/// Numbers are replaced by groups of at most this many trailing digits: two spellings of one
/// number (`+33612345678`, `0612345678`) keep the same last digits, as many as the
/// correlation's number matching compares.
const NUMBER_GROUP: usize = crate::correlate::join::b2bua::NUMBER_DIGITS_COMPARED;

/// Candidates tried before giving up on a free stand-in (then the fallback is used).
const MAX_TRIES: usize = 1 << 20;

/// The tables of one run.
pub(crate) struct Pseudonyms {
    key: Vec<u8>,
    v4: Table<Ipv4Addr>,
    v6: Table<Ipv6Addr>,
    /// Digit groups by length.
    digits: HashMap<usize, Table<String>>,
    users: Table<String>,
    names: Table<String>,
    tokens: Table<String>,
}

/// One kind of value: original → stand-in, and the stand-ins given.
struct Table<T> {
    given: HashMap<T, T>,
    taken: HashSet<T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            given: HashMap::default(),
            taken: HashSet::default(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Table<T> {
    /// The stand-in of `original`: the one given before, or the first free one of `candidates`
    /// (tried in order) that is not the original itself, or `fallback` when all are taken.
    fn of(
        &mut self,
        original: &T,
        candidates: impl Iterator<Item = T>,
        fallback: impl FnOnce() -> T,
    ) -> T {
        if let Some(known) = self.given.get(original) {
            return known.clone();
        }
        // A stand-in met again (a second pass over redacted text) stays what it is.
        if self.taken.contains(original) {
            return original.clone();
        }
        // Bounded: a stand-in is found in the first few tries unless the space is tiny.
        let candidates = candidates.take(MAX_TRIES);
        let chosen = candidates
            .into_iter()
            .find(|c| c != original && !self.taken.contains(c) && !self.given.contains_key(c))
            .unwrap_or_else(fallback);
        self.taken.insert(chosen.clone());
        self.given.insert(original.clone(), chosen.clone());
        chosen
    }
}

impl Pseudonyms {
    /// Tables whose stand-ins derive from `key`, or from a random key when `None`.
    pub(crate) fn new(key: Option<&[u8]>) -> Pseudonyms {
        let key = match key {
            Some(k) => k.to_vec(),
            None => {
                // Four independently seeded hashers: 256 bits the process cannot predict.
                (0..4u8)
                    .flat_map(|i| RandomState::new().hash_one(i).to_le_bytes())
                    .collect()
            }
        };
        Pseudonyms {
            key,
            v4: Table::default(),
            v6: Table::default(),
            digits: HashMap::default(),
            users: Table::default(),
            names: Table::default(),
            tokens: Table::default(),
        }
    }

    /// 32 bytes drawn from `kind` and `original` under the key.
    fn draw(&self, kind: &str, original: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length: this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return [0; 32];
        };
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(original);
        mac.finalize().into_bytes().into()
    }

    /// A number in `0..modulo` drawn for `original`.
    fn draw_below(&self, kind: &str, original: &[u8], modulo: u64) -> u64 {
        let bytes = self.draw(kind, original);
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        u64::from_le_bytes(first) % modulo.max(1)
    }

    /// An address's stand-in. The unspecified and broadcast addresses mean something of their
    /// own (a call on hold, everyone) and stay; an address that is not public (private,
    /// loopback, link-local, shared, unique-local) gets a private one (10.0.0.0/8, fd00::/8),
    /// so that what is said of NAT reads the same.
    pub(crate) fn ip(&mut self, ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V4(v4) => IpAddr::V4(self.v4(v4)),
            IpAddr::V6(v6) => IpAddr::V6(self.v6(v6)),
        }
    }

    fn v4(&mut self, ip: Ipv4Addr) -> Ipv4Addr {
        if ip.is_unspecified() || ip.is_broadcast() {
            return ip;
        }
        if !is_public(IpAddr::V4(ip)) {
            // 10.0.0.1 to 10.255.255.254.
            let space = (1u64 << 24) - 2;
            let start = self.draw_below("ipv4p", &ip.octets(), space);
            let private =
                (0..space).map(move |i| Ipv4Addr::from(0x0a00_0001 + ((start + i) % space) as u32));
            return self.v4.of(&ip, private, || Ipv4Addr::UNSPECIFIED);
        }
        let start = self.draw_below("ipv4", &ip.octets(), u64::from(V4_DOCUMENTATION_HOSTS));
        let documentation = (0..u64::from(V4_DOCUMENTATION_HOSTS)).map(move |i| {
            v4_documentation(((start + i) % u64::from(V4_DOCUMENTATION_HOSTS)) as u32)
        });
        let bench_start = self.draw_below("ipv4b", &ip.octets(), u64::from(V4_BENCHMARK_HOSTS));
        let benchmark = (0..u64::from(V4_BENCHMARK_HOSTS))
            .map(move |i| v4_benchmark(((bench_start + i) % u64::from(V4_BENCHMARK_HOSTS)) as u32));
        self.v4.of(&ip, benchmark.chain(documentation), || {
            Ipv4Addr::UNSPECIFIED
        })
    }

    fn v6(&mut self, ip: Ipv6Addr) -> Ipv6Addr {
        if ip.is_unspecified() {
            return ip;
        }
        let drawn = self.draw("ipv6", &ip.octets());
        // 2001:db8::/32 (RFC 3849), or fd00::/8 for an address that is not public, and drawn
        // bits; the next ones on the unlikely collision.
        let (prefix, bits) = if is_public(IpAddr::V6(ip)) {
            (0x2001_0db8u128 << 96, 96)
        } else {
            (0xfdu128 << 120, 120)
        };
        let candidates = (0..u128::from(u16::MAX)).map(move |i| {
            let mut low = [0u8; 16];
            low[1..].copy_from_slice(&drawn[..15]);
            let low = u128::from_be_bytes(low).wrapping_add(i) & ((1u128 << bits) - 1);
            Ipv6Addr::from(prefix | low)
        });
        self.v6.of(&ip, candidates, || Ipv6Addr::UNSPECIFIED)
    }

    /// A phone number's or numeric user's stand-in: the same length, every digit replaced, any
    /// `+` and visual separators kept in place.
    pub(crate) fn number(&mut self, original: &str) -> String {
        let digits: String = original.chars().filter(char::is_ascii_digit).collect();
        // Trailing groups of nine digits, then what is left in front.
        let mut groups = Vec::new();
        let mut end = digits.len();
        while end > 0 {
            let start = end.saturating_sub(NUMBER_GROUP);
            groups.push(digits.get(start..end).unwrap_or_default().to_string());
            end = start;
        }
        groups.reverse();
        let replaced: String = groups.iter().map(|g| self.digit_group(g)).collect();
        let mut new_digits = replaced.chars();
        original
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    new_digits.next().unwrap_or('0')
                } else {
                    c
                }
            })
            .collect()
    }

    fn digit_group(&mut self, group: &str) -> String {
        let len = group.len();
        let space = 10u64.pow(len as u32);
        let start = self.draw_below("digits", group.as_bytes(), space);
        let candidates = (0..space).map(move |i| format!("{:0len$}", (start + i) % space));
        let fallback = || group.to_string();
        self.digits
            .entry(len)
            .or_default()
            .of(&group.to_string(), candidates, fallback)
    }

    /// A user part's stand-in (`u` and seven hex digits); case does not tell users apart.
    pub(crate) fn user(&mut self, original: &str) -> String {
        if original.is_empty() {
            return String::new();
        }
        let lower = original.to_ascii_lowercase();
        let drawn = self.draw("user", lower.as_bytes());
        let candidates = (0..u32::MAX).map(move |i| {
            let n = u32::from_be_bytes([drawn[0], drawn[1], drawn[2], drawn[3]]).wrapping_add(i);
            format!("u{:07x}", n & 0x0fff_ffff)
        });
        self.users.of(&lower, candidates, String::new)
    }

    /// A display name's stand-in.
    pub(crate) fn name(&mut self, original: &str) -> String {
        if original.is_empty() {
            return String::new();
        }
        let drawn = self.draw("name", original.as_bytes());
        let candidates = (0..u32::MAX).map(move |i| {
            let n = u32::from_be_bytes([drawn[0], drawn[1], drawn[2], drawn[3]]).wrapping_add(i);
            format!("Name {:06x}", n & 0x00ff_ffff)
        });
        self.names
            .of(&original.to_string(), candidates, String::new)
    }

    /// A secret's stand-in (nonce, response, token, key): lowercase hex of the same length.
    pub(crate) fn token(&mut self, original: &str) -> String {
        let len = original.len();
        if len == 0 {
            return String::new();
        }
        let drawn = self.draw("token", original.as_bytes());
        let candidates = (0..u32::MAX).map(move |i| hex_stream(&drawn, i, len));
        self.tokens
            .of(&original.to_string(), candidates, || "0".repeat(len))
    }
}

/// `len` hex digits expanded from `seed` and the attempt number `attempt`.
fn hex_stream(seed: &[u8; 32], attempt: u32, len: usize) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let mut out = String::with_capacity(len + 64);
    let mut block = 0u32;
    while out.len() < len {
        let digest = Sha256::new()
            .chain_update(seed)
            .chain_update(attempt.to_le_bytes())
            .chain_update(block.to_le_bytes())
            .finalize();
        for b in digest {
            let _ = write!(out, "{b:02x}");
        }
        block += 1;
    }
    out.truncate(len);
    out
}

/// The `index`th documentation address.
fn v4_documentation(index: u32) -> Ipv4Addr {
    let network = V4_DOCUMENTATION[(index / 254) as usize % V4_DOCUMENTATION.len()];
    Ipv4Addr::new(network[0], network[1], network[2], (index % 254) as u8 + 1)
}

/// The `index`th benchmarking address (198.18.0.1 onward, skipping .0 and .255 ends).
fn v4_benchmark(index: u32) -> Ipv4Addr {
    let n = (198u32 << 24 | 18 << 16) + index + 1;
    Ipv4Addr::from(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_consistent_distinct_and_documentation() {
        let mut p = Pseudonyms::new(None);
        let a = p.ip("10.0.0.1".parse().unwrap());
        let b = p.ip("10.0.0.2".parse().unwrap());
        assert_ne!(a, b);
        assert_eq!(a, p.ip("10.0.0.1".parse().unwrap()));
        let IpAddr::V4(v4) = a else { panic!() };
        assert_eq!(v4.octets()[0], 10, "a private address stays private: {v4}");
        let IpAddr::V4(public) = p.ip("8.8.8.8".parse().unwrap()) else {
            panic!()
        };
        assert_eq!(public.octets()[..1], [198], "{public}");
        assert_eq!(public.octets()[1] & 0xfe, 18, "{public}");
        assert_eq!(p.ip("0.0.0.0".parse().unwrap()).to_string(), "0.0.0.0");
        let six = p.ip("2a01:e35::1".parse().unwrap()).to_string();
        assert!(six.starts_with("2001:db8:"), "{six}");
        let six = p.ip("fe80::1".parse().unwrap()).to_string();
        assert!(six.starts_with("fd"), "{six}");
    }

    #[test]
    fn a_thousand_hosts_stay_distinct() {
        let mut p = Pseudonyms::new(Some(b"k"));
        let mut seen = HashSet::default();
        for i in 0..1000u32 {
            let ip = Ipv4Addr::from(0x0a00_0000 + i);
            assert!(seen.insert(p.ip(IpAddr::V4(ip))));
        }
    }

    #[test]
    fn numbers_keep_length_plus_and_their_last_nine_digits() {
        let mut p = Pseudonyms::new(Some(b"k"));
        let e164 = p.number("+33612345678");
        let national = p.number("0612345678");
        assert_eq!(e164.len(), 12);
        assert!(e164.starts_with('+'));
        assert_ne!(e164, "+33612345678");
        assert_eq!(e164[e164.len() - 9..], national[national.len() - 9..]);
        assert_eq!(p.number("202").len(), 3);
        assert_ne!(p.number("202"), p.number("203"));
    }

    #[test]
    fn a_key_gives_the_same_pseudonyms_in_another_run() {
        let mut first = Pseudonyms::new(Some(b"secret"));
        let mut second = Pseudonyms::new(Some(b"secret"));
        assert_eq!(first.user("alice"), second.user("Alice"));
        assert_eq!(first.token("abcdef0123"), second.token("abcdef0123"));
        let mut other = Pseudonyms::new(Some(b"other"));
        assert_ne!(first.user("alice"), other.user("alice"));
    }

    #[test]
    fn tokens_keep_their_length() {
        let mut p = Pseudonyms::new(None);
        for len in [1, 8, 32, 64, 100] {
            let original = "a".repeat(len);
            assert_eq!(p.token(&original).len(), len);
        }
    }
}
