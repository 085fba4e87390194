//! The two legs of a call through a back-to-back user agent (Asterisk, FreeSWITCH, an SBC):
//! the B2BUA answers the caller's INVITE on the A-leg and places its own INVITE on the B-leg,
//! with a new Call-ID, new tags and, often, no header naming the other leg.
//!
//! Evidence, gathered in two steps:
//! 1. When a host sends an initial INVITE under a new Call-ID while it serves INVITEs it
//!    received less than [`WINDOW_NANOS`] before, those INVITEs are the candidates. Each is
//!    scored on its users: the called user (Request-URI, To) counts 2, the calling user (From,
//!    P-Asserted-Identity) counts 1, numbers compared after normalisation (a national
//!    `0612345678` and an E.164 `+33612345678` agree on their last nine digits). A candidate
//!    with no user in common is dropped. A single best candidate is joined at once.
//! 2. Several candidates with the same best score (calls to one number set up in the same
//!    instant) wait for the B2BUA to relay what happens: an answer, a refusal or a hang-up that
//!    reaches it on one leg and leaves it on the other within [`MIRROR_NANOS`] is a vote for
//!    that pair, when no other pending pair could explain it. A final answer, a CANCEL or a BYE
//!    decides; ringing needs a second vote. Votes for two candidates spoil the decision for
//!    good: a wrong join is worse than a missed one.
//!
//! Limits: a B2BUA that answers the caller before dialling (an IVR), rewrites both numbers,
//! or waits longer than the window before dialling is not joined. A direct call between two
//! other hosts is never a candidate: its INVITE is not sent by a host serving one.

use std::collections::VecDeque;
use std::net::IpAddr;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use super::serving::{OpenRequest, Serving};
use super::{JoinRule, Proposal};
use crate::capture::Timestamp;
use crate::correlate::record::MessageRecord;
use crate::correlate::store::LegStore;

/// How long after the A-leg's INVITE reached the B2BUA its B-leg INVITE may leave.
pub const WINDOW_NANOS: i64 = 5_000_000_000;
/// How long a B2BUA takes to relay an answer, a CANCEL or a BYE from one leg to the other.
pub const MIRROR_NANOS: i64 = 250_000_000;
/// How long an undecided B-leg waits for votes (its BYE may come after a long talk).
const PENDING_NANOS: i64 = 3_600_000_000_000;
/// Undecided B-legs remembered at once, and per B2BUA (what a message from a B2BUA is compared
/// with); the oldest of the host go first.
const MAX_PENDING: usize = 4096;
const MAX_PENDING_PER_HOST: usize = 256;
/// Recent signals kept per B2BUA host.
const MAX_SIGNALS: usize = 64;

/// What a B2BUA relays from one leg to the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signal {
    Ringing,
    Answered,
    Refused,
    Cancel,
    Bye,
}

