//! What a leg keeps for its diagnosis ([`super::diagnosis`]): the few facts a support engineer
//! looks for when a call fails (who refused it and with what, how often a request was sent in
//! vain, whether credentials were refused, who cancelled, whether the 2xx was ever
//! acknowledged, which codecs were offered and answered, a private address sent across a
//! public hop, the first ICMP error), noted message by message so that the messages are not
//! needed again.

use std::net::{IpAddr, SocketAddr};

use compact_str::CompactString;
use serde::Serialize;
use smallvec::SmallVec;

use super::record::MessageRecord;
use crate::capture::Timestamp;

/// Initial request transactions kept per leg.
const MAX_OPENINGS: usize = 8;
/// Codecs kept per offer or answer.
const MAX_CODECS: usize = 8;

/// The latest initial request of the leg (its opening, or a retry of it).
#[derive(Clone, Debug, Serialize)]
pub struct Opening {
    /// Its method.
    pub method: CompactString,
    /// Its transaction.
    pub tx: usize,
    /// Its first hop: the sender and the receiver of its first copy.
    pub src: SocketAddr,
    /// The receiver of its first copy.
    pub dst: SocketAddr,
    /// Copies sent by the first sender (retransmissions included).
    pub sends: u32,
    /// First and last copy.
    pub first_at: Timestamp,
    /// Last copy by the first sender.
    pub last_at: Timestamp,
    /// Index of its first copy.
    pub index: usize,
    /// It carried credentials.
    pub credentials: bool,
    /// Any response came back.
    pub answered: bool,
    /// The first final response to it.
    pub final_seen: Option<FinalSeen>,
}

/// The first final response to an initial request: the one nearest to whoever sent it (relays
/// come after).
#[derive(Clone, Debug, Serialize)]
pub struct FinalSeen {
    /// Status code.
    pub code: u16,
    /// Reason phrase.
    pub reason: CompactString,
    /// Who sent it.
    pub from: SocketAddr,
    /// Its index.
    pub index: usize,
    /// Retry-After, in seconds.
    pub retry_after: Option<u32>,
}

/// A private or loopback address announced across a public hop.
#[derive(Clone, Debug, Serialize)]
pub struct PrivateAddress {
    /// The address announced.
    pub address: IpAddr,
    /// Who announced it.
    pub from: SocketAddr,
    /// To whom.
    pub to: SocketAddr,
    /// The message.
    pub index: usize,
}

/// The first ICMP error about one of the leg's messages.
#[derive(Clone, Debug, Serialize)]
pub struct IcmpSeen {
    /// Who could not be reached.
    pub unreachable: SocketAddr,
    /// Who sent the message refused.
    pub sender: SocketAddr,
    /// What the error said.
    pub reason: &'static str,
    /// Who reported it.
    pub reporter: IpAddr,
    /// The message refused.
    pub index: usize,
}

/// The facts of a leg that a diagnosis rests on.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Evidence {
    /// The initial requests of the leg, in order: the opening side's and each relayed copy of
    /// them (a proxy's transaction toward the next hop), the latest few.
    pub openings: SmallVec<[Opening; 1]>,
    /// 401/407 or 403 answering a request of the opening side that carried credentials.
    pub refused_credentials: u32,
    /// Copies of a 2xx to the initial INVITE beyond the first (timer G), and the first 2xx.
    pub ok_resends: u32,
    /// Index of the first 2xx to the initial INVITE.
    pub ok_index: Option<usize>,
    /// Who sent it (its retransmissions are counted, not the relays of them).
    pub ok_from: Option<SocketAddr>,
    /// The rest, which few legs have or which is large: apart, so that a leg stays small.
    pub more: Option<Box<More>>,
}

/// The facts of a leg that are large or seldom there.
#[derive(Clone, Debug, Default, Serialize)]
pub struct More {
    /// The first CANCEL: who sent it, its index.
    pub cancel: Option<(SocketAddr, usize)>,
    /// Codecs of the first offer (initial INVITE) and of the first answer (a response).
    pub offer: Codecs,
    /// Codecs of the first answer.
    pub answer: Codecs,
    /// The answer's index.
    pub answer_index: Option<usize>,
    /// A private address sent across a public hop.
    pub private: Option<PrivateAddress>,
    /// The first ICMP error.
    pub icmp: Option<IcmpSeen>,
}

impl Evidence {
    /// The facts that few legs have, when there are some.
    pub fn more(&self) -> Option<&More> {
        self.more.as_deref()
    }

    /// The facts that few legs have, to note one.
    pub fn more_mut(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }

    /// The opening side's latest request: what the caller (or registrant) asked last.
    pub fn asked(&self) -> Option<&Opening> {
        let origin = self.openings.first()?.src;
        self.openings.iter().rev().find(|o| o.src == origin)
    }

    /// The final answer the opening side got, told by the hop nearest to its origin: of the
    /// requests relayed after the opening side's latest one, the deepest that got the same
    /// code (the callee's 486 rather than the proxy's relay of it).
    pub fn outcome(&self) -> Option<(&Opening, &FinalSeen)> {
        let origin = self.openings.first()?.src;
        let at = self.openings.iter().rposition(|o| o.src == origin)?;
        let asked = self.openings.get(at)?;
        let got = asked.final_seen.as_ref()?;
        let deepest = self
            .openings
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .rev()
            .find_map(|o| o.final_seen.as_ref().filter(|f| f.code == got.code));
        Some((asked, deepest.unwrap_or(got)))
    }

