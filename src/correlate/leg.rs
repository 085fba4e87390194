//! A leg: the messages of one exchange of one Call-ID (a registration, an INVITE dialog and
//! its forks, a subscription, a lone request: see [`super::exchange`]), and what they say
//! about it, kept up to date message by message so that a summary never needs the messages
//! again.

use std::net::SocketAddr;

use compact_str::CompactString;
use serde::Serialize;
use smallvec::SmallVec;

use super::evidence::Evidence;
use super::record::{MessageRecord, Party};
use super::transaction::Transaction;
use crate::capture::{Timestamp, Transport};

/// Participants kept per leg (a leg through many hops stays readable and bounded).
const MAX_PARTICIPANTS: usize = 32;
/// Transactions a leg names to forget them with it (older ones are over and forgotten by
/// then).
const MAX_TRANSACTIONS_NAMED: usize = 8;

/// What a leg (and the call it belongs to) is about, from its first request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An INVITE session.
    Call,
    /// REGISTER.
    Registration,
    /// SUBSCRIBE / NOTIFY.
    Subscription,
    /// MESSAGE.
    Message,
    /// OPTIONS (often keep-alive pings).
    Options,
    /// Anything else (INFO, PUBLISH, REFER outside a dialog...).
    Other,
}

impl Kind {
    /// The kind a request method gives a leg.
    pub fn of_method(method: &str) -> Kind {
        match method {
            "INVITE" => Kind::Call,
            "REGISTER" => Kind::Registration,
            "SUBSCRIBE" | "NOTIFY" => Kind::Subscription,
            "MESSAGE" => Kind::Message,
            "OPTIONS" => Kind::Options,
            _ => Kind::Other,
        }
    }

    /// The name used in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::Registration => "registration",
            Kind::Subscription => "subscription",
            Kind::Message => "message",
            Kind::Options => "options",
            Kind::Other => "other",
        }
    }
}

/// The INVITE session of a leg, seen from the caller (the sender of the first INVITE).
#[derive(Clone, Debug, Default, Serialize)]
pub struct CallProgress {
    /// Who sent the first INVITE.
    pub caller: Option<SocketAddr>,
    /// The caller's From tag.
    pub caller_tag: Option<CompactString>,
    /// First INVITE.
    pub invite_at: Option<Timestamp>,
    /// First 18x sent to the caller.
    pub ringing_at: Option<Timestamp>,
    /// First 2xx to an initial INVITE sent to the caller.
    pub answered_at: Option<Timestamp>,
    /// First ACK after the 2xx.
    pub ack_at: Option<Timestamp>,
    /// First BYE.
    pub bye_at: Option<Timestamp>,
    /// Who sent it: "caller" or "callee".
    pub hangup: Option<&'static str>,
    /// First CANCEL.
    pub cancel_at: Option<Timestamp>,
    /// Final status of the latest initial INVITE, as the caller got it.
    pub final_code: Option<u16>,
    /// INVITEs inside the dialog.
    pub reinvites: u32,
    /// 401/407 answers to initial INVITEs.
    pub challenges: u32,
    /// To tags of the answers to the initial INVITE, provisional ones included: one per early
    /// dialog, several when the INVITE forked.
    pub answer_tags: Vec<CompactString>,
}

/// A registration: an address of record, its challenges and its outcome.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RegistrationProgress {
    /// Who registers.
    pub registrant: Option<SocketAddr>,
    /// The address of record (To URI).
    pub aor: CompactString,
    /// REGISTER requests (retransmissions apart).
    pub requests: u32,
    /// 401/407 answers.
    pub challenges: u32,
    /// 2xx answers.
    pub successes: u32,
    /// Other final answers.
    pub failures: u32,
    /// Expiry the registrar granted in its last 2xx.
    pub granted_expires: Option<u32>,
    /// Expiry the last REGISTER asked for.
    pub requested_expires: Option<u32>,
    /// Final status of the last REGISTER answered.
    pub final_code: Option<u16>,
}

