//! The capture behind the browser: read once on a background thread for the list (its
//! progress told to the screen as it goes), then, when a call is opened, only that call's
//! frames again (the second reading `flow` uses), so memory stays with the call shown.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::capture::{
    Event, EventSink, Prepare, Prepared, Progress, ReadSummary, RtpPacket, SeekPoint, SipPayload,
    Timestamp,
};
use crate::correlate::{
    CallSummary, Correlation, Correlator, JoinPolicy, MediaStream, MessageRecord, Options,
};
use crate::explain::{Lang, diagnosis};
use crate::reading::{self, ReadError};
use crate::stats::{Stats, StatsAndCalls, StatsCollector};

/// What the first reading found.
#[derive(Debug)]
pub struct Loaded {
    /// Calls (with their diagnosis) and media; messages only when the input cannot be read
    /// again.
    pub correlation: Correlation,
    /// Where a second reading may start.
    pub seek_points: Vec<SeekPoint>,
    /// Damage met on the way.
    pub summary: ReadSummary,
    /// The figures of `stats`, for the report.
    pub stats: Stats,
}

/// Bytes read, shared with the reading thread.
struct Counter(Arc<AtomicU64>);

impl Progress for Counter {
    fn read(&self, bytes: u64) {
        self.0.store(bytes, Ordering::Relaxed);
    }
}

/// How often the calls already over are handed to the list during the first reading.
const EARLY_EVERY: Duration = Duration::from_millis(500);

/// The first reading's sink: statistics and calls, and now and then the calls already over
/// sent to the screen, which lists them before the reading ends.
struct Feeding {
    both: StatsAndCalls,
    early: Sender<Vec<CallSummary>>,
    sent: usize,
    frames: u64,
    last: Instant,
}

impl Feeding {
    fn send_early(&mut self) {
        let mut fresh: Vec<CallSummary> = self
            .both
            .correlator
            .ended_calls()
            .skip(self.sent)
            .cloned()
            .collect();
        if fresh.is_empty() {
            return;
        }
        self.sent += fresh.len();
        // Media is summed up at the end: until then, what the messages alone tell.
        for call in &mut fresh {
            call.diagnosis = Some(diagnosis::describe(call, &[], false, Lang::En));
        }
        let _ = self.early.send(fresh);
    }
}

impl EventSink for Feeding {
    fn frame(&mut self, ts: Timestamp) {
        self.both.frame(ts);
        self.frames += 1;
        if self.frames % 4096 == 0 && self.last.elapsed() >= EARLY_EVERY {
            self.last = Instant::now();
            self.send_early();
        }
    }

    fn event(&mut self, event: Event<'_>) {
        self.both.event(event);
    }

    fn rtp(&mut self, packet: &RtpPacket) {
        self.both.rtp(packet);
    }

    fn preparer(&self) -> Option<Prepare> {
        self.both.preparer()
    }

    fn prepared_sip(&mut self, payload: SipPayload<'_>, prepared: Prepared) {
        self.both.prepared_sip(payload, prepared);
    }
}

/// The first reading, running on its own thread.
pub struct Loader {
    bytes: Arc<AtomicU64>,
    total: u64,
    early: Receiver<Vec<CallSummary>>,
    done: Receiver<Result<Loaded, ReadError>>,
}

impl Loader {
    /// Starts reading `captures`.
    pub fn start(captures: Vec<PathBuf>, join: JoinPolicy) -> Loader {
        let bytes = Arc::new(AtomicU64::new(0));
        let total = captures
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let (send, done) = channel();
        let (feed, early) = channel();
        let counter = Counter(Arc::clone(&bytes));
        std::thread::spawn(move || {
            let _ = send.send(first_reading(&captures, join, &counter, Some(feed)));
        });
        Loader {
            bytes,
            total,
            early,
            done,
        }
    }

    /// Calls over since the last call, not yet numbered, to list while reading goes on.
    pub fn early(&self) -> Vec<CallSummary> {
        self.early.try_iter().flatten().collect()
    }

    /// How much is read, from 0 to 1 (0 while the size is unknown, as on standard input).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        (self.bytes.load(Ordering::Relaxed) as f64 / self.total as f64).clamp(0.0, 1.0)
    }

    /// The result, once the reading is over.
    pub fn poll(&self) -> Option<Result<Loaded, ReadError>> {
        match self.done.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            // The thread ended without a word: it panicked, which the library never should.
            Err(TryRecvError::Disconnected) => Some(Err(ReadError::Stopped)),
        }
    }
}

fn first_reading(
    captures: &[PathBuf],
    join: JoinPolicy,
    progress: &dyn Progress,
    early: Option<Sender<Vec<CallSummary>>>,
) -> Result<Loaded, ReadError> {
    // Standard input is read once: every message is kept for the calls opened later.
    let once = !reading::rereadable(captures);
    let mut merged = reading::open(captures)?;
    let mut both = StatsAndCalls {
        stats: StatsCollector::default(),
        correlator: Correlator::new(Options {
            join,
            keep_messages: once,
            keep_raw: once,
            ..Options::default()
        }),
    };
    let summary = match early {
        Some(early) => {
            let mut feeding = Feeding {
                both,
                early,
                sent: 0,
                frames: 0,
                last: Instant::now(),
            };
            let summary = reading::read_into(&mut merged, &mut feeding, Some(progress));
            both = feeding.both;
            summary
        }
        None => reading::read_into(&mut merged, &mut both, Some(progress)),
    };
    let mut correlation = both.correlator.finish();
    let names = captures.iter().map(|p| p.display().to_string()).collect();
    let stats = both
        .stats
        .finish_with(names, summary.counters.clone(), &correlation);
    // The list shows the codes of the problems, the same in every language.
    diagnosis::describe_all(&mut correlation.calls, &correlation.media, true, Lang::En);
    Ok(Loaded {
        correlation,
        seek_points: merged.seek_points().to_vec(),
        summary,
        stats,
    })
}

