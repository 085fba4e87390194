//! Reading the captures named by the user, once or twice. Correlating the inputs for what
//! draws, explains or exports some calls (subcommands and the terminal browser): everything
//! in one reading when no filter narrows the choice (or the input is standard input, which
//! cannot be read twice); otherwise a first reading that keeps only summaries to find the
//! calls, and a second that keeps the messages of those calls only, so memory stays with the
//! calls drawn, not with the capture.
//!
//! To draw or explain, the second reading decodes only the chosen calls' frames, from their
//! first message to their last and the media a few seconds after, and reads past the rest:
//! one call out of gigabytes then costs the first reading and little more. The summaries come
//! from the first reading (which saw everything), the messages and media from the second.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use crate::capture::tls::KeyLog;
use crate::capture::{
    CaptureError, CaptureReader, EventSink, FrameWindow, MergedReader, Progress, ReadSummary,
    SeekPoint, Timestamp,
};
use crate::correlate::{
    CallFilter, CallSummary, Correlation, Correlator, JoinPolicy, Options, spill,
};
use crate::redact::{RedactingSink, Redactor};

/// Why the inputs cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// `-` named twice.
    #[error("standard input (-) can be given only once")]
    StandardInputTwice,
    /// A capture that does not open.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// The reading thread ended without a result.
    #[error("the reading stopped before its end")]
    Stopped,
    /// The calls written to a temporary file could not be read back.
    #[error("cannot read back the calls written to a temporary file")]
    Spill(#[source] std::io::Error),
}

/// Opens every capture, failing on the first one that cannot be read at all.
pub fn open(paths: &[PathBuf]) -> Result<MergedReader, ReadError> {
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(ReadError::StandardInputTwice);
    }
    let readers = paths
        .iter()
        .map(|p| CaptureReader::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MergedReader::new(readers).with_tls_keys(tls_keys()))
}

/// The TLS secrets of the run, once [`decrypt_with`] set them.
static TLS_KEYS: OnceLock<Arc<KeyLog>> = OnceLock::new();

/// Reads TLS with `keys` in every reading of the process from now on (`--tls-keylog`): the
/// first reading and every later one (a call's frames, an export's copy, the browser's) must
/// open the same connections. Set once; later calls are ignored.
pub fn decrypt_with(keys: Arc<KeyLog>) {
    let _ = TLS_KEYS.set(keys);
}

/// The run's TLS secrets, when there are some.
fn tls_keys() -> Option<Arc<KeyLog>> {
    TLS_KEYS.get().cloned()
}

/// Whether the inputs can be read a second time (standard input cannot).
pub fn rereadable(paths: &[PathBuf]) -> bool {
    paths.iter().all(|p| p.as_os_str() != "-")
}

/// The redactor of the run, once [`redact_every_reading`] set it.
static REDACTOR: OnceLock<Mutex<Redactor>> = OnceLock::new();

/// Redacts every reading of the process from now on with `redactor` (`--redact`): the first
/// reading, the second over a call's frames and the copy of an export must give an address
/// or a user the same stand-in, so they share one table. Set once; later calls are ignored.
pub fn redact_every_reading(redactor: Redactor) {
    let _ = REDACTOR.set(Mutex::new(redactor));
}

/// The run's redactor, when readings are redacted.
pub fn redactor() -> Option<MutexGuard<'static, Redactor>> {
    REDACTOR
        .get()
        .map(|m| m.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// Reads the inputs on two threads into `sink`, telling `progress` the bytes read; redacted
/// first when the run redacts.
pub fn read_into(
    merged: &mut MergedReader,
    sink: &mut dyn EventSink,
    progress: Option<&dyn Progress>,
) -> ReadSummary {
    if let Some(mut redactor) = redactor() {
        let mut redacting = RedactingSink::new(sink, &mut redactor);
        return crate::capture::read_all_threaded_with(merged, &mut redacting, progress);
    }
    crate::capture::read_all_threaded_with(merged, sink, progress)
}

/// How long media is read after a call's last message (RTP in flight when the BYE left).
const MEDIA_TAIL_NANOS: i64 = 5_000_000_000;
/// How long media is read before a call's first message: long enough to see a packet of
/// every stream of other calls already flowing (RTP sends one every 20 to 60 ms).
const MEDIA_LEAD_NANOS: i64 = 2_000_000_000;

/// What the second reading reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reread {
    /// Every frame, so that messages keep their numbers across the capture (export).
    Everything,
    /// Only the frames of the chosen calls (drawing, explaining).
    CallFrames,
}

