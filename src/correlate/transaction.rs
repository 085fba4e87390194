//! Transactions (RFC 3261 §17): a request, its retransmissions and its responses, matched by
//! the top Via branch, its sent-by and the method, with ACK to a non-2xx response folded into
//! its INVITE transaction and CANCEL a transaction of its own. Requests whose branch lacks the
//! `z9hG4bK` cookie are matched the RFC 2543 way (Call-ID, From tag, CSeq, top Via).

use std::hash::{Hash, Hasher};
use std::net::SocketAddr;

use compact_str::CompactString;
use rustc_hash::FxHasher;
use serde::Serialize;
use smallvec::SmallVec;

use super::record::MessageRecord;
use crate::capture::Timestamp;

/// The RFC 3261 magic cookie that makes a branch a transaction identifier.
pub const MAGIC_COOKIE: &str = "z9hG4bK";
/// How long a completed transaction still absorbs retransmissions (64 × T1).
pub const LINGER_NANOS: i64 = 32_000_000_000;

/// Identifies a transaction at one hop.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TransactionKey {
    /// RFC 3261 §17.1.3 / §17.2.3.
    Rfc3261 {
        /// Top Via branch.
        branch: String,
        /// Top Via sent-by.
        sent_by: String,
        /// Method, with ACK counted as INVITE.
        method: String,
    },
    /// RFC 2543 fallback.
    Rfc2543 {
        /// Call-ID.
        call_id: String,
        /// From tag.
        from_tag: String,
        /// CSeq number.
        cseq: u32,
        /// Method, with ACK counted as INVITE.
        method: String,
        /// Top Via sent-by.
        sent_by: String,
    },
}

impl TransactionKey {
    /// The key of the transaction a message belongs to.
    pub fn of(record: &MessageRecord) -> TransactionKey {
        super::tx_index::KeyRef::of(record).to_owned()
    }
}

/// Where a transaction stands, from what the capture showed of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransactionState {
    /// The request was sent; no response yet (Calling / Trying).
    Trying,
    /// A provisional response arrived.
    Proceeding,
    /// A final response arrived.
    Completed,
    /// An INVITE's non-2xx final response was acknowledged.
    Confirmed,
}

/// What happened next in a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionEvent {
    /// A response with this status code.
    Response(u16),
    /// The ACK of a non-2xx final response.
    Ack,
    /// The request again.
    Request,
}

/// The state machine of RFC 3261 §17 as seen from the wire: one pure step.
pub fn step(state: TransactionState, event: TransactionEvent) -> TransactionState {
    use TransactionEvent as E;
    use TransactionState as S;
    match (state, event) {
        (S::Trying | S::Proceeding, E::Response(code)) if code < 200 => S::Proceeding,
        (S::Trying | S::Proceeding, E::Response(_)) => S::Completed,
        (S::Completed, E::Ack) => S::Confirmed,
        (state, _) => state,
    }
}

/// One transaction at one hop.
#[derive(Clone, Debug, Serialize)]
pub struct Transaction {
    /// Position in the correlation's transaction list.
    pub id: usize,
    /// The request method (ACK alone for a 2xx ACK, which is its own transaction).
    pub method: CompactString,
    /// CSeq number.
    pub cseq: u32,
    /// Who sent the request.
    pub client: SocketAddr,
    /// Who received it.
    pub server: SocketAddr,
    /// The request did not belong to a dialog yet (no To tag).
    pub initial: bool,
    /// State.
    pub state: TransactionState,
    /// First request.
    pub request_at: Timestamp,
    /// Latest message.
    pub last_at: Timestamp,
    /// First provisional response.
    pub provisional_at: Option<Timestamp>,
    /// First final response.
    pub final_at: Option<Timestamp>,
    /// Its status code.
    pub final_code: Option<u16>,
    /// Requests and responses seen, retransmissions included.
    pub messages: u32,
    /// Retransmissions among them.
    pub retransmissions: u32,
    /// The leg (Call-ID) it belongs to.
    pub leg: usize,
    /// The INVITE transaction a CANCEL cancels.
    pub cancels: Option<usize>,
    /// The hash of its key, to forget it once it is over.
    #[serde(skip)]
    pub(crate) key_hash: u64,
    /// Messages already seen, to tell retransmissions: a hash of (src, dst, code or 0, To
    /// tag) each, inline (a transaction is live for every request of a flood; a collision
    /// would only take a message for a retransmission of another of the same transaction).
    #[serde(skip)]
    seen: SmallVec<[u64; 3]>,
}

impl Transaction {
    /// Starts a transaction from its first message (normally the request).
    pub fn new(id: usize, leg: usize, record: &MessageRecord, key_hash: u64) -> Transaction {
        let (client, server) = if record.method().is_some() {
            (record.src, record.dst)
        } else {
            (record.dst, record.src)
        };
        Transaction {
            id,
            method: record.transaction_method().into(),
            cseq: record.cseq.unwrap_or(0),
            client,
            server,
            initial: record.to.tag.is_none() || record.method().is_none(),
            state: TransactionState::Trying,
            request_at: record.ts,
            last_at: record.ts,
            provisional_at: None,
            final_at: None,
            final_code: None,
            messages: 0,
            retransmissions: 0,
            leg,
            cancels: None,
            key_hash,
            seen: SmallVec::new(),
        }
    }

    /// Takes a message of this transaction; returns whether it is a retransmission.
    pub fn add(&mut self, record: &MessageRecord) -> bool {
        self.messages += 1;
        self.last_at = self.last_at.max(record.ts);
        let code = record.code().unwrap_or(0);
        // A 2xx ACK travels with a new branch; one sharing the INVITE's key acknowledges a
        // non-2xx final response.
        let ack = record.method() == Some("ACK");
        let (src, dst, code) = (record.src, record.dst, if ack { 1 } else { code });
        let mut h = FxHasher::default();
        (src, dst, code, record.to.tag.as_deref()).hash(&mut h);
        let message = h.finish();
        let again = self.seen.contains(&message);
        if again {
            self.retransmissions += 1;
        } else if self.seen.len() < 16 {
            self.seen.push(message);
        }
        let event = match record.code() {
            Some(code) => TransactionEvent::Response(code),
            None if ack && self.method == "INVITE" => TransactionEvent::Ack,
            None => TransactionEvent::Request,
        };
        if let TransactionEvent::Response(code) = event {
            if code < 200 {
                self.provisional_at.get_or_insert(record.ts);
            } else if self.final_at.is_none() {
                self.final_at = Some(record.ts);
                self.final_code = Some(code);
            }
        }
        self.state = step(self.state, event);
        again
    }

    /// Whether the transaction is over and quiet long enough to be forgotten at `now`.
    pub fn is_finished(&self, now: Timestamp) -> bool {
        self.final_at
            .is_some_and(|t| now.nanos_since(t) > LINGER_NANOS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransactionEvent as E;
    use TransactionState as S;

    #[test]
    fn the_state_machine_follows_rfc_3261() {
        assert_eq!(step(S::Trying, E::Response(100)), S::Proceeding);
        assert_eq!(step(S::Proceeding, E::Response(180)), S::Proceeding);
        assert_eq!(step(S::Proceeding, E::Response(486)), S::Completed);
        assert_eq!(step(S::Completed, E::Ack), S::Confirmed);
        assert_eq!(step(S::Completed, E::Response(486)), S::Completed);
        assert_eq!(step(S::Trying, E::Request), S::Trying);
        assert_eq!(step(S::Trying, E::Response(200)), S::Completed);
    }
}
