//! A proxy re-issuing a request as its own UAC (the seed's F4: the proxy sends its own
//! REGISTER to the registrar, with a new Call-ID, after receiving F3 and before answering it).
//!
//! Evidence: an initial request with a new Call-ID, other than INVITE (a host that bridges
//! INVITEs is a back-to-back user agent, [`super::b2bua`]), sent by a host that has an
//! unanswered request of the same method in progress for the same user (the To user of a
//! REGISTER, the Request-URI user otherwise). The most recent such request wins.
//!
//! Limits: a host serving two requests of one method for one user at once (two phones
//! registering the same AOR through it within the same instant) may be joined to the later.

use super::serving::{Serving, request_user};
use super::{JoinRule, Proposal};
use crate::correlate::record::MessageRecord;

/// The request `record` (a new leg's initial request, `leg`) re-issues, if any.
pub fn find(serving: &Serving, record: &MessageRecord, leg: usize) -> Option<Proposal> {
    let method = record.method()?;
    if method == "INVITE" {
        return None;
    }
    let user = request_user(record)?;
    let open = serving
        .at(record.src.ip())
        .iter()
        .rev()
        .find(|o| o.method == method && o.leg != leg && o.user.as_ref() == Some(&user))?;
    Some(Proposal {
        leg,
        to: open.leg,
        rule: JoinRule::ProxyReissue,
        heuristic: false,
        host: Some(record.src.ip()),
        evidence: format!(
            "{} re-issued the {method} it was serving for user {user} as its own UAC (new Call-ID {})",
            record.src.ip(),
            record.call_id
        ),
    })
}
