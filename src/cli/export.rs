//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines for an analytics engine.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{Context, Result, bail};

use rustc_hash::FxHashMap as HashMap;

use super::args::ExportArgs;
use super::filters::CallFilter;
use super::{Outcome, correlation, export_media, inputs, output};
use crate::capture::tcp::StreamKey;
use crate::capture::{PcapNgWriter, PcapWriter, Transport};

/// The capture format `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CaptureFormat {
    /// Classic pcap, nanosecond timestamps: one link type (the first frame's).
    Pcap,
    /// pcapng: every link type, and a comment on the first frame of each call.
    Pcapng,
}

/// The writer of the chosen format.
enum Writer<W: Write> {
    Pcap(PcapWriter<W>),
    PcapNg(PcapNgWriter<W>),
}

pub(crate) fn run(args: &ExportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    if args.captures.iter().any(|p| p.as_os_str() == "-") {
        bail!("export reads its inputs twice: give files, not standard input");
    }
    let filter = CallFilter::new(&args.filters)?;
    // JSON lines number every message among all of the capture's: they need the whole second
    // reading; a capture needs only the frames of the calls.
    let reread = if args.jsonl {
        correlation::Reread::Everything
    } else {
        correlation::Reread::CallFrames
    };
    let (correlation, summary, seek_points) =
        correlation::correlate_noting(&args.captures, &filter, false, reread)?;
    let calls = filter.select(&correlation.calls)?;
    if args.jsonl {
        let mut file = match &args.output {
            Some(path) => Some(output::create(path, &args.captures)?),
            None => None,
        };
        let out: &mut dyn Write = match file.as_mut() {
            Some(f) => f,
            None => stdout,
        };
        for call in &calls {
            for m in correlation.messages_of(call) {
                #[derive(serde::Serialize)]
                struct Line<'a> {
                    call: usize,
                    #[serde(flatten)]
                    message: &'a crate::correlate::MessageRecord,
                }
                serde_json::to_writer(
                    &mut *out,
                    &Line {
                        call: call.id,
                        message: m,
                    },
                )?;
                out.write_all(b"\n")?;
            }
        }
        out.flush()?;
        return Ok(inputs::finish(&summary));
    }
    let Some(path) = &args.output else {
        bail!("-o FILE is needed to write a capture");
    };
    // The frames that carried the calls' messages (first and completing frame of each), and
    // the comment a pcapng gives the first frame of each call.
    let mut frames = BTreeSet::new();
    let mut comments: HashMap<u64, String> = HashMap::default();
    // A message read from TLS is decrypted again only with every record of its connection
    // before it, handshake included: those connections are copied whole, up to the last frame.
    let mut connections = BTreeSet::new();
    for call in &calls {
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
        if let Some(first) = messages.iter().map(|m| m.first_frame).min() {
            comments.insert(
                first,
                format!(
                    "sipladder call {}: {} {} → {}",
                    call.id, call.kind, call.from, call.to
                ),
            );
        }
    }
    let mut media = if args.with_rtp {
        export_media::MediaFrames::of(&correlation, &calls)
    } else {
        None
    };
    let file = output::create(path, &args.captures)?;
    let cannot = || format!("cannot write {}", path.display());
    let mut writer = match args.format {
        CaptureFormat::Pcap => Writer::Pcap(PcapWriter::new(file)),
        CaptureFormat::Pcapng => Writer::PcapNg(PcapNgWriter::new(file).with_context(cannot)?),
    };
    // From the last seek point before the first frame wanted, to the last one (or the end of
    // the calls' media).
    let (mut first, last) = (frames.first().copied(), frames.last().copied());
    if !connections.is_empty() {
        first = Some(0); // their handshakes come before their calls: read from the start
    }
    let mut merged = correlation::open_before(&args.captures, first, None, &seek_points)?;
    while let Some(frame) = merged.next_frame() {
        let past_media = media.as_ref().is_none_or(|m| frame.ts > m.until);
        if last.is_none_or(|last| frame.number > last) && past_media {
            break;
        }
        let wanted = frames.contains(&frame.number)
            || media.as_mut().is_some_and(|m| m.wants(&frame))
            || (!connections.is_empty()
                && last.is_some_and(|last| frame.number <= last)
                && StreamKey::of_frame(&frame)
                    .is_some_and(|k| connections.contains(&k.connection())));
        if wanted {
            match &mut writer {
                Writer::Pcap(w) => w.write(&frame),
                Writer::PcapNg(w) => {
                    w.write(&frame, comments.get(&frame.number).map(String::as_str))
                }
            }
            .with_context(cannot)?;
        }
    }
    let (written, skipped) = match writer {
        Writer::Pcap(w) => {
            let counts = (w.written, w.skipped);
            w.finish().with_context(cannot)?;
            counts
        }
        Writer::PcapNg(w) => {
            let counts = (w.written, 0);
            w.finish().with_context(cannot)?;
            counts
        }
    };
    let (rtp, rtcp) = media.map_or((0, 0), |m| (m.packets, m.rtcp));
    writeln!(
        stdout,
        "{}: {written} frames of {} call(s){}{}",
        path.display(),
        calls.len(),
        if args.with_rtp {
            format!(" ({rtp} RTP, {rtcp} RTCP)")
        } else {
            String::new()
        },
        if skipped > 0 {
            format!("; {skipped} frames of another link type left out")
        } else {
            String::new()
        }
    )?;
    Ok(inputs::finish(&summary))
}
