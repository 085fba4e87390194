//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines, or the calls, messages and
//! media as Parquet tables, for an analytics engine.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::ExportArgs;
use super::{Outcome, inputs, output};
use crate::correlate::spill::{self, Streams};
use crate::correlate::{CallFilter, Calls, Correlator, FilterError, MediaStream, Options};
use crate::explain::{Lang, diagnosis};
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
        Some(dir) => write_tables(args, dir, filter, calls, streams, stdout)?,
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

/// `--parquet DIR`: the calls the filters keep, with their diagnosis codes and messages, then
/// their media streams (every stream, unannounced ones too, when no call was left out).
fn write_tables(
    args: &ExportArgs,
    dir: &Path,
    filter: &CallFilter,
    calls: Calls,
    mut streams: Streams,
    stdout: &mut dyn Write,
) -> Result<()> {
    let total = calls.len();
    let mut calls = calls;
    let mut tables: Option<table::Tables> = None;
    let mut listed: Vec<bool> = Vec::new();
    let cannot_write = || format!("cannot write the tables in {}", dir.display());
    while let Some(call) = calls.next_with_records() {
        let (mut call, records) = call?;
        let of_call = streams.of_call(call.id)?;
        let refs: Vec<&MediaStream> = of_call.iter().collect();
        // The codes do not depend on the language; the sentences are left to `calls`.
        call.diagnosis = Some(diagnosis::describe(&call, &refs, true, Lang::En));
        if !filter.matches(&call) {
            continue;
        }
        let tables = match &mut tables {
            Some(tables) => tables,
            None => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                tables
                    .insert(table::Tables::create(dir, &args.captures).with_context(cannot_write)?)
            }
        };
        tables
            .push_call(&call, &records, !of_call.is_empty())
            .with_context(cannot_write)?;
        if listed.len() <= call.id {
            listed.resize(call.id + 1, false);
        }
        if let Some(flag) = listed.get_mut(call.id) {
            *flag = true;
        }
    }
    let Some(mut tables) = tables else {
        return Err(FilterError::NoMatch.into());
    };
    let every = listed.iter().filter(|&&l| l).count() == total;
    for i in 0..streams.len() {
        let wanted = every
            || streams
                .call_at(i)
                .is_some_and(|id| listed.get(id) == Some(&true));
        if wanted {
            let stream = streams.get(i)?;
            tables.push_stream(&stream).with_context(cannot_write)?;
        }
    }
    let rows = tables.close().with_context(cannot_write)?;
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