/// Any other request: its outcome.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SimpleProgress {
    /// Who sent the first request.
    pub requester: Option<SocketAddr>,
    /// Final status of the last request answered.
    pub final_code: Option<u16>,
    /// A NOTIFY or SUBSCRIBE ended the subscription.
    pub terminated: bool,
}

/// The messages of one exchange of a Call-ID.
#[derive(Clone, Debug, Serialize)]
pub struct Leg {
    /// Position in the correlation's list of legs.
    pub id: usize,
    /// The Call-ID.
    pub call_id: String,
    /// The From tag of its first request: the tag of the side that opened it, which every
    /// in-dialog message carries in From or To.
    pub origin_tag: Option<CompactString>,
    /// The From tags of other initial requests it took: the far side of an agent that keeps the
    /// Call-ID but not the tags (an SBC hiding topology).
    pub other_tags: Vec<CompactString>,
    /// What it is about.
    pub kind: Kind,
    /// The method that set the kind.
    pub method: CompactString,
    /// From of its first request.
    pub from: Party,
    /// To of its first request.
    pub to: Party,
    /// Index of its first message.
    pub first_index: usize,
    /// The frames that carried its messages (and the ICMP errors about them): from the one
    /// where its first message started to the last one, so that a second reading can read
    /// only these.
    #[serde(skip)]
    pub frames: std::ops::RangeInclusive<u64>,
    /// The frame that completed its first message: with the Call-ID, it names the leg across
    /// two readings of a capture.
    pub opened_in: u64,
    /// Time of its first message.
    pub start: Timestamp,
    /// Time of its last message.
    pub end: Timestamp,
    /// Messages, retransmissions included.
    pub messages: u32,
    /// Retransmissions.
    pub retransmissions: u32,
    /// Copies of its messages taken twice by the capture (see [`MessageRecord::duplicate`]).
    pub duplicates: u32,
    /// ICMP errors about its messages.
    pub icmp_errors: u32,
    /// Addresses that sent or received its messages, in order of appearance.
    pub participants: Vec<SocketAddr>,
    /// The transports its messages travelled on, in order of appearance (`TLS`, `WSS`...).
    pub transports: SmallVec<[Transport; 2]>,
    /// INVITE progress (calls).
    pub call: CallProgress,
    /// REGISTER progress (registrations).
    pub registration: RegistrationProgress,
    /// Outcome of other requests.
    pub simple: SimpleProgress,
    /// The facts its diagnosis rests on.
    pub evidence: Evidence,
    /// Dialogs seen (Call-ID plus both tags): (From tag, To tag) of in-dialog messages.
    pub dialogs: Vec<(CompactString, CompactString)>,
    /// Its messages' indexes (unless the correlation only counts): the F labels of a
    /// diagnosis, and the messages of a ladder.
    /// Kept as offsets from [`Leg::first_index`], inline up to 16 (no allocation for most).
    #[serde(skip)]
    message_offsets: SmallVec<[u32; 16]>,
    /// Its latest transactions, forgotten with it (a flood's unanswered requests would
    /// otherwise outlive their legs by minutes).
    #[serde(skip)]
    pub(super) transactions: SmallVec<[usize; 2]>,
    /// Whether the kind comes from a request (a leg seen from a response onwards guesses).
    known: bool,
}

impl Leg {
    /// Starts a leg with its first message.
    pub fn new(id: usize, record: &MessageRecord) -> Leg {
        let method = CompactString::from(record.transaction_method());
        Leg {
            id,
            call_id: record.call_id.to_string(),
            origin_tag: record.from.tag.clone(),
            other_tags: Vec::new(),
            kind: Kind::of_method(&method),
            method,
            from: record.from.clone(),
            to: record.to.clone(),
            first_index: record.index,
            frames: record.first_frame.min(record.frame)..=record.frame,
            opened_in: record.frame,
            start: record.ts,
            end: record.ts,
            messages: 0,
            retransmissions: 0,
            duplicates: 0,
            icmp_errors: 0,
            participants: Vec::new(),
            transports: SmallVec::new(),
            call: CallProgress::default(),
            registration: RegistrationProgress::default(),
            simple: SimpleProgress::default(),
            evidence: Evidence::default(),
            dialogs: Vec::new(),
            message_offsets: SmallVec::new(),
            transactions: SmallVec::new(),
            known: record.method().is_some(),
        }
    }

