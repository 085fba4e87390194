//! Calls across hops: legs joined into one call when the capture shows they are the same
//! exchange (the rules are in [`super::join`], one module each), and the summary of each call.
//!
//! The first leg leads the summary (its kind, parties and the caller's timings), except where a
//! leg was retried with credentials under a new Call-ID ([`JoinRule::AuthRetry`]): the retry
//! then carries the outcome (state, final status, answer and hang-up), and the challenges of
//! every attempt are counted.

use std::collections::HashSet;
use std::net::SocketAddr;

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use super::diagnosis::{self, Finding};
use super::join::{Join, JoinRule};
use super::leg::{Kind, Leg};
use crate::capture::Timestamp;

/// Union-find over legs, smallest leg id as the root so a call keeps its first leg's number.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// The parent of each leg joined under another (a leg absent is its own root: the legs of
    /// a flood, each alone, cost nothing here). Kept after the call ends, for the media
    /// streams that name a leg of it.
    parent: HashMap<usize, usize>,
    /// The legs of each group of more than one leg, by root.
    members: HashMap<usize, Vec<usize>>,
}

impl Groups {
    /// The root of a leg's group, compressing the path to it.
    pub fn find(&mut self, leg: usize) -> usize {
        let root = self.root(leg);
        let mut at = leg;
        while let Some(&p) = self.parent.get(&at) {
            if p == root {
                break;
            }
            self.parent.insert(at, root);
            at = p;
        }
        root
    }

    /// The root of a leg's group.
    pub fn root(&self, leg: usize) -> usize {
        let mut root = leg;
        while let Some(&p) = self.parent.get(&root) {
            root = p;
        }
        root
    }

    pub fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (keep, merge) = (ra.min(rb), ra.max(rb));
        self.parent.insert(merge, keep);
        let merged = self.members.remove(&merge).unwrap_or_else(|| vec![merge]);
        self.members
            .entry(keep)
            .or_insert_with(|| vec![keep])
            .extend(merged);
        true
    }

    /// The legs of the group whose root is `root`, in order of id (of creation).
    pub fn members(&self, root: usize) -> Vec<usize> {
        let mut legs = self
            .members
            .get(&root)
            .cloned()
            .unwrap_or_else(|| vec![root]);
        legs.sort_unstable();
        legs
    }

    /// Forgets the member list of a group whose legs are gone (the roots stay, for the media
    /// streams that name them).
    pub fn forget(&mut self, root: usize) {
        self.members.remove(&root);
    }
}