/// One call with its messages (and their bytes) and its media streams.
#[derive(Clone, Debug)]
pub struct CallData {
    /// Its summary from the first reading.
    pub call: CallSummary,
    /// Its messages in capture order.
    pub messages: Vec<MessageRecord>,
    /// Its media streams.
    pub media: Vec<MediaStream>,
}

impl CallData {
    /// The messages as the ladder and views take them.
    pub fn message_refs(&self) -> Vec<&MessageRecord> {
        self.messages.iter().collect()
    }

    /// The media as the ladder and views take them.
    pub fn media_refs(&self) -> Vec<&MediaStream> {
        self.media.iter().collect()
    }

    /// The call, with message indices that point into [`CallData::messages`].
    pub fn correlation(&self) -> Correlation {
        let mut call = self.call.clone();
        call.message_indices = self.messages.iter().map(|m| m.index).collect();
        Correlation {
            calls: vec![call],
            messages: self.messages.clone(),
            media: self.media.clone(),
            ..Correlation::default()
        }
    }
}

/// The inputs and what their first reading found.
pub struct Session {
    captures: Vec<PathBuf>,
    join: JoinPolicy,
    /// The first reading's result.
    pub loaded: Loaded,
}

impl Session {
    /// A session over `captures`, read once into `loaded`.
    pub fn new(captures: Vec<PathBuf>, join: JoinPolicy, loaded: Loaded) -> Session {
        Session {
            captures,
            join,
            loaded,
        }
    }

    /// A session over `captures`, read on this thread (tests, scripts).
    pub fn read(captures: Vec<PathBuf>, join: JoinPolicy) -> Result<Session, ReadError> {
        struct Silent;
        impl Progress for Silent {
            fn read(&self, _: u64) {}
        }
        let loaded = first_reading(&captures, join, &Silent, None)?;
        Ok(Session::new(captures, join, loaded))
    }

    /// The rows of the list, as the browser shows them.
    pub fn list(&self) -> super::list::CallList {
        super::list::CallList::new(self.loaded.correlation.calls.clone())
            .with_attacks(&self.loaded.correlation.attacks, Lang::En)
    }

    /// The inputs.
    pub fn captures(&self) -> &[PathBuf] {
        &self.captures
    }

    /// Several calls with their messages (and media), read as `report` reads them: their
    /// frames only when that finds every message, else everything again.
    pub fn open_many(&self, chosen: &[CallSummary]) -> Result<Correlation, ReadError> {
        let first = &self.loaded.correlation;
        if !reading::rereadable(&self.captures) {
            let ids: Vec<usize> = chosen.iter().map(|c| c.id).collect();
            return Ok(Correlation {
                calls: chosen.to_vec(),
                messages: first.messages.clone(),
                media: first
                    .media
                    .iter()
                    .filter(|m| m.call.is_some_and(|c| ids.contains(&c)))
                    .cloned()
                    .collect(),
                ..Correlation::default()
            });
        }
        if let Some(found) = self.read_frames(chosen)? {
            return Ok(found);
        }
        reading::read_chosen_again(&self.captures, chosen, self.join, None)
    }

    /// The calls `chosen` read again from their frames only, with their raw bytes; `None` when
    /// that misses some of their messages.
    fn read_frames(&self, chosen: &[CallSummary]) -> Result<Option<Correlation>, ReadError> {
        reading::read_call_frames(
            &self.captures,
            chosen,
            reading::Gather::Media { keep_raw: true },
            &self.loaded.correlation,
            &self.loaded.seek_points,
            self.join,
            None,
        )
    }

    /// Call `id` with its messages: from the first reading when it kept them, else from a
    /// second reading of the call's frames (or of everything, when that misses some).
    pub fn open(&self, id: usize) -> Result<Option<CallData>, ReadError> {
        let first = &self.loaded.correlation;
        let Some(call) = first.calls.iter().find(|c| c.id == id) else {
            return Ok(None);
        };
        let media = |c: &Correlation| -> Vec<MediaStream> {
            c.media
                .iter()
                .filter(|m| m.call == Some(id))
                .cloned()
                .collect()
        };
        if !reading::rereadable(&self.captures) {
            return Ok(Some(CallData {
                call: call.clone(),
                messages: first.messages_of(call).into_iter().cloned().collect(),
                media: media(first),
            }));
        }
        let chosen = std::slice::from_ref(call);
        if let Some(found) = self.read_frames(chosen)? {
            // Calls keep the first reading's numbers, and so do their streams.
            return Ok(found.calls.first().map(|c| CallData {
                call: call.clone(),
                messages: found.messages_of(c).into_iter().cloned().collect(),
                media: media(&found),
            }));
        }
        let mut merged = reading::open(&self.captures)?;
        let mut correlator = Correlator::new(reading::keeping(chosen, true, self.join));
        reading::read_into(&mut merged, &mut correlator, None);
        let second = correlator.finish();
        // That reading numbered its calls its own way: the call is the one of the same legs.
        let same = second
            .calls
            .iter()
            .find(|c| c.call_ids.first() == call.call_ids.first());
        Ok(Some(CallData {
            call: call.clone(),
            messages: same
                .map(|c| second.messages_of(c).into_iter().cloned().collect())
                .unwrap_or_default(),
            media: same
                .map(|c| second.media_of(c).into_iter().cloned().collect())
                .unwrap_or_default(),
        }))
    }
}
