/*!
Correlation: from a stream of SIP messages to the story a VoIP engineer wants. Messages are
grouped into transactions (RFC 3261 §17), legs (one Call-ID: its dialogs, timings and outcome)
and calls (legs joined across proxies and back-to-back user agents), with retransmissions
marked, ICMP errors tied to the message they refuse, and RTP streams tied to the SDP that
announced them.

Cost is linear: each message is looked up by hash (Call-ID, transaction key), never compared
with earlier messages. Memory holds live transactions and one compact state per leg of the
calls in progress: a call that is over is summed up and its legs dropped ([`store`]), or only
counted when the caller needs no more. Message records are kept only when a caller asks for
them (ladders, explanations). Every one of these is capped ([`limits`]): what a cap drops is
counted and reported as a warning. A caller that lists every call has the calls that are over,
their media streams and the records of their messages written to a temporary file as they end
([`spill`]), and takes them back one by one in order at the end ([`Correlator::finish_streaming`]).
*/

pub mod attack;
pub mod diagnosis;
pub mod duplicate;
pub mod evidence;
pub mod exchange;
pub mod filter;
mod finish;
pub mod group;
mod housekeeping;
pub mod join;
pub mod leg;
pub mod limits;
pub mod media;
mod options;
mod outcome;
mod paths;
pub mod quality;
pub mod record;
pub mod spill;
pub mod store;
#[cfg(test)]
mod test_feed;
pub mod transaction;
mod tx_index;
mod uncorrelated;

use rustc_hash::FxHashMap as HashMap;

use crate::capture::{
    Event, EventSink, IcmpQuote, Prepare, Prepared, RtpPacket, SipPayload, Timestamp,
};
use crate::sip::Message;
use crate::sip::framing;

pub use filter::{CallFilter, FilterArgs, FilterError, JoinChoice};
pub use group::CallSummary;
pub use join::{Join, JoinPolicy, JoinRule};
pub use leg::{Kind, Leg};
pub use limits::{Dropped, Limits};
pub use media::{MediaStream, MediaTracker};
pub use options::Options;
use outcome::Ended;
pub use outcome::{Correlation, MediaByCall};
pub use record::{MessageRecord, Party, Start};
pub use spill::Calls;
pub use transaction::{Transaction, TransactionKey, TransactionState};

/// Builds calls from the capture layer's events.
#[derive(Default)]
pub struct Correlator {
    options: Options,
    next_index: usize,
    legs: store::LegStore,
    transactions: HashMap<usize, Transaction>,
    tx_by_key: tx_index::TransactionIndex,
    next_tx: usize,
    /// What the joining rules remember.
    rules: join::Rules,
    /// Joins the rules proposed for the message at hand.
    proposals: Vec<join::Proposal>,
    duplicates: duplicate::Duplicates,
    groups: group::Groups,
    /// Why legs were joined, by group (root leg).
    joins: HashMap<usize, Vec<Join>>,
    /// Calls that will not change any more.
    ended: Ended,
    last_on_path: paths::LastOnPath,
    messages: Vec<MessageRecord>,
    /// Records of the calls in progress, by index, until their call is over
    /// ([`Options::message_records`]).
    pending: spill::Waiting,
    media: MediaTracker,
    retransmissions: u64,
    duplicate_copies: u64,
    unparsed: u64,
    /// Messages without a Call-ID, counted and not correlated.
    without_call_id: uncorrelated::WithoutCallId,
    orphan_icmp: u64,
    capture_end: Timestamp,
    /// Transactions with a final response, oldest first: (time of the final response, id).
    completed: std::collections::VecDeque<(Timestamp, usize)>,
    last_sweep: Timestamp,
    limits: Limits,
    dropped: Dropped,
    kept_raw_bytes: usize,
    /// Messages since the last sweep (a sweep is a pass over all live transactions).
    since_sweep: usize,
    /// The most transactions live at once.
    peak_transactions: usize,
    /// Names the scans, floods and password guessing.
    attacks: attack::Detector,
}

impl Correlator {
    /// A correlator that keeps what `options` ask for.
    pub fn new(options: Options) -> Correlator {
        Correlator::with_limits(options, Limits::default())
    }

    /// A correlator under other caps than the default ones.
    pub fn with_limits(options: Options, limits: Limits) -> Correlator {
        let mut media = MediaTracker::default();
        if let Some(held) = options.spill_after {
            media.spill_idle(held);
        }
        Correlator {
            rules: join::Rules::new(options.join),
            options,
            limits,
            media,
            ..Correlator::default()
        }
    }

    /// Legs (Call-IDs) followed right now (those of calls in progress).
    pub fn legs(&self) -> usize {
        self.legs.live()
    }

    /// Transactions followed right now.
    pub fn live_transactions(&self) -> usize {
        self.transactions.len()
    }

    /// The most legs, and the most transactions, followed at once so far: what live state
    /// a capture cost.
    pub fn peaks(&self) -> (usize, usize) {
        (self.legs.peak(), self.peak_transactions)
    }

