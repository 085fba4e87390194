//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines, or the calls, messages and
//! media as Parquet tables, for an analytics engine.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::ExportArgs;
use super::{Outcome, inputs, output};
use crate::correlate::spill::{self, Streams};
use crate::correlate::{CallFilter, Calls, Correlator, FilterError, Options};
use crate::export::{Written, lines, table};
use crate::reading;

pub(crate) fn run(args: &ExportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    if args.jsonl || args.parquet.is_some() {
        return write_records(args, &filter, stdout);
    }
    if args.captures.iter().any(|p| p.as_os_str() == "-") {
        bail!("export reads its inputs twice to cut a capture: give files, not standard input");
    }
    // A capture needs only the frames of the calls.
    let (correlation, summary, seek_points) = reading::correlate_noting(
        &args.captures,
        &filter,
        false,
        reading::Reread::CallFrames,
        inputs::progress(&args.captures)
            .as_ref()
            .map(inputs::as_progress),
    )?;
    let calls = filter.select(&correlation.calls)?;
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

/// The file `--output` names, created; none for standard output.
fn output_file(args: &ExportArgs) -> Result<Option<std::io::BufWriter<std::fs::File>>> {
    args.output
        .as_ref()
        .map(|path| output::create(path, &args.captures))
        .transpose()
}

/// `--jsonl` and `--parquet DIR`: one reading, each call's message records set aside when it
/// is over (to a temporary file once a few thousand calls are held), then the calls handed
/// out in number order, each written with its messages as it comes. Memory holds the records
/// of the calls in progress only, however long the capture.
fn write_records(
    args: &ExportArgs,
    filter: &CallFilter,
    stdout: &mut dyn Write,
) -> Result<Outcome> {
    let mut merged = inputs::open(&args.captures)?;
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        message_records: true,
        // The lines need no media: the streams are followed for the tables only.
        skip_media: args.parquet.is_none(),
        spill_after: Some(spill::SPILL_AFTER),
        join: filter.join,
        ..Options::default()
    });
    let summary = inputs::read(&args.captures, &mut merged, &mut correlator);
    let (_, calls, streams) = correlator.finish_streaming();
    match &args.parquet {
        Some(dir) => write_tables(dir, &args.captures, filter, calls, streams, stdout)?,
        None => write_lines(args, filter, calls, stdout)?,
    }
    Ok(inputs::finish(&summary))
}

/// `--jsonl`: the lines of the calls the filters keep, in number order; no file is created
/// when none is kept.
fn write_lines(
    args: &ExportArgs,
    filter: &CallFilter,
    mut calls: Calls,
    stdout: &mut dyn Write,
) -> Result<()> {
    let mut kept = std::iter::from_fn(|| calls.next_with_records())
        .filter(|c| c.as_ref().map_or(true, |(call, _)| filter.matches(call)));
    let Some(first) = kept.next() else {
        return Err(FilterError::NoMatch.into());
    };
    let mut file = output_file(args)?;
    let sink: &mut dyn Write = file.as_mut().map_or(stdout, |f| f);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, sink);
    for call in std::iter::once(first).chain(kept) {
        let (call, records) = call?;
        for m in &records {
            lines::write_record(&mut out, call.id, m)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `--parquet DIR`: the tables of the calls the filters keep.
fn write_tables(
    dir: &Path,
    captures: &[std::path::PathBuf],
    filter: &CallFilter,
    calls: Calls,
    streams: Streams,
    stdout: &mut dyn Write,
) -> Result<()> {
    let rows = table::write_streamed(dir, captures, calls, streams, |c| filter.matches(c))
        .with_context(|| format!("cannot write the tables in {}", dir.display()))?
        .ok_or(FilterError::NoMatch)?;
    writeln!(
        stdout,
        "{}: {} calls, {} messages, {} media streams",
        dir.display(),
        rows.calls,
        rows.messages,
        rows.media
    )?;
    Ok(())
}
