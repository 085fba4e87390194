/*!
Joining legs into calls: the rules that tell, from the capture alone, that legs under different
Call-IDs are one exchange. One module per rule, each saying its evidence and its limits:

| rule | module | evidence | `--join` |
|---|---|---|---|
| `x-call-id` | [`x_call_id`] | a header names the other leg's Call-ID | headers, all |
| `auth-retry` | [`auth_retry`] | a retry's credentials answer a 401/407's nonce | headers, all |
| `auth-retry` (heuristic) | [`auth_retry`] | same source, method and AOR soon after a challenge | all |
| `proxy-reissue` | [`proxy_reissue`] | a host re-issues a non-INVITE request it serves | all |
| `b2bua` | [`b2bua`] | a host serving an INVITE sends its own, users agree, relays match | all |

Rules only propose; the correlator joins live legs ([`super::Correlator`]) and keeps why.
*/

pub mod auth_retry;
pub mod b2bua;
pub mod proxy_reissue;
pub mod serving;
pub mod x_call_id;

use std::net::IpAddr;

use serde::Serialize;

use super::record::MessageRecord;
use super::store::LegStore;

/// Which rule joined two legs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinRule {
    /// A header named the other leg's Call-ID.
    XCallId,
    /// A request retried with credentials after a challenge.
    AuthRetry,
    /// A proxy re-issued a request as its own UAC.
    ProxyReissue,
    /// A back-to-back user agent bridged the legs.
    B2bua,
}

impl JoinRule {
    /// The rule's name in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            JoinRule::XCallId => "x-call-id",
            JoinRule::AuthRetry => "auth-retry",
            JoinRule::ProxyReissue => "proxy-reissue",
            JoinRule::B2bua => "b2bua",
        }
    }
}

/// Which rules may join legs (`--join`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JoinPolicy {
    /// Every rule.
    #[default]
    All,
    /// Only evidence read in headers: a named Call-ID, a nonce answered.
    Headers,
    /// None: one Call-ID exchange per row.
    None,
}

/// Why two legs were joined.
#[derive(Clone, Debug, Serialize)]
pub struct Join {
    /// The leg joined.
    #[serde(skip)]
    pub leg: usize,
    /// The leg it was joined to.
    #[serde(skip)]
    pub to: usize,
    /// The rule.
    pub rule: JoinRule,
    /// The Call-ID of the leg joined.
    pub call_id: String,
    /// The Call-ID of the leg it was joined to.
    pub to_call_id: String,
    /// A weaker rule, said so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub heuristic: bool,
    /// The host that bridged the legs or re-issued the request (`b2bua`, `proxy-reissue`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<IpAddr>,
    /// The evidence, in a sentence.
    pub evidence: String,
}

/// A join a rule proposes.
#[derive(Clone, Debug)]
pub struct Proposal {
    /// The leg to join.
    pub leg: usize,
    /// The leg to join it to.
    pub to: usize,
    /// The rule.
    pub rule: JoinRule,
    /// A weaker rule.
    pub heuristic: bool,
    /// The host that bridged or re-issued.
    pub host: Option<IpAddr>,
    /// The evidence.
    pub evidence: String,
}

/// The state every rule keeps.
#[derive(Default)]
pub struct Rules {
    policy: JoinPolicy,
    /// Requests each host serves.
    pub serving: serving::Serving,
    auth: auth_retry::AuthRetry,
    b2bua: b2bua::B2bua,
}

/// What the rules need to know of a message besides its record.
pub struct Seen {
    /// Its leg.
    pub leg: usize,
    /// Its leg was opened by it.
    pub new_leg: bool,
    /// Its transaction.
    pub tx: usize,
    /// Its transaction is an initial request's.
    pub initial: bool,
}

impl Rules {
    /// Rules under a policy.
    pub fn new(policy: JoinPolicy) -> Rules {
        Rules {
            policy,
            ..Rules::default()
        }
    }

    /// Takes a message (after its leg and transaction took it) and proposes the joins it
    /// shows; `max_hosts` caps the hosts whose requests are remembered.
    pub fn observe(
        &mut self,
        legs: &LegStore,
        record: &MessageRecord,
        seen: &Seen,
        max_hosts: usize,
        out: &mut Vec<Proposal>,
    ) {
        let all = self.policy == JoinPolicy::All;
        if self.policy != JoinPolicy::None {
            if !record.linked_call_ids.is_empty() {
                x_call_id::find(legs, record, seen.leg, out);
            }
            if seen.new_leg && record.is_initial_request() {
                let leg = seen.leg;
                out.extend(self.auth.find(record, leg, all));
                if all {
                    out.extend(proxy_reissue::find(&self.serving, record, leg));
                    out.extend(self.b2bua.find(&self.serving, legs, record, leg));
                }
            }
            if all {
                out.extend(self.b2bua.observe(legs, record, seen.leg, seen.initial));
            }
            self.auth.track(record, seen.leg);
        }
        if all {
            self.serving.track(record, seen.tx, seen.leg, max_hosts);
        }
    }
}

#[cfg(test)]
mod tests;
