//! Counting what a capture holds: packets, SIP messages per method, status and transport,
//! ICMP errors, warnings. The data behind `sipladder stats`; rendering is elsewhere.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::capture::{
    DecodeCounters, Event, EventSink, Prepare, Prepared, RtpPacket, SipPayload, Timestamp, Warning,
};
use crate::correlate::{Correlation, Correlator, Kind, Options};
use crate::sip::framing::StartLine;
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
    /// Calls (INVITE sessions, over all their legs), as `sipladder calls` lists them.
    pub calls: u64,
    /// Registrations, as `sipladder calls` lists them.
    pub registrations: u64,
    /// Retransmitted requests and responses (RFC 3261 §17 transaction matching).
    pub retransmissions: u64,
    /// Copies of a message taken twice by the capture within milliseconds (a mirror port,
    /// two capture points): counted in `sip_messages`, not in calls nor retransmissions.
    pub duplicates: u64,
    /// ICMP errors that quote a SIP datagram (the datagram did not arrive).
    pub icmp_errors: u64,
    /// UDP datagrams with an RTP header.
    pub rtp_packets: u64,
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
    /// Scans, floods and password guessing (see `correlate::attack`).
    pub attacks: Vec<crate::correlate::attack::AttackFinding>,
}

impl Stats {
    /// Counts a call handed out one by one by a correlation that streams its calls (whose
    /// counts hold only the exchanges it did not hand out).
    pub fn count_streamed(&mut self, call: &crate::correlate::CallSummary) {
        if call.kind == Kind::Call.as_str() {
            self.calls += 1;
        } else if call.kind == Kind::Registration.as_str() {
            self.registrations += 1;
        }
    }
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
pub struct StatsCollector {
    stats: Stats,
    correlator: Correlator,
    warnings: BTreeMap<&'static str, WarningGroup>,
    first_ts: Option<Timestamp>,
    last_ts: Option<Timestamp>,
}

impl Default for StatsCollector {
    /// Calls are only counted and RTP streams not followed: the statistics show neither, and
    /// memory stays flat over captures of any length.
    fn default() -> StatsCollector {
        StatsCollector {
            stats: Stats::default(),
            correlator: Correlator::new(Options {
                count_only: true,
                skip_media: true,
                ..Options::default()
            }),
            warnings: BTreeMap::new(),
            first_ts: None,
            last_ts: None,
        }
    }
}

impl EventSink for StatsCollector {
    fn frame(&mut self, ts: Timestamp) {
        self.correlator.frame(ts);
        self.stats.packets += 1;
        self.first_ts.get_or_insert(ts);
        self.last_ts = Some(ts);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(msg) => {
                self.on_sip(&msg);
                self.correlator.event(Event::Sip(msg));
            }
            Event::IcmpError(quote) => {
                self.stats.icmp_errors += 1;
                self.correlator.event(Event::IcmpError(quote));
            }
            Event::Warning(w) => self.on_warning(w),
            rtp @ Event::Rtp(_) => self.correlator.event(rtp),
            Event::Rtcp(..) => {}
        }
    }

    fn rtp(&mut self, packet: &RtpPacket) {
        self.correlator.rtp(packet);
    }

    fn preparer(&self) -> Option<Prepare> {
        self.correlator.preparer()
    }

    fn prepared_sip(&mut self, payload: SipPayload<'_>, prepared: Prepared) {
        self.on_sip(&payload);
        self.correlator.prepared_sip(payload, prepared);
    }
}

impl StatsCollector {
    /// Counts an event without handing it on (for a caller that feeds its own correlator).
    pub fn count(&mut self, event: &Event<'_>) {
        match event {
            Event::Sip(msg) => self.on_sip(msg),
            Event::IcmpError(_) => self.stats.icmp_errors += 1,
            Event::Warning(w) => self.on_warning(w.clone()),
            Event::Rtp(_) | Event::Rtcp(..) => {}
        }
    }

    fn on_sip(&mut self, msg: &SipPayload<'_>) {
        let stats = &mut self.stats;
        stats.sip_messages += 1;
        bump(&mut stats.transports, msg.transport.as_str());
        match msg.framed.start {
            StartLine::Request { method } => bump(&mut stats.requests, method),
            StartLine::Response { code } => bump(&mut stats.responses, &code.to_string()),
        }
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
        group.count += warning.kind.occurrences();
        if group.examples.len() < EXAMPLES_PER_WARNING {
            group.examples.push(warning.to_string());
        }
    }

    /// The final figures.
    pub fn finish(mut self, files: Vec<String>, decode: DecodeCounters) -> Stats {
        let correlation = std::mem::take(&mut self.correlator).finish();
        self.finish_with(files, decode, &correlation)
    }

    /// The final figures, taking calls and retransmissions from a correlation made elsewhere
    /// (by a caller that fed the events to its own correlator and only [`count`]ed them here).
    ///
    /// [`count`]: StatsCollector::count
    pub fn finish_with(
        mut self,
        files: Vec<String>,
        decode: DecodeCounters,
        correlation: &Correlation,
    ) -> Stats {
        for warning in &correlation.warnings {
            self.on_warning(warning.clone());
        }
        self.stats.calls = correlation.count(Kind::Call);
        self.stats.registrations = correlation.count(Kind::Registration);
        self.stats.retransmissions = correlation.retransmissions;
        self.stats.duplicates = correlation.duplicates;
        self.stats.rtp_packets = decode.rtp_packets;
        self.stats.files = files;
        self.stats.decode = decode;
        self.stats.start = self.first_ts.map(|t| t.to_string());
        self.stats.end = self.last_ts.map(|t| t.to_string());
        self.stats.warnings = self.warnings.into_values().collect();
        self.stats.attacks = correlation.attacks.clone();
        self.stats
    }
}

/// Adds one to a count, allocating the key only the first time it is seen.
fn bump(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

/// Both the figures of `stats` and the calls, from one reading (the report's summary and
/// its calls).
pub struct StatsAndCalls {
    /// The figures.
    pub stats: StatsCollector,
    /// The calls.
    pub correlator: Correlator,
}

impl EventSink for StatsAndCalls {
    fn frame(&mut self, ts: crate::capture::Timestamp) {
        self.stats.frame(ts);
        self.correlator.frame(ts);
    }

    fn event(&mut self, event: crate::capture::Event<'_>) {
        // The statistics need only counts; correlation gets the events themselves.
        match &event {
            crate::capture::Event::Warning(w) => {
                self.stats.event(crate::capture::Event::Warning(w.clone()))
            }
            _ => self.stats.count(&event),
        }
        self.correlator.event(event);
    }

    fn preparer(&self) -> Option<crate::capture::Prepare> {
        self.correlator.preparer()
    }

    fn prepared_sip(
        &mut self,
        payload: crate::capture::SipPayload<'_>,
        prepared: crate::capture::Prepared,
    ) {
        self.stats.count(&crate::capture::Event::Sip(payload));
        self.correlator.prepared_sip(payload, prepared);
    }
}
