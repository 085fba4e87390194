//! Counting what a capture holds: packets, SIP messages per method, status and transport,
//! ICMP errors, warnings. The data behind `sipladder stats`; rendering is elsewhere.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::capture::{DecodeCounters, Event, EventSink, SipPayload, Timestamp, Warning};
use crate::sip::framing::{self, StartLine};

/// A retransmission is the same message re-sent on the same path within 64 × T1 (32 s), the
/// longest a SIP transaction retransmits (RFC 3261 §17.1.1.2, timer B).
const RETRANSMISSION_WINDOW_NANOS: i64 = 32_000_000_000;
/// Examples kept per warning kind; the rest are counted.
const EXAMPLES_PER_WARNING: usize = 5;

/// The figures of `sipladder stats`, in the JSON shape of the design's contract.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    /// The inputs, as named on the command line.
    pub files: Vec<String>,
    /// Frames read.
    pub packets: u64,
    /// SIP messages found (ICMP-quoted ones excluded).
    pub sip_messages: u64,
    /// Requests per method, as written.
    pub requests: BTreeMap<String, u64>,
    /// Responses per status code.
    pub responses: BTreeMap<String, u64>,
    /// SIP messages per transport.
    pub transports: BTreeMap<String, u64>,
    /// Distinct Call-IDs that carry an INVITE.
    pub calls: u64,
    /// Distinct Call-IDs that carry a REGISTER.
    pub registrations: u64,
    /// Messages identical to one sent on the same path less than 32 s before.
    pub retransmissions: u64,
    /// ICMP errors that quote a SIP datagram (the datagram did not arrive).
    pub icmp_errors: u64,
    /// Time of the first frame.
    pub start: Option<String>,
    /// Time of the last frame.
    pub end: Option<String>,
    /// Per-layer decoding counts.
    pub decode: DecodeCounters,
    /// Warnings grouped by kind.
    pub warnings: Vec<WarningGroup>,
    /// Some input was cut or damaged: the figures cover what came before.
    pub partial: bool,
}

/// Warnings of one kind: how many, and the first few in full.
#[derive(Clone, Debug, Serialize)]
pub struct WarningGroup {
    /// The kind's stable name.
    pub kind: &'static str,
    /// How many times it happened.
    pub count: u64,
    /// The first occurrences, as sentences.
    pub examples: Vec<String>,
}

/// Builds [`Stats`] from the capture layer's events.
#[derive(Default)]
pub struct StatsCollector {
    stats: Stats,
    invite_call_ids: HashSet<u64>,
    register_call_ids: HashSet<u64>,
    recent: VecDeque<(Timestamp, u64)>,
    recent_set: HashMap<u64, u32>,
    warnings: BTreeMap<&'static str, WarningGroup>,
    first_ts: Option<Timestamp>,
    last_ts: Option<Timestamp>,
}

impl EventSink for StatsCollector {
    fn frame(&mut self, ts: Timestamp) {
        self.stats.packets += 1;
        self.first_ts.get_or_insert(ts);
        self.last_ts = Some(ts);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(msg) => self.on_sip(&msg),
            Event::IcmpError(_) => self.stats.icmp_errors += 1,
            Event::Warning(w) => self.on_warning(w),
        }
    }
}

impl StatsCollector {
    fn on_sip(&mut self, msg: &SipPayload<'_>) {
        let stats = &mut self.stats;
        stats.sip_messages += 1;
        *stats
            .transports
            .entry(msg.transport.as_str().to_string())
            .or_default() += 1;
        match msg.framed.start {
            StartLine::Request { method } => {
                *stats.requests.entry(method.to_string()).or_default() += 1;
                let set = match method {
                    "INVITE" => Some(&mut self.invite_call_ids),
                    "REGISTER" => Some(&mut self.register_call_ids),
                    _ => None,
                };
                if let Some(set) = set {
                    if let Some(call_id) = framing::find_header(msg.bytes, b"call-id", Some(b"i")) {
                        set.insert(hash_of(&call_id));
                    }
                }
            }
            StartLine::Response { code } => {
                *stats.responses.entry(code.to_string()).or_default() += 1;
            }
        }
        self.note_retransmission(msg);
    }

    fn note_retransmission(&mut self, msg: &SipPayload<'_>) {
        while let Some((ts, h)) = self.recent.front().copied() {
            if msg.ts.nanos_since(ts) <= RETRANSMISSION_WINDOW_NANOS {
                break;
            }
            self.recent.pop_front();
            if let Some(n) = self.recent_set.get_mut(&h) {
                *n -= 1;
                if *n == 0 {
                    self.recent_set.remove(&h);
                }
            }
        }
        let h = hash_of(&(msg.src, msg.dst, msg.transport, msg.bytes));
        let seen = self.recent_set.entry(h).or_default();
        if *seen > 0 {
            self.stats.retransmissions += 1;
        }
        *seen += 1;
        self.recent.push_back((msg.ts, h));
    }

    fn on_warning(&mut self, warning: Warning) {
        if matches!(
            warning.kind,
            crate::capture::WarningKind::CaptureTruncated { .. }
        ) {
            self.stats.partial = true;
        }
        let name = warning.kind.name();
        let group = self.warnings.entry(name).or_insert_with(|| WarningGroup {
            kind: name,
            count: 0,
            examples: Vec::new(),
        });
        group.count += 1;
        if group.examples.len() < EXAMPLES_PER_WARNING {
            group.examples.push(warning.to_string());
        }
    }

    /// The final figures.
    pub fn finish(mut self, files: Vec<String>, decode: DecodeCounters) -> Stats {
        self.stats.files = files;
        self.stats.decode = decode;
        self.stats.calls = self.invite_call_ids.len() as u64;
        self.stats.registrations = self.register_call_ids.len() as u64;
        self.stats.start = self.first_ts.map(|t| t.to_string());
        self.stats.end = self.last_ts.map(|t| t.to_string());
        self.stats.warnings = self.warnings.into_values().collect();
        self.stats
    }
}

fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