/// Reads the inputs and correlates them, keeping the messages (and their bytes when
/// `keep_raw`) of the calls `filter` selects.
pub fn correlate(
    captures: &[PathBuf],
    filter: &CallFilter,
    keep_raw: bool,
    reread: Reread,
    progress: Option<&dyn Progress>,
) -> Result<(Correlation, ReadSummary), ReadError> {
    let (correlation, summary, _) = correlate_noting(captures, filter, keep_raw, reread, progress)?;
    Ok((correlation, summary))
}

/// [`correlate`], with the seek points the first reading noted (for a later pass over the
/// frames of the calls found).
pub fn correlate_noting(
    captures: &[PathBuf],
    filter: &CallFilter,
    keep_raw: bool,
    reread: Reread,
    progress: Option<&dyn Progress>,
) -> Result<(Correlation, ReadSummary, Vec<SeekPoint>), ReadError> {
    if filter.is_empty() || !rereadable(captures) {
        return read(
            captures,
            Options {
                keep_messages: true,
                keep_raw,
                join: filter.join,
                ..Options::default()
            },
            progress,
        );
    }
    // The filters look at summaries only: the first reading follows no media, and holds only
    // the calls chosen (the others go to the spill and are read back one by one).
    let mut merged = open(captures)?;
    let mut correlator = Correlator::new(Options {
        skip_media: true,
        join: filter.join,
        spill_after: Some(spill::SPILL_AFTER),
        ..Options::default()
    });
    let first_summary = read_into(&mut merged, &mut correlator, progress);
    let seek_points = merged.seek_points().to_vec();
    let (found, calls, _) = correlator.finish_streaming();
    let mut chosen: Vec<CallSummary> = Vec::new();
    for call in calls {
        let call = call.map_err(ReadError::Spill)?;
        if filter.matches(&call) {
            chosen.push(call);
        }
    }
    if chosen.is_empty() {
        // No call matches: the caller says so (the calls of `found` are none).
        return Ok((found, first_summary, seek_points));
    }
    if reread == Reread::CallFrames {
        if let Some(correlation) = read_call_frames(
            captures,
            &chosen,
            Gather::Media { keep_raw },
            &found,
            &seek_points,
            filter.join,
            progress,
        )? {
            return Ok((correlation, first_summary, seek_points));
        }
    }
    let (correlation, summary, _) =
        read(captures, keeping(&chosen, keep_raw, filter.join), progress)?;
    Ok((correlation, summary, seek_points))
}

/// Options of a reading that keeps the messages of `calls`.
pub fn keeping(calls: &[CallSummary], keep_raw: bool, join: JoinPolicy) -> Options {
    Options {
        join,
        keep_messages: true,
        keep_raw,
        only_call_ids: Some(calls.iter().flat_map(|c| c.call_ids.clone()).collect()),
        ..Options::default()
    }
}

/// When a call's media may flow, as the second reading follows it: from a little before its
/// first message (media already flowing when the call starts is seen starting before it, and
/// so not taken for the call's own) to a little after its last, or to the end of the capture
/// for a call still up.
pub fn media_window(c: &CallSummary) -> (Timestamp, Timestamp) {
    let since = Timestamp(c.start_ts.0.saturating_sub(MEDIA_LEAD_NANOS));
    let until = if c.state == "established" {
        Timestamp(i64::MAX)
    } else {
        Timestamp(c.end_ts.0.saturating_add(MEDIA_TAIL_NANOS))
    };
    (since, until)
}

/// Opens the inputs at the last seek point before frame `first_frame` (and before time `since`,
/// when given), when the first reading noted some; else at the start.
pub fn open_before(
    captures: &[PathBuf],
    first_frame: Option<u64>,
    since: Option<Timestamp>,
    seek_points: &[SeekPoint],
) -> Result<MergedReader, ReadError> {
    let start = seek_points
        .iter()
        .take_while(|p| first_frame.is_some_and(|f| p.number <= f))
        .filter(|p| since.is_none_or(|t| p.ts < t))
        .last();
    if let (Some(point), [path]) = (start, captures) {
        if let Some(merged) = MergedReader::open_at(path, *point) {
            return Ok(merged.with_tls_keys(tls_keys()));
        }
    }
    open(captures)
}