    /// Takes one message of the leg and its transaction (after the transaction took it).
    pub fn add(&mut self, record: &MessageRecord, tx: &Transaction, keep: bool) {
        self.messages += 1;
        self.note_frame(record.first_frame.min(record.frame));
        self.note_frame(record.frame);
        self.end = self.end.max(record.ts);
        if record.retransmission {
            self.retransmissions += 1;
        }
        for addr in [record.src, record.dst] {
            if !self.participants.contains(&addr) && self.participants.len() < MAX_PARTICIPANTS {
                self.participants.push(addr);
            }
        }
        if !self.transports.contains(&record.transport) {
            self.transports.push(record.transport);
        }
        if keep {
            let offset = record.index.saturating_sub(self.first_index);
            self.message_offsets
                .push(u32::try_from(offset).unwrap_or(u32::MAX));
        }
        if !self.transactions.contains(&tx.id) {
            if self.transactions.len() >= MAX_TRANSACTIONS_NAMED {
                self.transactions.remove(0);
            }
            self.transactions.push(tx.id);
        }
        self.note_dialog(record);
        self.evidence.note(record, tx.id);
        if let (true, Some(tag)) = (record.is_initial_request(), &record.from.tag) {
            let known = self.origin_tag.as_ref() == Some(tag) || self.other_tags.contains(tag);
            if !known && self.known && self.other_tags.len() < 8 {
                self.other_tags.push(tag.clone());
            }
        }
        if !self.known {
            if let Some(method) = record.method() {
                // The capture began mid-exchange: the first request seen names the leg.
                if record.is_initial_request() {
                    self.kind = Kind::of_method(method);
                    self.method = method.into();
                    self.origin_tag = record.from.tag.clone();
                    self.from = record.from.clone();
                    self.to = record.to.clone();
                    self.known = true;
                }
            }
        }
        if record.retransmission {
            return;
        }
        match record.transaction_method() {
            "INVITE" | "ACK" | "BYE" | "CANCEL" => self.call_event(record, tx),
            "REGISTER" => self.register_event(record),
            _ => {}
        }
        self.simple_event(record);
    }