/// One line of `sipladder calls`: a call, registration, subscription or other exchange, over
/// all its legs. The JSON shape is the design's contract (fields may be added, never renamed).
#[derive(Clone, Debug, Serialize)]
pub struct CallSummary {
    /// 1-based number, in order of first message.
    pub id: usize,
    /// call, registration, subscription, message, options or other.
    pub kind: &'static str,
    /// The Call-ID of the first leg.
    pub call_id: String,
    /// The method that opened it.
    pub method: String,
    /// From URI.
    pub from: String,
    /// To URI.
    pub to: String,
    /// Where it stands at the end of the capture.
    pub state: &'static str,
    /// Final status code of the opening request (after challenges).
    pub final_status: Option<u16>,
    /// SIP messages, retransmissions included.
    pub messages: u32,
    /// Retransmissions.
    pub retransmissions: u32,
    /// Time of the first message (RFC 3339).
    pub start: String,
    /// First to last message.
    pub duration_ms: Option<u64>,
    /// INVITE to 2xx, as the caller saw it.
    pub setup_ms: Option<u64>,
    /// INVITE to the first 18x (post-dial delay).
    pub post_dial_delay_ms: Option<u64>,
    /// ACK (else 2xx) to BYE: how long the parties talked.
    pub talk_ms: Option<u64>,
    /// Who hung up: caller or callee.
    pub hangup: Option<&'static str>,
    /// Every address involved, in order of appearance.
    pub participants: Vec<String>,
    /// The transports its messages travelled on, in order of appearance (`UDP`, `TLS`...).
    pub transports: Vec<&'static str>,
    /// Every Call-ID of its legs, first leg first (each once: a Call-ID may hold several
    /// exchanges).
    pub call_ids: Vec<String>,
    /// The rule that joined each leg after the first (`x-call-id`, `auth-retry`,
    /// `proxy-reissue`, `b2bua`); empty for a single leg.
    pub joined_by: Vec<&'static str>,
    /// Each join with its evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<Join>,
    /// What went wrong, in words (filled in the chosen language before output, see
    /// `explain::diagnosis`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Vec<crate::correlate::diagnosis::Described>>,
    /// The number of the attack it is part of ([`super::attack::AttackFinding::number`]): the
    /// table and the report show the exchanges of one attack as one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack: Option<usize>,
    /// The findings its legs show (media aside), for [`CallSummary::diagnosis`].
    #[serde(skip)]
    pub findings: Vec<Finding>,
    /// Its INVITE offered a session description (media is expected once answered).
    #[serde(skip)]
    pub sdp: bool,
    /// Copies of its messages taken twice by the capture (a mirror port, two capture points),
    /// not counted in `messages`.
    pub duplicates: u32,
    /// ICMP errors about its messages.
    pub icmp_errors: u32,
    /// Address of record (registrations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aor: Option<String>,
    /// Expiry granted by the registrar (registrations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<u32>,
    /// Times the request was challenged (401/407).
    pub challenges: u32,
    /// Successful re-registrations after the first (registrations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refreshes: Option<u32>,
    /// Dialogs (Call-ID and both tags) over its legs; early dialogs of a forked INVITE count.
    pub dialogs: usize,
    /// Early or confirmed dialogs the INVITE created at the caller, when more than one (the
    /// INVITE forked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forks: Option<usize>,
    /// The legs, in order.
    #[serde(skip)]
    pub legs: Vec<usize>,
    /// Each leg's Call-ID (a position in `call_ids`) and the frame of its first message, which
    /// name it across two readings of a capture.
    #[serde(skip)]
    pub leg_keys: smallvec::SmallVec<[(usize, u64); 1]>,
    /// Start as a timestamp, for filters.
    #[serde(skip)]
    pub start_ts: Timestamp,
    /// End as a timestamp, for filters.
    #[serde(skip)]
    pub end_ts: Timestamp,
    /// The frames from its first message to its last (see [`Leg::frames`]).
    #[serde(skip)]
    pub frames: std::ops::RangeInclusive<u64>,
    /// Indexes of its messages, in capture order, when messages were kept.
    #[serde(skip)]
    pub message_indices: Vec<usize>,
}

fn millis(later: Option<Timestamp>, earlier: Option<Timestamp>) -> Option<u64> {
    let (l, e) = (later?, earlier?);
    u64::try_from(l.nanos_since(e) / 1_000_000).ok()
}