/// One reading of the inputs, with the points a second reading may start at.
fn read(
    captures: &[PathBuf],
    options: Options,
    progress: Option<&dyn Progress>,
) -> Result<(Correlation, ReadSummary, Vec<SeekPoint>), ReadError> {
    let mut merged = open(captures)?;
    let mut correlator = Correlator::new(options);
    let summary = read_into(&mut merged, &mut correlator, progress);
    Ok((correlator.finish(), summary, merged.seek_points().to_vec()))
}

/// What a second reading over the calls' frames gathers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gather {
    /// Their messages (with their bytes when `keep_raw`) and the media around them.
    Media {
        /// Keep the bytes of the messages.
        keep_raw: bool,
    },
    /// Their messages with their bytes, not the media around them: for a caller that keeps
    /// the streams of the first reading (`report`). Under a flood, the seconds of media after
    /// an exchange are tens of thousands of other exchanges.
    Messages,
}

/// The second reading over the frames of `chosen` (calls of the first reading, `first`) only:
/// those calls with what `gather` asks. `None` when it did not find every message the first
/// reading counted (a TCP stream taken up in its middle can hide some): the caller then reads
/// everything again.
pub fn read_call_frames(
    captures: &[PathBuf],
    chosen: &[CallSummary],
    gather: Gather,
    first: &Correlation,
    seek_points: &[SeekPoint],
    join: JoinPolicy,
    progress: Option<&dyn Progress>,
) -> Result<Option<Correlation>, ReadError> {
    let second = Second {
        captures,
        first,
        seek_points,
        join,
        progress,
    };
    match gather {
        Gather::Media { keep_raw } => second.read(chosen, keep_raw, media_window),
        // No time before the first frame nor after the last one.
        Gather::Messages => {
            second.read(chosen, true, |_| (Timestamp(i64::MAX), Timestamp(i64::MIN)))
        }
    }
}

/// What a second reading over some calls' frames takes from the first.
struct Second<'a> {
    captures: &'a [PathBuf],
    first: &'a Correlation,
    seek_points: &'a [SeekPoint],
    join: JoinPolicy,
    progress: Option<&'a dyn Progress>,
}

impl Second<'_> {
    /// The calls `chosen` read again over their frames, and the times `window` gives each.
    fn read(
        &self,
        chosen: &[CallSummary],
        keep_raw: bool,
        window: impl Fn(&CallSummary) -> (Timestamp, Timestamp),
    ) -> Result<Option<Correlation>, ReadError> {
        let Second {
            captures,
            first,
            seek_points,
            join,
            progress,
        } = *self;
        // A message read from TLS needs its connection's handshake, outside the call's frames.
        if chosen
            .iter()
            .any(|c| c.transports.iter().any(|t| matches!(*t, "TLS" | "WSS")))
        {
            return Ok(None);
        }
        let windows: Vec<FrameWindow> = chosen
            .iter()
            .map(|c| {
                let (since, until) = window(c);
                FrameWindow {
                    frames: c.frames.clone(),
                    since,
                    until,
                }
            })
            .collect();

        let first_frame = windows.iter().map(|w| *w.frames.start()).min();
        let since = windows.iter().map(|w| w.since).min();
        let mut merged = open_before(captures, first_frame, since, seek_points)?;
        merged.only(windows);
        let mut correlator = Correlator::new(Options {
            count_others: true,
            ..keeping(chosen, keep_raw, join)
        });
        read_into(&mut merged, &mut correlator, progress);
        let second = correlator.finish();

        // Each chosen call takes the messages of its legs, in capture order: a leg is named by its
        // Call-ID and the frame of its first message (a Call-ID may hold several exchanges).
        let position: HashMap<(&str, u64), usize> = chosen
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.leg_keys.iter().filter_map(move |&(at, frame)| {
                    Some(((c.call_ids.get(at)?.as_str(), frame), i))
                })
            })
            .collect();
        let mut indices: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
        for m in &second.messages {
            if let Some(list) = position
                .get(&(m.call_id.as_str(), m.exchange))
                .and_then(|&i| indices.get_mut(i))
            {
                list.push(m.index);
            }
        }
        let mut calls = Vec::with_capacity(chosen.len());
        for (call, message_indices) in chosen.iter().zip(indices) {
            if message_indices.len() != call.messages as usize {
                return Ok(None);
            }
            calls.push(CallSummary {
                message_indices,
                ..call.clone()
            });
        }
        // The second reading numbered its calls its own way: its streams take the first's numbers.
        let number: HashMap<usize, usize> = second
            .calls
            .iter()
            .filter_map(|c| {
                let i = c.leg_keys.iter().find_map(|&(at, frame)| {
                    position.get(&(c.call_ids.get(at)?.as_str(), frame))
                })?;
                Some((c.id, chosen.get(*i)?.id))
            })
            .collect();
        let media = second
            .media
            .into_iter()
            .filter_map(|mut m| {
                m.call = Some(*number.get(&m.call?)?);
                Some(m)
            })
            .collect();
        Ok(Some(Correlation {
            calls,
            counted: Default::default(),
            messages: second.messages,
            media,
            retransmissions: first.retransmissions,
            duplicates: first.duplicates,
            unparsed: first.unparsed,
            orphan_icmp: first.orphan_icmp,
            capture_end: first.capture_end,
            dropped: second.dropped,
            warnings: second.warnings,
            attacks: first.attacks.clone(),
        }))
    }
}