    /// The deepest request never answered, sent more than once (or by a host that gave up).
    pub fn unanswered(&self) -> Option<&Opening> {
        self.openings.iter().rev().find(|o| !o.answered)
    }

    /// Takes one message of the leg (retransmissions included), `tx` being its transaction.
    pub fn note(&mut self, r: &MessageRecord, tx: usize) {
        match (r.method(), r.code()) {
            (Some(method), _)
                if r.is_initial_request() && method != "ACK" && method != "CANCEL" =>
            {
                match self.openings.iter_mut().find(|o| o.tx == tx) {
                    Some(o) => {
                        if r.src == o.src {
                            o.sends += 1;
                            o.last_at = r.ts;
                        }
                    }
                    None => {
                        if self.openings.len() >= MAX_OPENINGS {
                            self.openings.remove(0);
                        }
                        self.openings.push(Opening {
                            method: method.into(),
                            tx,
                            src: r.src,
                            dst: r.dst,
                            sends: 1,
                            first_at: r.ts,
                            last_at: r.ts,
                            index: r.index,
                            credentials: r.has_credentials,
                            answered: false,
                            final_seen: None,
                        });
                    }
                }
                if method == "INVITE" && r.has_sdp && self.more().is_none_or(|m| m.offer.is_empty())
                {
                    self.more_mut().offer = codecs(r);
                }
            }
            (Some("CANCEL"), _) => {
                self.more_mut().cancel.get_or_insert((r.src, r.index));
            }
            (None, Some(code)) => self.response(r, code, tx),
            _ => {}
        }
        self.note_private(r);
    }

    fn response(&mut self, r: &MessageRecord, code: u16, tx: usize) {
        let origin = self.openings.first().map(|o| o.src);
        // By transaction, else (a response whose Via was mangled) by the hop it answers.
        let by_tx = self.openings.iter().position(|o| o.tx == tx);
        let by_hop = || {
            self.openings.iter().rposition(|o| {
                o.method == r.cseq_method && o.dst.ip() == r.src.ip() && o.src.ip() == r.dst.ip()
            })
        };
        let Some(o) = by_tx
            .or_else(by_hop)
            .and_then(|at| self.openings.get_mut(at))
        else {
            return;
        };
        o.answered = true;
        if r.cseq_method == "INVITE" {
            if r.has_sdp
                && code > 100
                && code < 300
                && self.more.as_ref().is_none_or(|m| m.answer.is_empty())
            {
                let more = self.more.get_or_insert_with(Box::default);
                more.answer = codecs(r);
                more.answer_index = Some(r.index);
            }
            if (200..300).contains(&code) {
                if self.ok_index.is_none() {
                    self.ok_index = Some(r.index);
                    self.ok_from = Some(r.src);
                } else if r.retransmission && self.ok_from == Some(r.src) {
                    // The UAS's own retransmissions (a proxy relays each once more).
                    self.ok_resends += 1;
                }
            }
        }
        if code < 200 || r.retransmission || o.final_seen.is_some() {
            return;
        }
        if o.credentials && Some(o.src) == origin && matches!(code, 401 | 403 | 407) {
            self.refused_credentials += 1;
        }
        o.final_seen = Some(FinalSeen {
            code,
            reason: match &r.start {
                super::record::Start::Response { reason, .. } => reason.clone(),
                super::record::Start::Request { .. } => CompactString::default(),
            },
            from: r.src,
            index: r.index,
            retry_after: r.retry_after,
        });
    }

    /// Notes an SDP address that cannot be reached from where the message goes: private or
    /// loopback, sent between public addresses.
    fn note_private(&mut self, r: &MessageRecord) {
        if r.media.is_empty() || self.more().is_some_and(|m| m.private.is_some()) {
            return;
        }
        let public_hop = is_public(r.src.ip()) || is_public(r.dst.ip());
        if !public_hop {
            return;
        }
        let private = r
            .media
            .iter()
            .filter_map(|m| m.address)
            .find(|a| !is_public(*a) && !a.is_unspecified());
        if let Some(address) = private {
            self.more_mut().private = Some(PrivateAddress {
                address,
                from: r.src,
                to: r.dst,
                index: r.index,
            });
        }
    }
}

/// Codec names, inline for the usual few.
pub type Codecs = SmallVec<[CompactString; 4]>;

/// The codec names of a message's first audio (else first) media line.
fn codecs(r: &MessageRecord) -> Codecs {
    let media = r
        .media
        .iter()
        .find(|m| m.kind == "audio" && m.port != 0)
        .or_else(|| r.media.first());
    media
        .map(|m| {
            m.codecs
                .iter()
                .take(MAX_CODECS)
                .map(|c| CompactString::from(c.name.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// An address reachable across the internet: not private, loopback, link-local, shared
/// (100.64/10) or unique-local.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let [first, ..] = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}
