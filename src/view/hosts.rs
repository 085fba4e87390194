//! The hosts of the dashboard's top-talker charts, summed call by call. A flood from a million
//! addresses brings a million hosts: an IPv4 address is kept as its 4 bytes beside its two
//! sums (12 bytes in all) rather than as text, and named again only to rank it.

use std::net::Ipv4Addr;

use rustc_hash::FxHashMap as HashMap;

/// What the calls a host took part in add up to. A sum stops at `u32::MAX` (4 billion
/// messages of one host: a capture of hundreds of gigabytes).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sums {
    /// Their SIP messages.
    pub messages: u32,
    /// Those of them that failed.
    pub failed: u32,
}

/// The sums of each host (an address without its port).
#[derive(Default)]
pub struct HostSums {
    v4: HashMap<u32, Sums>,
    /// IPv6 and anything else, as written.
    other: HashMap<Box<str>, Sums>,
}

impl HostSums {
    /// Adds `messages` and `failed` to `host`.
    pub fn add(&mut self, host: &str, messages: u32, failed: u32) {
        // The parser takes the dotted form only as written without leading zeros, which is
        // how it writes an address back: the name shown is the one read.
        let sums = match host.parse::<Ipv4Addr>() {
            Ok(ip) => self.v4.entry(u32::from(ip)).or_default(),
            Err(_) => match self.other.get_mut(host) {
                Some(sums) => sums,
                None => self.other.entry(host.into()).or_default(),
            },
        };
        sums.messages = sums.messages.saturating_add(messages);
        sums.failed = sums.failed.saturating_add(failed);
    }

    /// The `n` hosts with the largest non-zero `weight`, largest first, ties in the order of
    /// their names.
    pub fn top(&self, n: usize, weight: impl Fn(&Sums) -> u32) -> Vec<(String, u64)> {
        let mut best: Vec<(u64, String)> = Vec::with_capacity(n + 1);
        let mut offer = |w: u64, name: &dyn Fn() -> String| {
            if w == 0 || n == 0 {
                return;
            }
            if best.len() == n && best.last().is_some_and(|(last, _)| w < *last) {
                return;
            }
            let name = name();
            let at = best.partition_point(|(bw, bn)| *bw > w || (*bw == w && *bn < name));
            if at < n {
                best.insert(at, (w, name));
                best.truncate(n);
            }
        };
        for (ip, sums) in &self.v4 {
            offer(u64::from(weight(sums)), &|| Ipv4Addr::from(*ip).to_string());
        }
        for (host, sums) in &self.other {
            offer(u64::from(weight(sums)), &|| host.to_string());
        }
        best.into_iter().map(|(w, name)| (name, w)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_rank_by_weight_then_name_as_written() {
        let mut hosts = HostSums::default();
        for (host, messages) in [
            ("192.0.2.10", 5),
            ("192.0.2.9", 5),
            ("[2001:db8::1]", 7),
            ("10.0.0.1", 1),
            ("010.0.0.2", 9),
            ("192.0.2.10", 2),
        ] {
            hosts.add(host, messages, 0);
        }
        let top = hosts.top(3, |s| s.messages);
        assert_eq!(
            top,
            [
                ("010.0.0.2".to_string(), 9),
                ("192.0.2.10".to_string(), 7),
                ("[2001:db8::1]".to_string(), 7),
            ]
        );
        assert_eq!(hosts.top(10, |s| s.failed), []);
        assert_eq!(hosts.top(10, |s| s.messages).len(), 5);
        assert_eq!(
            hosts.top(10, |s| s.messages)[4],
            ("10.0.0.1".to_string(), 1)
        );
    }
}