/// The calls `chosen` read again with all the rest, their messages and raw bytes kept (when
/// their frames alone miss some of their messages: TLS, a damaged capture): each call and
/// stream of that reading takes the number of the chosen call of the same legs.
pub fn read_chosen_again(
    captures: &[PathBuf],
    chosen: &[CallSummary],
    join: JoinPolicy,
    progress: Option<&dyn Progress>,
) -> Result<Correlation, ReadError> {
    let mut merged = open(captures)?;
    let mut correlator = Correlator::new(keeping(chosen, true, join));
    read_into(&mut merged, &mut correlator, progress);
    let mut second = correlator.finish();
    // That reading numbered its calls its own way: each takes the number of the chosen
    // call with one of its legs (a Call-ID and the frame of its first message), and so
    // do its streams.
    let leg_of = |c: &CallSummary| -> Vec<(String, u64)> {
        c.leg_keys
            .iter()
            .filter_map(|&(at, frame)| Some((c.call_ids.get(at)?.clone(), frame)))
            .collect()
    };
    let number: HashMap<(String, u64), usize> = chosen
        .iter()
        .flat_map(|c| leg_of(c).into_iter().map(move |key| (key, c.id)))
        .collect();
    let renumbered: HashMap<usize, usize> = second
        .calls
        .iter()
        .filter_map(|c| Some((c.id, leg_of(c).iter().find_map(|k| number.get(k))?)))
        .map(|(from, to)| (from, *to))
        .collect();
    for call in &mut second.calls {
        call.id = renumbered.get(&call.id).copied().unwrap_or(0);
    }
    for m in &mut second.media {
        m.call = m.call.and_then(|n| renumbered.get(&n).copied());
    }
    Ok(second)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A reading of one exchange of a scan sums up that exchange only and counts the 499
    /// others it meets: their summaries were what a second reading under a flood held.
    #[test]
    fn a_reading_of_some_calls_counts_the_others() {
        let scanner = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/attack/scanner.pcap");
        let Ok((first, _, _)) = read(std::slice::from_ref(&scanner), Options::default(), None)
        else {
            panic!("{} could not be read", scanner.display());
        };
        assert_eq!(first.calls.len(), 500);
        let chosen = &first.calls[99..100];
        for count_others in [false, true] {
            let options = Options {
                count_others,
                ..keeping(chosen, false, JoinPolicy::default())
            };
            let Ok((second, _, _)) = read(std::slice::from_ref(&scanner), options, None) else {
                panic!("{} could not be read again", scanner.display());
            };
            let summed: Vec<&[String]> = second.calls.iter().map(|c| &c.call_ids[..]).collect();
            if count_others {
                assert_eq!(summed, [&chosen[0].call_ids[..]]);
                assert_eq!(second.count(crate::correlate::Kind::Call), 500);
            } else {
                assert_eq!(summed.len(), 500);
            }
            assert_eq!(second.messages.len(), 1);
        }
    }
}
