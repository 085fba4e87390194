//! Explanations of a call's messages, with the context correlation knows: the request a
//! response answers, a challenge a request retries after, a 2xx ACK, a proxy re-issuing a
//! request as its own UAC, retransmissions, ICMP errors, and who sends to whom.

use std::net::SocketAddr;

use crate::correlate::{CallSummary, JoinRule, MessageRecord};
use crate::explain::{self, Context, Explanation, Lang};
use crate::render::model::{LadderModel, Participant, Role};
use crate::sip::Message;

/// One message of a call and its explanation.
pub struct Annotated<'r> {
    /// The record.
    pub record: &'r MessageRecord,
    /// Its number in the call's ladder (1-based).
    pub number: usize,
    /// The explanation, or `None` when the bytes were not kept or do not parse.
    pub explanation: Option<Explanation>,
}

/// The role of each SIP column of a call's ladder, as the course names them: the UAC that
/// starts, the proxies in between, and the registrar or UAS at the far end. Columns that only
/// media reaches take no place in that order.
fn roles(call: &CallSummary, model: &LadderModel) -> Vec<&'static str> {
    let n = sip_columns(model).count();
    let far_end = if call.kind == "registration" {
        "registrar"
    } else {
        "UAS"
    };
    (0..n)
        .map(|i| match i {
            0 => "UAC",
            i if i + 1 == n => far_end,
            _ => "proxy",
        })
        .collect()
}

/// The columns of a ladder that SIP messages reach.
fn sip_columns(model: &LadderModel) -> impl Iterator<Item = &Participant> {
    model
        .participants
        .iter()
        .filter(|p| p.role != Some(Role::Media))
}

/// Explains every message of a call in `lang`.
pub fn annotate<'r>(
    call: &CallSummary,
    records: &[&'r MessageRecord],
    model: &LadderModel,
    lang: Lang,
) -> Vec<Annotated<'r>> {
    let parsed: Vec<Option<Message<'_>>> = records
        .iter()
        .map(|r| r.raw.as_deref().and_then(|raw| Message::parse(raw).ok()))
        .collect();
    let roles = roles(call, model);
    let label_of = |address: SocketAddr| -> Option<&str> {
        let column = sip_columns(model).position(|p| p.addresses.contains(&address))?;
        roles.get(column).copied()
    };
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let joined_as = |rule: JoinRule, call_id: &str| {
                call.joins
                    .iter()
                    .any(|j| j.rule == rule && j.call_id == call_id)
            };
            let earlier = records.get(..i).unwrap_or_default();
            let request = (r.method().is_none())
                .then(|| {
                    earlier
                        .iter()
                        .rposition(|e| e.transaction == r.transaction && e.method().is_some())
                })
                .flatten()
                .and_then(|j| parsed.get(j).and_then(Option::as_ref));
            // A retry under a new Call-ID (the course's F3) answers a challenge of another leg.
            let retried_across = joined_as(JoinRule::AuthRetry, &r.call_id);
            let previous_challenge = if r.method().is_some() && r.has_credentials {
                earlier
                    .iter()
                    .rev()
                    .filter(|e| e.call_id == r.call_id || retried_across)
                    .find_map(|e| e.code().filter(|c| *c == 401 || *c == 407))
            } else {
                None
            };
            let is_ack = r.method() == Some("ACK");
            // A 2xx ACK opens a transaction of its own: nothing before it shares its key.
            let is_2xx_ack = is_ack && !earlier.iter().any(|e| e.transaction == r.transaction);
            let acked_status = if is_2xx_ack {
                earlier
                    .iter()
                    .rev()
                    .filter(|e| e.call_id == r.call_id && e.cseq_method == "INVITE")
                    .find_map(|e| e.code().filter(|c| (200..300).contains(c)))
            } else if is_ack {
                earlier
                    .iter()
                    .rev()
                    .filter(|e| e.transaction == r.transaction)
                    .find_map(|e| e.code().filter(|c| *c >= 300))
            } else {
                None
            };
            let first_of_leg = !earlier.iter().any(|e| e.call_id == r.call_id);
            let proxy_reissue = first_of_leg
                && r.call_id != call.call_id
                && r.is_initial_request()
                && joined_as(JoinRule::ProxyReissue, &r.call_id);
            let ctx = Context {
                sender_label: label_of(r.src),
                receiver_label: label_of(r.dst),
                request,
                previous_challenge,
                retransmission: r.retransmission,
                proxy_reissue,
                initial_request: r.method().map(|_| r.is_initial_request()),
                is_2xx_ack,
                acked_status,
                icmp_error: r.icmp.as_deref(),
                source: Some(r.src),
                destination: Some(r.dst),
                transport: Some(r.transport.as_str()),
            };
            Annotated {
                record: r,
                number: i + 1,
                explanation: parsed
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|m| explain::explain(m, &ctx, lang)),
            }
        })
        .collect()
}