impl Signal {
    fn of(record: &MessageRecord, initial: bool) -> Option<Signal> {
        if record.retransmission {
            return None;
        }
        match (record.method(), record.code()) {
            (Some("CANCEL"), _) => Some(Signal::Cancel),
            (Some("BYE"), _) => Some(Signal::Bye),
            (None, Some(code)) if initial && record.cseq_method == "INVITE" => match code {
                180..=199 => Some(Signal::Ringing),
                200..=299 => Some(Signal::Answered),
                // A challenge is the B2BUA's own business with one side.
                401 | 407 => None,
                300.. => Some(Signal::Refused),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether one relay of it is enough to decide.
    fn decides(self) -> bool {
        self != Signal::Ringing
    }
}

/// A B-leg waiting for votes between candidate A-legs.
#[derive(Debug)]
struct Pending {
    b_leg: usize,
    host: IpAddr,
    since: Timestamp,
    candidates: SmallVec<[usize; 4]>,
    /// (candidate, votes, a deciding vote among them).
    votes: SmallVec<[(usize, u32, bool); 2]>,
}

/// Undecided B-legs and what their B2BUAs received lately.
#[derive(Default)]
pub struct B2bua {
    /// By B2BUA host.
    pending: HashMap<IpAddr, VecDeque<Pending>>,
    /// Undecided B-legs over all hosts.
    waiting: usize,
    received: HashMap<IpAddr, VecDeque<(Timestamp, usize, Signal)>>,
}

impl B2bua {
    /// The A-leg of a new leg `leg` whose initial INVITE is `record`, when the evidence names
    /// one; when several candidates tie, the decision waits for [`B2bua::observe`].
    pub fn find(
        &mut self,
        serving: &Serving,
        legs: &LegStore,
        record: &MessageRecord,
        leg: usize,
    ) -> Option<Proposal> {
        if record.method() != Some("INVITE") || !record.is_initial_request() {
            return None;
        }
        let host = record.src.ip();
        let mut best = 0;
        let mut tops: SmallVec<[&OpenRequest; 4]> = SmallVec::new();
        for open in serving.at(host) {
            let recent = record.ts.nanos_since(open.at) <= WINDOW_NANOS;
            if open.method != "INVITE" || open.leg == leg || !recent {
                continue;
            }
            let score = user_score(record, open);
            if score == 0 || score < best {
                continue;
            }
            if score > best {
                best = score;
                tops.clear();
            }
            tops.push(open);
        }
        match tops.as_slice() {
            [] => None,
            [a] => {
                let a_call_id = legs.get(a.leg).map_or("?", |l| l.call_id.as_str());
                let users = match best {
                    3 => "called and calling users agree",
                    2 => "called user agrees",
                    _ => "calling user agrees",
                };
                Some(Proposal {
                    leg,
                    to: a.leg,
                    rule: JoinRule::B2bua,
                    heuristic: false,
                    host: Some(host),
                    evidence: format!(
                        "{host} sent the INVITE of Call-ID {} {} ms after the INVITE of Call-ID {a_call_id} reached it; {users}",
                        record.call_id,
                        record.ts.nanos_since(a.at) / 1_000_000
                    ),
                })
            }
            _ => {
                let list = self.pending.entry(host).or_default();
                if list.len() >= MAX_PENDING_PER_HOST || self.waiting >= MAX_PENDING {
                    // The host's oldest gives way; with none, this one is not followed.
                    list.pop_front()?;
                    self.waiting -= 1;
                }
                self.waiting += 1;
                list.push_back(Pending {
                    b_leg: leg,
                    host,
                    since: record.ts,
                    candidates: tops.iter().map(|o| o.leg).collect(),
                    votes: SmallVec::new(),
                });
                None
            }
        }
    }

    /// Takes every message while decisions wait: what reaches a B2BUA is remembered, what
    /// leaves it is matched with what reached it.
    pub fn observe(
        &mut self,
        legs: &LegStore,
        record: &MessageRecord,
        leg: usize,
        initial: bool,
    ) -> Option<Proposal> {
        if self.waiting == 0 {
            if !self.received.is_empty() {
                self.received.clear();
                self.pending.clear();
            }
            return None;
        }
        let signal = Signal::of(record, initial)?;
        let (to, from) = (record.dst.ip(), record.src.ip());
        if self.pending.get(&to).is_some_and(|l| !l.is_empty()) {
            let list = self.received.entry(to).or_default();
            if list.len() >= MAX_SIGNALS {
                list.pop_front();
            }
            list.push_back((record.ts, leg, signal));
        }
        let pending = self.pending.get_mut(&from)?;
        while pending
            .front()
            .is_some_and(|p| record.ts.nanos_since(p.since) > PENDING_NANOS)
        {
            pending.pop_front();
            self.waiting -= 1;
        }
        let received = self.received.get(&from)?;
        let now = record.ts;
        let got = |l: usize| {
            received
                .iter()
                .any(|&(at, x, s)| x == l && s == signal && now.nanos_since(at) <= MIRROR_NANOS)
        };
        // (pending, candidate) pairs this relay could be.
        let mut pairs: SmallVec<[(usize, usize); 2]> = SmallVec::new();
        for (i, p) in pending.iter().enumerate() {
            if p.b_leg == leg {
                // The caller's CANCEL or BYE, relayed to the callee.
                pairs.extend(p.candidates.iter().filter(|&&c| got(c)).map(|&c| (i, c)));
            } else if p.candidates.contains(&leg) && got(p.b_leg) {
                // The callee's answer or BYE, relayed to the caller.
                pairs.push((i, leg));
            }
        }
        let [(i, candidate)] = pairs.as_slice() else {
            return None;
        };
        let (i, candidate) = (*i, *candidate);
        let p = pending.get_mut(i)?;
        match p.votes.iter_mut().find(|v| v.0 == candidate) {
            Some(v) => {
                v.1 += 1;
                v.2 |= signal.decides();
            }
            None => p.votes.push((candidate, 1, signal.decides())),
        }
        let decided = match p.votes.as_slice() {
            [(c, n, decides)] => (*n >= 2 || *decides).then_some(*c),
            _ => {
                // Votes for two candidates: never join.
                pending.remove(i);
                self.waiting -= 1;
                return None;
            }
        };
        let a_leg = decided?;
        let p = pending.remove(i)?;
        self.waiting -= 1;
        let call_id = |l: usize| legs.get(l).map_or("?", |l| l.call_id.as_str());
        Some(Proposal {
            leg: p.b_leg,
            to: a_leg,
            rule: JoinRule::B2bua,
            heuristic: false,
            host: Some(p.host),
            evidence: format!(
                "{} relayed between Call-ID {} and Call-ID {} within {} ms (several calls to the same user at once: decided by what it relayed)",
                p.host,
                call_id(a_leg),
                call_id(p.b_leg),
                MIRROR_NANOS / 1_000_000
            ),
        })
    }
}

/// How well the users of a B-leg INVITE agree with those of a candidate A-leg INVITE: 2 for
/// the called user, 1 for the calling user.
fn user_score(b: &MessageRecord, a: &OpenRequest) -> u8 {
    let b_called = [b.request_user().map(Into::into), b.to.user.clone()];
    let a_called = [a.user.clone(), a.to_user.clone()];
    let b_calling = [b.from.user.clone(), b.asserted_user.clone()];
    let a_calling = [a.from_user.clone(), a.asserted_user.clone()];
    let agree = |xs: &[Option<compact_str::CompactString>; 2],
                 ys: &[Option<compact_str::CompactString>; 2]| {
        xs.iter()
            .flatten()
            .any(|x| ys.iter().flatten().any(|y| same_user(x, y)))
    };
    2 * u8::from(agree(&b_called, &a_called)) + u8::from(agree(&b_calling, &a_calling))
}

/// How many trailing digits two spellings of a number must share ([`same_user`]).
pub const NUMBER_DIGITS_COMPARED: usize = 9;

/// Two user parts name the same user: equal (case aside), or the same telephone number once
/// written alike (digits only, compared on their last nine digits when both have six or more,
/// so that national and E.164 forms agree).
pub fn same_user(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (Some(x), Some(y)) = (digits(a), digits(b)) else {
        return false;
    };
    if x == y {
        return true;
    }
    let n = x.len().min(y.len()).min(NUMBER_DIGITS_COMPARED);
    n >= 6 && x.get(x.len() - n..) == y.get(y.len() - n..)
}

/// The digits of a telephone number (`+`, spaces, dots, dashes and brackets allowed), or
/// `None` when the user part is not one.
fn digits(user: &str) -> Option<String> {
    let phone = user
        .bytes()
        .all(|c| c.is_ascii_digit() || b"+-.() ".contains(&c));
    let digits: String = user.chars().filter(char::is_ascii_digit).collect();
    (phone && !digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::same_user;

    #[test]
    fn numbers_agree_in_national_and_e164_forms() {
        assert!(same_user("0612345678", "+33612345678"));
        assert!(same_user("+33 6 12 34 56 78", "0033612345678"));
        assert!(same_user("Bob", "bob"));
        assert!(same_user("100", "100"));
        assert!(!same_user("0612345678", "0712345678"));
        assert!(!same_user("100", "1100"));
        assert!(!same_user("alice", "bob"));
    }
}
