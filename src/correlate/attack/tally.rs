//! What the detector counts per source address, per target address and per address of record:
//! one [`Tally`] each, of a bounded size, in tables of a bounded number of tallies
//! ([`Table`]). A full table forgets the half of its tallies with the fewest requests: a
//! scanner sends many, so it stays, and the one-off senders of a spread-out scan are counted
//! by their target's tally anyway.

use std::hash::Hash;
use std::net::IpAddr;

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

use super::count::{Counts, Distinct, Rate, TopK, hash_of};
use crate::capture::Timestamp;

/// Values kept by each most-frequent list: enough to show the top five.
const TOP: usize = 8;

/// A request as the detector sees it.
pub(super) struct Request<'a> {
    pub(super) ts: Timestamp,
    pub(super) src: IpAddr,
    pub(super) dst: IpAddr,
    pub(super) method: &'a str,
    /// The user aimed at: the Request-URI's, else the To header's (REGISTER).
    pub(super) user: Option<&'a str>,
    pub(super) agent: Option<&'a str>,
    /// The scanning tool its User-Agent names.
    pub(super) scanner: Option<&'static str>,
    pub(super) credentials: bool,
    /// Its start line was read, not the rest.
    pub(super) malformed: bool,
}

/// The counts of one source, target or address of record.
#[derive(Clone, Debug)]
pub(super) struct Tally {
    pub(super) requests: u64,
    pub(super) malformed: u64,
    pub(super) credentials: u64,
    pub(super) responses: u64,
    /// 2xx responses: the server accepted (a scan gets none, or very few).
    pub(super) ok: u64,
    pub(super) first: Option<Timestamp>,
    pub(super) last: Timestamp,
    pub(super) rate: Rate,
    pub(super) methods: Counts,
    pub(super) answers: Counts,
    pub(super) agents: TopK<CompactString>,
    pub(super) scanner: Option<&'static str>,
    pub(super) sources: Distinct,
    pub(super) top_sources: TopK<IpAddr>,
    pub(super) targets: Distinct,
    pub(super) top_targets: TopK<IpAddr>,
    pub(super) users: Distinct,
    pub(super) top_users: TopK<CompactString>,
    /// Requests whose numeric user follows the previous one's (100, 101, 102...).
    pub(super) sequential: u64,
    last_number: Option<u64>,
}

impl Tally {
    /// A tally whose distinct counts of sources have `2^bits` registers once estimated (a
    /// target's sources may be millions; a source's, one).
    fn new(bits: u8) -> Tally {
        Tally {
            requests: 0,
            malformed: 0,
            credentials: 0,
            responses: 0,
            ok: 0,
            first: None,
            last: Timestamp::default(),
            rate: Rate::default(),
            methods: Counts::default(),
            answers: Counts::default(),
            agents: TopK::new(4),
            scanner: None,
            sources: Distinct::new(bits),
            top_sources: TopK::new(TOP),
            targets: Distinct::new(bits),
            top_targets: TopK::new(TOP),
            users: Distinct::new(10),
            top_users: TopK::new(TOP),
            sequential: 0,
            last_number: None,
        }
    }

    pub(super) fn request(&mut self, r: &Request<'_>) {
        self.requests += 1;
        self.malformed += u64::from(r.malformed);
        self.credentials += u64::from(r.credentials);
        self.first.get_or_insert(r.ts);
        self.last = self.last.max(r.ts);
        self.rate.add(r.ts);
        self.methods.add(r.method);
        if let Some(agent) = r.agent {
            let cut = agent.get(..agent.len().min(64)).unwrap_or(agent);
            self.agents.add_by(cut, |a| CompactString::from(a));
        }
        self.scanner = self.scanner.or(r.scanner);
        self.sources.add(hash_of(&r.src));
        self.top_sources.add(&r.src);
        self.targets.add(hash_of(&r.dst));
        self.top_targets.add(&r.dst);
        if let Some(user) = r.user {
            self.users.add(hash_of(user));
            let cut = user.get(..user.len().min(64)).unwrap_or(user);
            self.top_users.add_by(cut, |u| CompactString::from(u));
            let number = (user.len() <= 18)
                .then(|| user.parse::<u64>().ok())
                .flatten();
            if let (Some(n), Some(last)) = (number, self.last_number) {
                self.sequential += u64::from(n.abs_diff(last) == 1);
            }
            self.last_number = number;
        }
    }

    pub(super) fn response(&mut self, code: u16) {
        self.responses += 1;
        self.ok += u64::from((200..300).contains(&code));
        // Three digits on the stack: no allocation per response.
        let digits = [code / 100, code / 10 % 10, code % 10].map(|d| b'0' + (d % 10) as u8);
        self.answers
            .add(std::str::from_utf8(&digits).unwrap_or("?"));
    }

    /// Fewer than one request in ten was accepted (2xx): what a scan or a guess gets.
    pub(super) fn refused(&self) -> bool {
        self.ok.saturating_mul(10) < self.requests
    }

    /// Requests nothing answered (retransmissions and answers to other requests aside).
    pub(super) fn unanswered(&self) -> u64 {
        self.requests.saturating_sub(self.responses)
    }
}

/// Tallies by key, at most `cap` of them.
#[derive(Debug)]
pub(super) struct Table<K> {
    map: HashMap<K, Tally>,
    cap: usize,
    bits: u8,
    /// Tallies forgotten to make room.
    pub(super) evicted: u64,
}

impl<K: Hash + Eq + Clone> Table<K> {
    pub(super) fn new(cap: usize, bits: u8) -> Table<K> {
        Table {
            map: HashMap::default(),
            cap: cap.max(2),
            bits,
            evicted: 0,
        }
    }

    /// The tally of `key`, made (and room made for it) when new.
    pub(super) fn entry(&mut self, key: &K) -> &mut Tally {
        if !self.map.contains_key(key) && self.map.len() >= self.cap {
            self.evict();
        }
        let bits = self.bits;
        self.map
            .entry(key.clone())
            .or_insert_with(|| Tally::new(bits))
    }

    pub(super) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Tally>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get_mut(key)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&K, &Tally)> {
        self.map.iter()
    }

    /// Forgets the half with the fewest requests: constant work per request, amortised.
    fn evict(&mut self) {
        let mut by_requests: Vec<(u64, K)> = self
            .map
            .iter()
            .map(|(k, t)| (t.requests, k.clone()))
            .collect();
        let half = by_requests.len() / 2;
        if half == 0 {
            return;
        }
        by_requests.select_nth_unstable_by_key(half, |(n, _)| *n);
        for (_, key) in by_requests.iter().take(half) {
            self.map.remove(key);
        }
        self.evicted += half as u64;
    }
}
