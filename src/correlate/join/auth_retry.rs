//! A request challenged with 401/407 and retried with credentials under a new Call-ID (and a
//! new From tag): the course's F3 "entame un nouveau dialogue (cf le tag et Call-ID)", and
//! many phones do the same. The retry continues the exchange the challenge stopped.
//!
//! Evidence, strongest first:
//! 1. Exact: the retry's Authorization or Proxy-Authorization answers the challenge's realm
//!    and nonce, the challenge was sent to the host that now retries, for the same method, less
//!    than [`LIFETIME_NANOS`] before. Only the first retry of a challenge joins (phones reuse a
//!    nonce for later requests).
//! 2. Heuristic (only with `--join all`, and said so): credentials that answer no challenge
//!    seen, from the same address and port, for the same method and From AOR, less than
//!    [`HEURISTIC_NANOS`] after a 401/407 sent there (a capture that missed the challenge's
//!    nonce, or credentials from a cache).

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

use super::{JoinRule, Proposal};
use crate::capture::Timestamp;
use crate::correlate::record::{DigestKey, MessageRecord};

/// How long a challenge can be answered by a retry under a new Call-ID (a person typing a
/// password included).
pub const LIFETIME_NANOS: i64 = 64_000_000_000;
/// How long after a challenge the weaker rule accepts a retry (timer F: the request's
/// transaction is over by then).
pub const HEURISTIC_NANOS: i64 = 32_000_000_000;
/// Challenges remembered at once; the oldest go first (a retry follows its challenge within
/// moments; a password guesser's thousands of rounds a second need not all be remembered).
const MAX_CHALLENGES: usize = 16_384;

/// A challenge sent to a requester.
#[derive(Debug)]
struct Challenge {
    leg: usize,
    at: Timestamp,
    requester: IpAddr,
    method: CompactString,
    answered: bool,
}

/// Where the weaker rule looks: requester, method, From AOR.
type SourceKey = (SocketAddr, CompactString, CompactString);

/// Challenges seen recently.
#[derive(Default)]
pub struct AuthRetry {
    by_digest: HashMap<DigestKey, Challenge>,
    by_source: HashMap<SourceKey, (usize, Timestamp)>,
    /// Challenges in order of arrival, to forget them.
    order: VecDeque<(Timestamp, Option<DigestKey>, SourceKey)>,
}

impl AuthRetry {
    /// Notes a 401/407 answering a request of leg `leg`.
    pub fn track(&mut self, record: &MessageRecord, leg: usize) {
        if !matches!(record.code(), Some(401 | 407)) || record.retransmission {
            return;
        }
        self.forget_old(record.ts);
        let source: SourceKey = (record.dst, record.cseq_method.clone(), aor(record));
        self.by_source.insert(source.clone(), (leg, record.ts));
        let digest = record.digest.as_deref();
        self.order.push_back((record.ts, digest.cloned(), source));
        let Some(digest) = digest else {
            return;
        };
        // A relayed challenge (registrar → proxy → phone) is the same challenge: the latest
        // hop names the requester.
        self.by_digest.insert(
            digest.clone(),
            Challenge {
                leg,
                at: record.ts,
                requester: record.dst.ip(),
                method: record.cseq_method.clone(),
                answered: false,
            },
        );
    }

    /// The challenged leg the initial request of a new leg `leg` retries, if any; the
    /// heuristic is tried only when `heuristic` is allowed.
    pub fn find(
        &mut self,
        record: &MessageRecord,
        leg: usize,
        heuristic: bool,
    ) -> Option<Proposal> {
        if !record.has_credentials || !record.is_initial_request() {
            return None;
        }
        let method = record.method()?;
        if let Some(digest) = record.digest.as_deref() {
            if let Some(c) = self.by_digest.get_mut(digest) {
                let fits = !c.answered
                    && c.leg != leg
                    && c.method == method
                    && c.requester == record.src.ip()
                    && record.ts.nanos_since(c.at) <= LIFETIME_NANOS;
                if fits {
                    c.answered = true;
                    return Some(Proposal {
                        leg,
                        to: c.leg,
                        rule: JoinRule::AuthRetry,
                        heuristic: false,
                        host: None,
                        evidence: format!(
                            "the {method} retried with credentials under Call-ID {} answers the challenge of realm \"{}\" (same nonce)",
                            record.call_id, digest.realm
                        ),
                    });
                }
                return None;
            }
        }
        if !heuristic {
            return None;
        }
        let key: SourceKey = (record.src, method.into(), aor(record));
        let &(to, at) = self.by_source.get(&key)?;
        if to == leg || record.ts.nanos_since(at) > HEURISTIC_NANOS {
            return None;
        }
        self.by_source.remove(&key);
        Some(Proposal {
            leg,
            to,
            rule: JoinRule::AuthRetry,
            heuristic: true,
            host: None,
            evidence: format!(
                "heuristic: the {method} with credentials under Call-ID {} came from {} for the same AOR {} s after a challenge (no nonce to match)",
                record.call_id,
                record.src,
                record.ts.nanos_since(at) / 1_000_000_000
            ),
        })
    }

    fn forget_old(&mut self, now: Timestamp) {
        while let Some((at, digest, source)) = self.order.front() {
            let old = now.nanos_since(*at) > LIFETIME_NANOS;
            if !old && self.order.len() < MAX_CHALLENGES {
                break;
            }
            if let Some(digest) = digest {
                if self.by_digest.get(digest).is_some_and(|c| c.at <= *at) {
                    self.by_digest.remove(digest);
                }
            }
            if self.by_source.get(source).is_some_and(|(_, t)| *t <= *at) {
                self.by_source.remove(source);
            }
            self.order.pop_front();
        }
    }
}

/// The From URI without parameters: the AOR that asks.
fn aor(record: &MessageRecord) -> CompactString {
    let uri = record.from.uri.as_str();
    uri.split(';').next().unwrap_or(uri).into()
}