/// Sums up the legs of one call (the first leg leads: its kind, parties, state and timings).
pub fn summarize(
    id: usize,
    legs: &[&Leg],
    joins: &[&Join],
    capture_end: Timestamp,
    keep_indices: bool,
) -> Option<CallSummary> {
    let first = *legs.first()?;
    let lead = lead(legs, joins).unwrap_or(first);
    let start = legs.iter().map(|l| l.start).min()?;
    let end = legs.iter().map(|l| l.end).max()?;
    let mut participants: Vec<SocketAddr> = Vec::new();
    let mut seen: HashSet<SocketAddr> = HashSet::new();
    for leg in legs {
        for p in &leg.participants {
            if seen.insert(*p) {
                participants.push(*p);
            }
        }
    }
    let mut message_indices: Vec<usize> = Vec::new();
    if keep_indices {
        message_indices.extend(legs.iter().flat_map(|l| l.message_indices()));
        message_indices.sort_unstable();
    }
    // F label of a message: its rank among the call's messages (each leg's are in order).
    let label = |index: usize| -> Option<String> {
        let known = legs.iter().any(|l| l.has_message(index));
        let before: usize = legs.iter().map(|l| l.messages_before(index)).sum();
        known.then(|| format!("F{}", before + 1))
    };
    let state = lead.state(capture_end);
    let findings = diagnosis::of_legs(legs, first, lead, state, &label);
    let mut call_ids: Vec<String> = Vec::with_capacity(legs.len());
    let mut leg_keys = smallvec::SmallVec::new();
    for leg in legs {
        let at = match call_ids.iter().position(|id| *id == leg.call_id) {
            Some(at) => at,
            None => {
                call_ids.push(leg.call_id.clone());
                call_ids.len() - 1
            }
        };
        leg_keys.push((at, leg.opened_in));
    }
    let c = &lead.call;
    // Setup and post-dial delay run from the first INVITE, challenged or not.
    let invite_at = first.call.invite_at.or(c.invite_at);
    let is_call = first.kind == Kind::Call;
    let is_registration = first.kind == Kind::Registration;
    Some(CallSummary {
        id,
        kind: first.kind.as_str(),
        call_id: first.call_id.clone(),
        method: first.method.to_string(),
        from: first.from.uri.to_string(),
        to: first.to.uri.to_string(),
        state,
        final_status: lead.final_status(),
        messages: legs.iter().map(|l| l.messages).sum(),
        retransmissions: legs.iter().map(|l| l.retransmissions).sum(),
        start: start.to_string(),
        // A call still up when the capture ends lasts at least until then.
        duration_ms: millis(
            Some(if state == "established" {
                end.max(capture_end)
            } else {
                end
            }),
            Some(start),
        ),
        setup_ms: if is_call {
            millis(c.answered_at, invite_at)
        } else {
            None
        },
        post_dial_delay_ms: if is_call {
            millis(c.ringing_at, invite_at)
        } else {
            None
        },
        talk_ms: if is_call {
            millis(c.bye_at, c.ack_at.or(c.answered_at))
        } else {
            None
        },
        hangup: c.hangup.filter(|_| is_call),
        participants: participants.iter().map(|p| p.to_string()).collect(),
        transports: legs
            .iter()
            .flat_map(|l| l.transports.iter().map(|t| t.as_str()))
            .fold(Vec::new(), |mut all, t| {
                if !all.contains(&t) {
                    all.push(t);
                }
                all
            }),
        call_ids,
        joined_by: joins.iter().map(|j| j.rule.as_str()).collect(),
        joins: joins.iter().map(|&j| j.clone()).collect(),
        duplicates: legs.iter().map(|l| l.duplicates).sum(),
        diagnosis: None,
        attack: None,
        findings,
        sdp: legs
            .iter()
            .any(|l| l.evidence.more().is_some_and(|m| !m.offer.is_empty())),
        icmp_errors: legs.iter().map(|l| l.icmp_errors).sum(),
        aor: is_registration.then(|| first.registration.aor.to_string()),
        expires: if is_registration {
            lead.registration.granted_expires
        } else {
            None
        },
        challenges: legs
            .iter()
            .filter(|l| l.kind == first.kind)
            .map(|l| match l.kind {
                Kind::Registration => l.registration.challenges,
                Kind::Call => l.call.challenges,
                _ => 0,
            })
            .sum(),
        refreshes: is_registration.then(|| lead.registration.successes.saturating_sub(1)),
        dialogs: legs.iter().map(|l| l.dialogs.len()).sum(),
        forks: (is_call && c.answer_tags.len() > 1).then_some(c.answer_tags.len()),
        legs: legs.iter().map(|l| l.id).collect(),
        leg_keys,
        start_ts: start,
        end_ts: end,
        frames: legs.iter().map(|l| *l.frames.start()).min()?
            ..=legs.iter().map(|l| *l.frames.end()).max()?,
        message_indices,
    })
}

/// The leg that carries the outcome: the first leg, or the last retry with credentials of it.
fn lead<'l>(legs: &[&'l Leg], joins: &[&Join]) -> Option<&'l Leg> {
    let mut at = legs.first()?.id;
    for _ in 0..joins.len() {
        let retry = joins
            .iter()
            .find(|j| j.rule == JoinRule::AuthRetry && j.to == at)
            .map(|j| j.leg);
        match retry {
            Some(next) => at = next,
            None => break,
        }
    }
    legs.iter().find(|l| l.id == at).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_smallest_leg_as_root() {
        let mut g = Groups::default();
        assert!(g.join(3, 1));
        assert!(g.join(4, 3));
        assert!(!g.join(1, 4));
        assert_eq!(g.find(4), 1);
        assert_eq!(g.find(0), 0);
        assert_eq!(g.find(99), 99);
        assert_eq!(g.root(4), 1);
        assert_eq!(g.members(1), [1, 3, 4]);
    }
}
