//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines, or the calls, messages and
//! media as Parquet tables, for an analytics engine.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::ExportArgs;
use super::{Outcome, inputs, output};
use crate::capture::ReadSummary;
use crate::correlate::{CallFilter, Correlation};
use crate::explain::{Lang, diagnosis};
use crate::export::{Written, table};
use crate::reading;

pub(crate) fn run(args: &ExportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    if args.captures.iter().any(|p| p.as_os_str() == "-") {
        bail!("export reads its inputs twice: give files, not standard input");
    }
    let filter = CallFilter::new(&args.filters)?;
    // JSON lines and tables number every message among all of the capture's: they need the
    // whole second reading; a capture needs only the frames of the calls.
    let reread = if args.jsonl || args.parquet.is_some() {
        reading::Reread::Everything
    } else {
        reading::Reread::CallFrames
    };
    let (correlation, summary, seek_points) = reading::correlate_noting(
        &args.captures,
        &filter,
        false,
        reread,
        inputs::progress(&args.captures)
            .as_ref()
            .map(inputs::as_progress),
    )?;
    if let Some(dir) = &args.parquet {
        return write_tables(args, dir, correlation, &filter, &summary, stdout);
    }
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
    let file = output::create(path, &args.captures)?;
    let Written {
        frames: written,
        skipped,
        rtp,
        rtcp,
    } = crate::export::write_calls(
        &args.captures,
        &correlation,
        &calls,
        &seek_points,
        args.with_rtp,
        args.format,
        file,
    )
    .with_context(|| format!("cannot write {}", path.display()))?;
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

/// `--parquet DIR`: the selected calls with their diagnosis codes, messages and media streams.
fn write_tables(
    args: &ExportArgs,
    dir: &Path,
    mut correlation: Correlation,
    filter: &CallFilter,
    summary: &ReadSummary,
    stdout: &mut dyn Write,
) -> Result<Outcome> {
    // The codes do not depend on the language; the sentences are left to `calls`.
    diagnosis::describe_all(&mut correlation.calls, &correlation.media, true, Lang::En);
    let calls = filter.select(&correlation.calls)?;
    let media = correlation.media_listed_with(&calls);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let rows = table::write_tables(dir, &args.captures, &correlation, &calls, &media)
        .with_context(|| format!("cannot write the tables in {}", dir.display()))?;
    writeln!(
        stdout,
        "{}: {} calls, {} messages, {} media streams",
        dir.display(),
        rows.calls,
        rows.messages,
        rows.media
    )?;
    Ok(inputs::finish(summary))
}
