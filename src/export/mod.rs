/*!
Cutting calls out of a capture: the frames that carried their messages (and, on request,
their RTP and RTCP) copied into a new pcap or pcapng, to hand a colleague one call out of
gigabytes. Used by `sipladder export` and by `e` in the terminal browser. [`table`] writes
calls as Parquet tables instead, for an analytics engine, and [`lines`] their messages as
JSON lines.
*/

pub mod lines;
pub mod media;
mod redacted;
pub mod table;

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::PathBuf;

use rustc_hash::FxHashMap as HashMap;

use crate::capture::tcp::StreamKey;
use crate::capture::{Frame, PcapNgWriter, PcapWriter, SeekPoint, Timestamp, Transport};
use crate::correlate::{CallSummary, Correlation};
use crate::reading::{self, ReadError};

use media::MediaFrames;

/// The capture format written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CaptureFormat {
    /// Classic pcap, nanosecond timestamps: one link type (the first frame's).
    Pcap,
    /// pcapng: every link type, and a comment on the first frame of each call.
    Pcapng,
}

/// What a cut wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Frames written.
    pub frames: u64,
    /// Frames of another link type left out (classic pcap holds one).
    pub skipped: u64,
    /// RTP frames among them.
    pub rtp: u64,
    /// RTCP frames among them.
    pub rtcp: u64,
}

/// Why a cut failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The inputs could not be read again.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] io::Error),
}

/// Whether a copy reading `frame` is past everything wanted: the last message's frame `last`
/// and, when media is copied, the end of its window `media_until`.
fn past_end(frame: &Frame<'_>, last: Option<u64>, media_until: Option<Timestamp>) -> bool {
    last.is_none_or(|last| frame.number > last) && media_until.is_none_or(|until| frame.ts > until)
}

/// The writer of the chosen format.
enum Writer<W: Write> {
    Pcap(PcapWriter<W>),
    PcapNg(PcapNgWriter<W>),
}

impl<W: Write> Writer<W> {
    /// Writes `frame`, with a comment when the format keeps one.
    fn write(&mut self, frame: &Frame<'_>, comment: Option<&str>) -> io::Result<()> {
        match self {
            Writer::Pcap(w) => w.write(frame),
            Writer::PcapNg(w) => w.write(frame, comment),
        }
    }

    /// Ends the file: (frames written, frames of another link type left out).
    fn finish(self) -> io::Result<(u64, u64)> {
        match self {
            Writer::Pcap(w) => {
                let counts = (w.written, w.skipped);
                w.finish()?;
                Ok(counts)
            }
            Writer::PcapNg(w) => {
                let counts = (w.written, 0);
                w.finish()?;
                Ok(counts)
            }
        }
    }
}

/// Copies the frames of `calls` (whose messages `correlation` kept) from `captures` into
/// `out`, with their media when `with_rtp`; a reading starts at the last of `seek_points`
/// before the first frame wanted.
pub fn write_calls<W: Write>(
    captures: &[PathBuf],
    correlation: &Correlation,
    calls: &[&CallSummary],
    seek_points: &[SeekPoint],
    with_rtp: bool,
    format: CaptureFormat,
    out: W,
) -> Result<Written, ExportError> {
    // The frames that carried the calls' messages (first and completing frame of each), and
    // the comment a pcapng gives the first frame of each call. A redacted capture has a frame
    // per message, at the frame that completed it.
    let redactor = reading::redactor();
    let mut frames = BTreeSet::new();
    let mut comments: HashMap<u64, String> = HashMap::default();
    // A message read from TLS is decrypted again only with every record of its connection
    // before it, handshake included: those connections are copied whole, up to the last frame
    // (a redacted capture holds the messages decrypted, but its copy reads them from the
    // handshake too).
    let mut connections = BTreeSet::new();
    for call in calls {
        let messages = correlation.messages_of(call);
        frames.extend(messages.iter().flat_map(|m| [m.first_frame, m.frame]));
        connections.extend(
            messages
                .iter()
                .filter(|m| matches!(m.transport, Transport::Tls | Transport::Wss))
                .map(|m| {
                    StreamKey {
                        src: m.src,
                        dst: m.dst,
                    }
                    .connection()
                }),
        );
        let first = if redactor.is_some() {
            messages.iter().map(|m| m.frame).min()
        } else {
            messages.iter().map(|m| m.first_frame).min()
        };
        if let Some(first) = first {
            comments.insert(
                first,
                format!(
                    "sipladder call {}: {} {} → {}",
                    call.id, call.kind, call.from, call.to
                ),
            );
        }
    }
    let mut media = if with_rtp {
        MediaFrames::of(correlation, calls)
    } else {
        None
    };
    let mut writer = match format {
        CaptureFormat::Pcap => Writer::Pcap(PcapWriter::new(out)),
        CaptureFormat::Pcapng => Writer::PcapNg(PcapNgWriter::new(out)?),
    };
    // From the last seek point before the first frame wanted, to the last one (or the end of
    // the calls' media).
    let (mut first, last) = (frames.first().copied(), frames.last().copied());
    if !connections.is_empty() {
        first = Some(0); // their handshakes come before their calls: read from the start
    }
    let mut merged = reading::open_before(captures, first, None, seek_points)?;
    if let Some(mut redactor) = redactor {
        let copy = redacted::Copy {
            frames: &frames,
            call_ids: calls
                .iter()
                .flat_map(|c| c.call_ids.iter().map(String::as_str))
                .collect(),
            comments: &comments,
            media: media.as_mut(),
        };
        copy.run(&mut merged, &mut writer, &mut redactor)?;
    } else {
        while let Some(frame) = merged.next_frame() {
            if past_end(&frame, last, media.as_ref().map(|m| m.until)) {
                break;
            }
            let wanted = frames.contains(&frame.number)
                || media.as_mut().is_some_and(|m| m.wants(&frame))
                || (!connections.is_empty()
                    && last.is_some_and(|last| frame.number <= last)
                    && StreamKey::of_frame(&frame)
                        .is_some_and(|k| connections.contains(&k.connection())));
            if wanted {
                writer.write(&frame, comments.get(&frame.number).map(String::as_str))?;
            }
        }
    }
    let (frames, skipped) = writer.finish()?;
    let (rtp, rtcp) = media.map_or((0, 0), |m| (m.packets, m.rtcp));
    Ok(Written {
        frames,
        skipped,
        rtp,
        rtcp,
    })
}
