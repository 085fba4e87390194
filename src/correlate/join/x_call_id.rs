//! A header naming the other leg's Call-ID (`X-Call-ID`, `X-CID`, `X-Orig-Call-ID`,
//! `X-Original-Call-ID`, `X-Leg-Call-ID`), as many back-to-back user agents add: the
//! strongest evidence there is, read from the message itself (see
//! [`MessageRecord::linked_call_ids`]).
//!
//! Limits: the named Call-ID must still be followed (a leg over and summed up is not joined
//! again); of the legs of that Call-ID, the latest call is taken.

use super::{JoinRule, Proposal};
use crate::correlate::leg::Kind;
use crate::correlate::record::MessageRecord;
use crate::correlate::store::LegStore;

/// The legs `record` (of leg `leg`) names by their Call-ID.
pub fn find(legs: &LegStore, record: &MessageRecord, leg: usize, out: &mut Vec<Proposal>) {
    for other in &record.linked_call_ids {
        let ids = legs.of_call_id(other);
        let to = ids
            .iter()
            .rev()
            .find(|&&l| legs.get(l).is_some_and(|l| l.kind == Kind::Call))
            .or(ids.last());
        if let Some(&to) = to.filter(|&&to| to != leg) {
            out.push(Proposal {
                leg,
                to,
                rule: JoinRule::XCallId,
                heuristic: false,
                host: None,
                evidence: format!(
                    "a header of Call-ID {} names Call-ID {other}",
                    record.call_id
                ),
            });
        }
    }
}
