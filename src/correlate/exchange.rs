//! Exchanges inside one Call-ID. A Call-ID is not a call: a phone may register and then call
//! under the same Call-ID (SIPp's `branchc` scenario does), call twice in a row, or ping with
//! OPTIONS between calls. Each exchange becomes a leg of its own, with its own kind, state and
//! timings:
//!
//! - a message of a transaction already seen goes where its transaction went (responses,
//!   retransmissions, the ACK of a non-2xx answer, a CANCEL and the INVITE it cancels);
//! - a REGISTER goes to the Call-ID's registration (refreshes and retries with credentials
//!   included), whatever its tags;
//! - an in-dialog message (both tags) goes to the leg whose opening side's tag it carries in
//!   From or To (an INVITE dialog and its forks, a subscription and its NOTIFYs);
//! - a request outside any dialog goes to the Call-ID's latest leg of the same kind opened by
//!   the same side (same From tag): an INVITE retried after 401/407, OPTIONS pings counting
//!   their CSeq up. An INVITE after the previous call was hung up opens a new leg;
//! - so does one with another From tag, unless the leg's opening request still waits for its
//!   final answer: an agent that keeps the Call-ID but not the tags (an SBC hiding topology)
//!   is relaying it, and the far side's tag is adopted for its in-dialog messages.
//!
//! Anything else opens a new leg. Every decision is one hash lookup and a walk over the few
//! live legs of one Call-ID.

use super::leg::{Kind, Leg};
use super::record::MessageRecord;
use super::store::LegStore;

/// The live leg of `record`'s Call-ID it belongs to, given the leg of its transaction when that
/// transaction was seen before; `None` when it opens a new one.
pub fn leg_of(legs: &LegStore, record: &MessageRecord, tx_leg: Option<usize>) -> Option<usize> {
    let ids = legs.of_call_id(&record.call_id);
    if let Some(leg) = tx_leg.filter(|l| ids.contains(l)) {
        return Some(leg);
    }
    let live = || ids.iter().rev().filter_map(|&id| legs.get(id));
    let kind = Kind::of_method(record.transaction_method());
    if kind == Kind::Registration {
        return live().find(|l| l.kind == Kind::Registration).map(|l| l.id);
    }
    if let (Some(from), Some(to)) = (&record.from.tag, &record.to.tag) {
        return live()
            .find(|l| l.holds_dialog(from, to))
            // A dialog whose opening the capture missed: the latest leg that is not a
            // registration.
            .or_else(|| live().find(|l| l.kind != Kind::Registration))
            .map(|l| l.id);
    }
    if record.method().is_none() {
        // A response whose request the capture missed.
        return live()
            .find(|l| l.kind == kind && l.origin_tag == record.from.tag)
            .or_else(|| live().find(|l| l.kind == kind))
            .map(|l| l.id);
    }
    live()
        .find(|l| l.kind == kind && l.origin_tag == record.from.tag && takes_new_request(l))
        .or_else(|| {
            // A request without To tag from a side already in one of the leg's dialogs (a
            // NOTIFY that forgot the subscriber's tag).
            let tag = record.from.tag.as_deref()?;
            live().find(|l| l.kind == kind && l.dialogs.iter().any(|(a, b)| a == tag || b == tag))
        })
        .or_else(|| live().find(|l| l.kind == kind && l.in_progress()))
        .map(|l| l.id)
}

/// Whether a new request outside any dialog, of the leg's kind and from its opening side, still
/// belongs to it: not once a call was hung up (a new INVITE is then a new call).
fn takes_new_request(leg: &Leg) -> bool {
    leg.kind != Kind::Call || leg.call.bye_at.is_none()
}