    /// The indexes of its messages, in order.
    pub fn message_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.message_offsets
            .iter()
            .map(|&o| self.first_index + o as usize)
    }

    /// Whether message `index` is one of its own.
    pub fn has_message(&self, index: usize) -> bool {
        index
            .checked_sub(self.first_index)
            .and_then(|o| u32::try_from(o).ok())
            .is_some_and(|o| self.message_offsets.binary_search(&o).is_ok())
    }

    /// How many of its messages came before message `index`.
    pub fn messages_before(&self, index: usize) -> usize {
        match index.checked_sub(self.first_index) {
            None => 0,
            Some(o) => {
                let o = u32::try_from(o).unwrap_or(u32::MAX);
                self.message_offsets.partition_point(|&x| x < o)
            }
        }
    }

    /// Whether an in-dialog message with these tags belongs to this leg's dialog(s): one of
    /// them is the tag of the side that opened it.
    pub fn holds_dialog(&self, from_tag: &str, to_tag: &str) -> bool {
        let ours = |t: &str| t == from_tag || t == to_tag;
        self.origin_tag.as_deref().is_some_and(ours) || self.other_tags.iter().any(|t| ours(t))
    }

    /// Whether its opening request still waits for a final answer.
    pub fn in_progress(&self) -> bool {
        match self.kind {
            Kind::Call => self.call.final_code.is_none() && self.call.answered_at.is_none(),
            Kind::Registration => self.registration.final_code.is_none(),
            _ => self.simple.final_code.is_none(),
        }
    }

    /// Widens [`Leg::frames`] to a frame.
    pub fn note_frame(&mut self, frame: u64) {
        let (first, last) = (*self.frames.start(), *self.frames.end());
        self.frames = first.min(frame)..=last.max(frame);
    }

    /// Records the dialog a message belongs to. A dialog is the Call-ID with both tags; the
    /// UAC's tag is in From of its requests and of the responses to them, so the pair is put
    /// in one order (the smaller first) whichever side sends.
    fn note_dialog(&mut self, r: &MessageRecord) {
        let (Some(a), Some(b)) = (&r.from.tag, &r.to.tag) else {
            return;
        };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let known = self.dialogs.iter().any(|(x, y)| x == lo && y == hi);
        if !known && self.dialogs.len() < 16 {
            self.dialogs.push((lo.clone(), hi.clone()));
        }
    }

    fn call_event(&mut self, r: &MessageRecord, tx: &Transaction) {
        let c = &mut self.call;
        match (r.method(), r.code()) {
            (Some("INVITE"), _) if r.to.tag.is_none() => {
                if c.caller.is_none() {
                    c.caller = Some(r.src);
                    c.caller_tag = r.from.tag.clone();
                }
                if c.caller == Some(r.src) && c.answered_at.is_none() {
                    // A new attempt (after a challenge or a redirection) waits for its own
                    // final answer.
                    c.final_code = None;
                }
                c.invite_at.get_or_insert(r.ts);
            }
            (Some("INVITE"), _) => c.reinvites += 1,
            (Some("ACK"), _) if c.answered_at.is_some() => {
                c.ack_at.get_or_insert(r.ts);
            }
            (Some("BYE"), _) if c.bye_at.is_none() => {
                c.bye_at = Some(r.ts);
                c.hangup = Some(if r.from.tag.is_some() && r.from.tag == c.caller_tag {
                    "caller"
                } else {
                    "callee"
                });
            }
            (Some("CANCEL"), _) => {
                c.cancel_at.get_or_insert(r.ts);
            }
            (None, Some(code)) if r.cseq_method == "INVITE" && tx.initial => {
                // Timings as the caller saw them; any hop when the caller is not in view.
                let to_caller = c.caller.is_none_or(|caller| caller == r.dst);
                if !to_caller {
                    return;
                }
                if (180..200).contains(&code) {
                    c.ringing_at.get_or_insert(r.ts);
                }
                if (200..300).contains(&code) {
                    c.answered_at.get_or_insert(r.ts);
                }
                if let Some(tag) = &r.to.tag {
                    if code > 100 && !c.answer_tags.contains(tag) && c.answer_tags.len() < 16 {
                        c.answer_tags.push(tag.clone());
                    }
                }
                if code >= 200 {
                    c.final_code = Some(code);
                }
                if code == 401 || code == 407 {
                    c.challenges += 1;
                }
            }
            _ => {}
        }
    }

    fn register_event(&mut self, r: &MessageRecord) {
        let g = &mut self.registration;
        match r.code() {
            None => {
                if g.registrant.is_none() {
                    g.registrant = Some(r.src);
                    g.aor = r.to.uri.clone();
                }
                g.requests += 1;
                g.requested_expires = r.expires;
            }
            Some(code) if code >= 200 && g.registrant.is_none_or(|who| who == r.dst) => {
                g.final_code = Some(code);
                match code {
                    401 | 407 => g.challenges += 1,
                    200..=299 => {
                        g.successes += 1;
                        g.granted_expires = r.expires;
                    }
                    _ => g.failures += 1,
                }
            }
            Some(_) => {}
        }
    }

    fn simple_event(&mut self, r: &MessageRecord) {
        let s = &mut self.simple;
        match r.code() {
            None => {
                s.requester.get_or_insert(r.src);
                let ends = match r.method() {
                    Some("NOTIFY") => r
                        .subscription_state
                        .as_deref()
                        .is_some_and(|v| v.trim_start().starts_with("terminated")),
                    Some("SUBSCRIBE") => r.expires == Some(0),
                    _ => false,
                };
                s.terminated |= ends;
            }
            Some(code) if code >= 200 && r.cseq_method == self.method => {
                s.final_code = Some(code);
            }
            Some(_) => {}
        }
    }

    /// The final status that sums the leg up.
    pub fn final_status(&self) -> Option<u16> {
        match self.kind {
            Kind::Call => self.call.final_code,
            Kind::Registration => self.registration.final_code,
            _ => self.simple.final_code,
        }
    }

    /// Whether nothing more can happen to the leg once it is quiet for
    /// [`Leg::quiet_needed`].
    pub fn is_over(&self) -> bool {
        match self.kind {
            // An answered call lasts until its BYE, however long the talk.
            Kind::Call => self.call.answered_at.is_none() || self.call.bye_at.is_some(),
            // Refreshes reuse the Call-ID, an hour later or more; a registration never
            // accepted is over once quiet (a scanner's or a password guesser's round).
            Kind::Registration => self.registration.successes == 0,
            // NOTIFYs keep coming while the subscription is active.
            Kind::Subscription => {
                self.simple.terminated || !matches!(self.simple.final_code, Some(200..=299))
            }
            _ => true,
        }
    }

    /// How long the leg must have been quiet, once over, before its call is summed up: a
    /// dialog's last messages (a BYE's answer retransmitted), a refused registration's retry,
    /// and the answer to an INVITE that rings (a callee may stay silent for a minute, RFC 3261
    /// §13.3.1.1) come later than a lone transaction's retransmissions.
    pub fn quiet_needed(&self) -> i64 {
        let dialog = match self.kind {
            Kind::Call => self.call.answered_at.is_some() || self.awaiting_answer(),
            Kind::Registration | Kind::Subscription => true,
            _ => false,
        };
        if dialog {
            super::store::RETIRE_AFTER_NANOS
        } else {
            super::store::LONE_QUIET_NANOS
        }
    }

    /// Whether it may be summed up after a short quiet when too many legs are live: over, and
    /// not an INVITE that got a provisional answer and waits for its final one.
    pub fn may_hurry(&self) -> bool {
        self.is_over() && !self.awaiting_answer()
    }

    /// An INVITE answered provisionally (100 Trying, 180 Ringing) and not finally yet.
    fn awaiting_answer(&self) -> bool {
        self.kind == Kind::Call
            && self.call.answered_at.is_none()
            && self.call.final_code.is_none()
            && (self.call.ringing_at.is_some() || self.evidence.openings.iter().any(|o| o.answered))
    }

    /// Where the leg stands at `capture_end`, in one word.
    pub fn state(&self, capture_end: Timestamp) -> &'static str {
        let quiet = capture_end.nanos_since(self.end) > super::transaction::LINGER_NANOS;
        match self.kind {
            Kind::Call => {
                let c = &self.call;
                match (c.answered_at, c.final_code) {
                    (Some(_), _) if c.bye_at.is_some() => "completed",
                    (Some(_), _) => "established",
                    (None, Some(487)) if c.cancel_at.is_some() => "cancelled",
                    (None, Some(code)) if (300..400).contains(&code) => "redirected",
                    (None, Some(401 | 407)) => "challenged",
                    (None, Some(408)) => "timed-out",
                    (None, Some(_)) => "rejected",
                    (None, None) if c.cancel_at.is_some() => "cancelled",
                    (None, None) if self.icmp_errors > 0 => "failed",
                    (None, None) if quiet => "timed-out",
                    (None, None) if c.ringing_at.is_some() => "ringing",
                    (None, None) => "trying",
                }
            }
            Kind::Registration => {
                let g = &self.registration;
                match g.final_code {
                    Some(200..=299) if g.requested_expires == Some(0) => "unregistered",
                    Some(200..=299) => "registered",
                    Some(401 | 407) => "challenged",
                    Some(408) => "timed-out",
                    Some(_) => "failed",
                    None if self.icmp_errors > 0 => "failed",
                    None if quiet => "timed-out",
                    None => "pending",
                }
            }
            Kind::Subscription if self.simple.terminated => "terminated",
            Kind::Subscription => match self.simple.final_code {
                Some(200..=299) => "active",
                Some(_) => "rejected",
                None if quiet => "timed-out",
                None => "pending",
            },
            _ => match self.simple.final_code {
                Some(200..=299) => "answered",
                Some(401 | 407) => "challenged",
                Some(_) => "rejected",
                None if self.icmp_errors > 0 => "failed",
                None if quiet => "timed-out",
                None => "pending",
            },
        }
    }
}
