/*!
Attacks: the scans, floods and password guessing that every SIP server on the internet receives
all day, named. A streaming detector counts, per message, who sends what to whom and what came
back (`tally.rs`), in tables of a fixed size: detection is one pass in bounded memory, for
`stats` too, which keeps no call summaries. At the end of the capture its counts become
findings ([`AttackFinding`]), and [`Verdict::mark`] gives the exchanges involved a diagnosis
code, `scan` or `brute-force`, as each call is produced: a source is known as a scanner only
after many attempts, so the code cannot be given when the exchange ends.

The shapes, each with the threshold that names it (see the constants in [`verdict`]):
- a *flood*: one source sending many requests a second, nearly none accepted;
- a *sweep*: one source probing many addresses (`svmap` over a /16);
- an *enumeration*: one source trying many users of a server, or numbered users in sequence,
  answered 404/401/403 (`svwar`);
- a *distributed scan*: many sources, one target, nearly none accepted;
- a *known scanner*: a User-Agent of a scanning tool (`scanners.rs`), once is enough;
- *password guessing* (`brute-force`): many rounds of credentials refused for one address of
  record, at a pace no phone retries at.
*/

mod count;
mod scanners;
mod tally;
pub mod verdict;

use std::net::IpAddr;

use compact_str::CompactString;

use crate::capture::SipPayload;
use crate::sip::framing::StartLine;

use super::record::MessageRecord;
use tally::{Request, Table};
pub use verdict::{AttackFinding, Named, Verdict};

/// Sources tallied at most: a source's tally is a few hundred bytes, 2 KB when it probes many
/// targets and users (its sketches, ±3 %).
const MAX_SOURCES: usize = 4096;
/// Targets tallied at most: each counts its distinct sources in a 4 KB sketch (±1.6 %).
const MAX_TARGETS: usize = 256;
/// Addresses of record tallied at most.
const MAX_AORS: usize = 2048;
/// Sources remembered as accepted by a server (a 2xx sent to them), which a distributed
/// scan's code spares.
const MAX_ACCEPTED: usize = 16_384;

/// The streaming detector: fed every SIP message, in capture order.
#[derive(Debug)]
pub struct Detector {
    sources: Table<IpAddr>,
    targets: Table<IpAddr>,
    aors: Table<CompactString>,
    accepted: rustc_hash::FxHashSet<IpAddr>,
}

impl Default for Detector {
    fn default() -> Detector {
        Detector {
            sources: Table::new(MAX_SOURCES, 10),
            targets: Table::new(MAX_TARGETS, 12),
            aors: Table::new(MAX_AORS, 8),
            accepted: rustc_hash::FxHashSet::default(),
        }
    }
}

impl Detector {
    /// Counts one message: `record` is `None` when only its start line could be read.
    pub fn observe(&mut self, payload: &SipPayload<'_>, record: Option<&MessageRecord>) {
        let (src, dst) = (payload.src.ip(), payload.dst.ip());
        match payload.framed.start {
            StartLine::Request { method } => {
                let agent = record.and_then(|r| r.agent.as_deref());
                let request = Request {
                    ts: payload.ts,
                    src,
                    dst,
                    method,
                    user: record.and_then(target_user),
                    agent,
                    scanner: agent.and_then(scanners::scanner),
                    credentials: record.is_some_and(|r| r.has_credentials),
                    malformed: record.is_none(),
                };
                self.sources.entry(&src).request(&request);
                self.targets.entry(&dst).request(&request);
                // Only what authenticates counts for password guessing.
                if let Some(r) = record.filter(|r| r.has_credentials || method == "REGISTER") {
                    self.aors.entry(&aor_key(r)).request(&request);
                }
            }
            StartLine::Response { code } => {
                if let Some(t) = self.sources.get_mut(&dst) {
                    t.response(code);
                }
                if let Some(t) = self.targets.get_mut(&src) {
                    t.response(code);
                }
                if let Some(t) = record.and_then(|r| self.aors.get_mut(aor_key(r).as_str())) {
                    t.response(code);
                }
                if (200..300).contains(&code) && self.accepted.len() < MAX_ACCEPTED {
                    self.accepted.insert(dst);
                }
            }
        }
    }

    /// What the counts show, and how to mark the exchanges involved.
    pub fn verdict(&self) -> Verdict {
        verdict::judge(&self.sources, &self.targets, &self.aors, &self.accepted)
    }
}

/// The From URI, which names the account authenticating (REGISTER and INVITE alike), cut to a
/// bounded length.
fn aor_key(r: &MessageRecord) -> CompactString {
    CompactString::from(cut_aor(&r.from.uri))
}

/// An address of record as the tables keep it: its first 128 bytes (or fewer, at a character
/// boundary).
fn cut_aor(uri: &str) -> &str {
    (0..=uri.len().min(128))
        .rev()
        .find_map(|end| uri.get(..end))
        .unwrap_or_default()
}

/// The user a request aims at: the Request-URI's, else the To header's (a REGISTER's
/// Request-URI names only the domain).
fn target_user(r: &MessageRecord) -> Option<&str> {
    let from_uri = match &r.start {
        super::record::Start::Request { uri, .. } => uri_user(uri),
        super::record::Start::Response { .. } => None,
    };
    from_uri.or(r.to.user.as_deref())
}

/// The user part of a URI as written (`sip:100@host;p` gives `100`).
fn uri_user(uri: &str) -> Option<&str> {
    let (_, rest) = uri.split_once(':')?;
    let (user, _) = rest.split_once('@')?;
    let user = user.split([';', ':']).next().unwrap_or(user);
    (!user.is_empty()).then_some(user)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod uri_tests {
    use super::uri_user;

    #[test]
    fn an_aor_is_cut_at_a_character_boundary() {
        let long = format!("sip:{}é@example.com", "a".repeat(123));
        assert_eq!(super::cut_aor(&long).len(), 127);
        assert_eq!(super::cut_aor("sip:1001@192.0.2.1"), "sip:1001@192.0.2.1");
    }

    #[test]
    fn user_of_a_request_uri() {
        assert_eq!(uri_user("sip:100@192.0.2.1"), Some("100"));
        assert_eq!(
            uri_user("sip:alice:secret@example.com;transport=tcp"),
            Some("alice")
        );
        assert_eq!(uri_user("sip:192.0.2.1"), None);
        assert_eq!(uri_user("tel:+331234"), None);
    }
}