    /// Transactions with a final answer that wait out their retransmissions right now (at
    /// most the cap on live transactions).
    pub fn completed_waiting(&self) -> usize {
        self.completed.len()
    }

    /// Message records kept so far.
    pub fn kept_messages(&self) -> usize {
        self.messages.len() + self.pending.len()
    }

    /// Hosts with requests in progress remembered, and paths remembered, right now.
    pub fn remembered_hosts_and_paths(&self) -> (usize, usize) {
        (self.rules.serving.hosts(), self.last_on_path.len())
    }

    /// The calls already over, summed up but not yet numbered (their `id` is 0), in the
    /// order they ended: a browser shows them while the capture is still being read.
    pub fn ended_calls(&self) -> impl Iterator<Item = &CallSummary> {
        self.ended.calls.iter().map(|r| &r.summary)
    }

    /// Media addresses announced in SDP remembered right now.
    pub fn announced_media(&self) -> usize {
        self.media.announced()
    }

    /// What the caps dropped so far.
    pub fn dropped(&self) -> Dropped {
        let mut d = self.dropped;
        d.announcements_forgotten = self.media.forgotten_announcements;
        d.open_hosts_forgotten = self.rules.serving.forgotten;
        d.paths_reset = self.last_on_path.rotations;
        d
    }

    fn sip(&mut self, payload: &SipPayload<'_>) {
        self.sip_parsed(payload, &mut parse(payload));
    }

    /// Takes a message with its record (`None` when its start line could not be parsed); the
    /// record is taken out only to be kept (a record is large: moving it for every message
    /// showed in profiles).
    fn sip_parsed(&mut self, payload: &SipPayload<'_>, parsed: &mut Option<MessageRecord>) {
        let index = self.next_index;
        self.next_index += 1;
        self.sweep(payload.ts);
        let Some(record) = parsed.as_mut() else {
            self.unparsed += 1;
            self.attacks.observe(payload, None);
            return;
        };
        record.index = index;
        let copy_key = record.copy_key;
        if let Some(leg) = self.duplicates.original(copy_key, payload.ts) {
            self.duplicate_copies += 1;
            if let Some(leg) = self.legs.get_mut(leg) {
                leg.duplicates += 1;
                leg.note_frame(record.frame);
            }
            return;
        }
        self.attacks.observe(payload, Some(record));
        if record.call_id.is_empty() {
            self.without_call_id.note(payload);
            return;
        }

        let wanted = self.options.keeps(&record.call_id);
        let keep = wanted && self.kept_messages() < self.limits.kept_messages;
        if wanted && !keep {
            self.dropped.records_not_kept += 1;
        }
        let keep_raw = keep
            && self.options.keep_raw
            && self.kept_raw_bytes + payload.bytes.len() <= self.limits.kept_raw_bytes;
        if keep && self.options.keep_raw && !keep_raw {
            self.dropped.raw_not_kept += 1;
        }
        if keep_raw {
            record.raw = Some(payload.bytes.to_vec());
            self.kept_raw_bytes += payload.bytes.len();
        }

        let key = tx_index::KeyRef::of(record);
        let found_tx = self
            .tx_by_key
            .find(key)
            .filter(|id| self.transactions.contains_key(id));
        let tx_leg = found_tx
            .or_else(|| {
                // A CANCEL goes where the INVITE it cancels went.
                (record.method() == Some("CANCEL"))
                    .then(|| self.tx_by_key.find(key.with_method("INVITE")))
                    .flatten()
            })
            .and_then(|id| self.transactions.get(&id))
            .map(|tx| tx.leg);
        let (leg_id, new_leg) = match exchange::leg_of(&self.legs, record, tx_leg) {
            Some(id) => (id, false),
            None if self.legs.live() >= self.limits.legs => {
                self.dropped.messages_beyond_leg_cap += 1;
                return;
            }
            None => {
                let id = self.legs.started();
                self.legs.push(Leg::new(id, record));
                (id, true)
            }
        };
        self.duplicates.note(copy_key, payload.ts, leg_id);
        self.legs.touch(leg_id, record.ts);
        let exchange = self.legs.get(leg_id).map_or(0, |leg| leg.opened_in);

        let tx_id = match found_tx {
            Some(id) => id,
            None => {
                if self.transactions.len() >= self.limits.transactions {
                    self.evict_transactions();
                }
                let id = self.next_tx;
                self.next_tx += 1;
                let key_hash = self.tx_by_key.insert(key, id);
                let mut tx = Transaction::new(id, leg_id, record, key_hash);
                if record.method() == Some("CANCEL") {
                    tx.cancels = self.tx_by_key.find(key.with_method("INVITE"));
                }
                self.transactions.insert(id, tx);
                self.peak_transactions = self.peak_transactions.max(self.transactions.len());
                id
            }
        };
        let Some(tx) = self.transactions.get_mut(&tx_id) else {
            return;
        };
        let was_final = tx.final_at.is_some();
        record.exchange = exchange;
        record.retransmission = tx.add(record);
        record.transaction = tx_id;
        let initial = tx.initial;
        if let (false, Some(at)) = (was_final, tx.final_at) {
            self.completed.push_back((at, tx_id));
        } else if tx.messages == 1 && tx.method == "ACK" {
            // The ACK of a 2xx is a transaction of its own that nothing answers: it only
            // absorbs the ACK's retransmissions, sent while the 2xx is (64 × T1 at most).
            self.completed.push_back((record.ts, tx_id));
        }
        if record.retransmission {
            self.retransmissions += 1;
        }
        if let (Some(leg), Some(tx)) = (self.legs.get_mut(leg_id), self.transactions.get(&tx_id)) {
            leg.add(record, tx, keep || !self.options.count_only);
        }
        let seen = join::Seen {
            leg: leg_id,
            new_leg,
            tx: tx_id,
            initial,
        };
        let mut proposals = std::mem::take(&mut self.proposals);
        self.rules.observe(
            &self.legs,
            record,
            &seen,
            self.limits.open_hosts,
            &mut proposals,
        );
        for proposal in proposals.drain(..) {
            self.join(proposal);
        }
        self.proposals = proposals;
        if !self.options.skip_media {
            let group = self.groups.find(leg_id);
            self.media.announce(record, group, self.limits.announced);
        }
        self.last_on_path
            .note(record.src, record.dst, index, leg_id, self.limits.paths / 2);
        if let (true, Some(record)) = (keep, parsed.take()) {
            if self.options.message_records {
                self.pending.insert(index, &record);
            } else {
                self.messages.push(record);
            }
        }
    }

