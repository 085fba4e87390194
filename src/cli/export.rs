//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines for an analytics engine.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{Context, Result, bail};

use super::args::ExportArgs;
use super::filters::CallFilter;
use super::{Outcome, correlation, inputs, output};
use crate::capture::PcapWriter;

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
    // The frames that carried the calls' messages (first and completing frame of each).
    let frames: BTreeSet<u64> = calls
        .iter()
        .flat_map(|c| correlation.messages_of(c))
        .flat_map(|m| [m.first_frame, m.frame])
        .collect();
    let file = output::create(path, &args.captures)?;
    let mut writer = PcapWriter::new(file);
    // From the last seek point before the first frame wanted, to the last one.
    let (first, last) = (frames.first().copied(), frames.last().copied());
    let mut merged = correlation::open_before(&args.captures, first, None, &seek_points)?;
    while let Some(frame) = merged.next_frame() {
        if last.is_none_or(|last| frame.number > last) {
            break;
        }
        if frames.contains(&frame.number) {
            writer
                .write(&frame)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let (written, skipped) = (writer.written, writer.skipped);
    writer
        .finish()
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(
        stdout,
        "{}: {written} frames of {} call(s){}",
        path.display(),
        calls.len(),
        if skipped > 0 {
            format!("; {skipped} frames of another link type left out")
        } else {
            String::new()
        }
    )?;
    Ok(inputs::finish(&summary))
}