    /// Joins a leg's call to a live leg's call as a rule proposed, noting why under the
    /// joined group.
    fn join(&mut self, p: join::Proposal) {
        let (Some(leg), Some(to)) = (self.legs.get(p.leg), self.legs.get(p.to)) else {
            return; // a call over and summed up
        };
        let note = Join {
            leg: p.leg,
            to: p.to,
            rule: p.rule,
            call_id: leg.call_id.clone(),
            to_call_id: to.call_id.clone(),
            heuristic: p.heuristic,
            host: p.host,
            evidence: p.evidence,
        };
        let (a, b) = (self.groups.find(p.leg), self.groups.find(p.to));
        if !self.groups.join(p.leg, p.to) {
            return;
        }
        let (keep, merged) = (a.min(b), a.max(b));
        let mut joins = self.joins.remove(&merged).unwrap_or_default();
        joins.push(note);
        self.joins.entry(keep).or_default().extend(joins);
    }

    fn icmp(&mut self, quote: &IcmpQuote<'_>) {
        let call_id = framing::find_header(quote.bytes, b"call-id", Some(b"i"))
            .map(|v| String::from_utf8_lossy(v).into_owned());
        let Some((index, leg_id)) = self.last_on_path.get(quote.src, quote.dst) else {
            self.orphan_icmp += 1;
            return;
        };
        let Some(leg) = self.legs.get_mut(leg_id) else {
            return;
        };
        if call_id.as_deref().is_some_and(|c| c != leg.call_id) {
            self.orphan_icmp += 1;
            return;
        }
        leg.icmp_errors += 1;
        leg.note_frame(quote.frame);
        leg.evidence
            .more_mut()
            .icmp
            .get_or_insert(evidence::IcmpSeen {
                unreachable: quote.dst,
                sender: quote.src,
                reason: quote.reason,
                reporter: quote.reporter,
                index,
            });
        let icmp = format!("{} from {}", quote.reason, quote.reporter);
        let waited = self
            .pending
            .update(index, |record| record.icmp = Some(icmp.clone()));
        if !waited {
            if let Some(record) = self.messages.iter_mut().rev().find(|m| m.index == index) {
                record.icmp = Some(icmp);
            }
        }
    }
}

/// A message's record, numbered later: all of correlation's work that needs the message alone,
/// and most of its cost.
fn parse(payload: &SipPayload<'_>) -> Option<MessageRecord> {
    let msg = Message::parse(payload.bytes).ok()?;
    Some(MessageRecord::new(0, payload, &msg, false))
}

/// What [`parse`] gives, handed over from another thread.
struct Parsed(Option<MessageRecord>);

fn prepare(payload: &SipPayload<'_>) -> Prepared {
    Box::new(Parsed(parse(payload)))
}

impl EventSink for Correlator {
    fn preparer(&self) -> Option<Prepare> {
        Some(prepare)
    }

    fn rtp(&mut self, packet: &RtpPacket) {
        if !self.options.skip_media {
            self.media.packet(packet);
        }
    }

    fn prepared_sip(&mut self, payload: SipPayload<'_>, prepared: Prepared) {
        match prepared.downcast::<Parsed>() {
            Ok(mut parsed) => self.sip_parsed(&payload, &mut parsed.0),
            Err(_) => self.sip(&payload),
        }
    }

    fn frame(&mut self, ts: Timestamp) {
        self.capture_end = self.capture_end.max(ts);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(payload) => self.sip(&payload),
            Event::IcmpError(quote) => self.icmp(&quote),
            Event::Rtp(packet) => self.rtp(&packet),
            Event::Warning(_) | Event::Rtcp(..) => {}
        }
    }
}
