//! `sipladder export`: the frames of some calls cut into a new capture (to hand a colleague
//! one call out of gigabytes), or every SIP message as JSON lines, or the calls, messages and
//! media as Parquet tables, for an analytics engine.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::ExportArgs;
use super::{Outcome, inputs, output};
use crate::capture::ReadSummary;
use crate::correlate::{CallFilter, Correlation, Correlator, FilterError, Options, spill};
use crate::explain::{Lang, diagnosis};
use crate::export::{Written, lines, table};
use crate::reading;

pub(crate) fn run(args: &ExportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    if args.captures.iter().any(|p| p.as_os_str() == "-") {
        bail!("export reads its inputs twice: give files, not standard input");
    }
    let filter = CallFilter::new(&args.filters)?;
    if args.jsonl && filter.is_empty() {
        return write_lines(args, &filter, stdout);
    }
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
        let mut file = output_file(args)?;
        let out: &mut dyn Write = file.as_mut().map_or(stdout, |f| f);
        for call in &calls {
            for m in correlation.messages_of(call) {
                lines::write_record(&mut *out, call.id, m)?;
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

/// `--jsonl` of every call: one reading, each call's messages written as JSON lines when it
/// is over, to a temporary file once a few thousand calls are held, and copied out in number
/// order at the end. Memory holds the messages of the calls in progress only.
/// The file `--output` names, created; none for standard output.
fn output_file(args: &ExportArgs) -> Result<Option<std::io::BufWriter<std::fs::File>>> {
    args.output
        .as_ref()
        .map(|path| output::create(path, &args.captures))
        .transpose()
}

fn write_lines(args: &ExportArgs, filter: &CallFilter, stdout: &mut dyn Write) -> Result<Outcome> {
    let mut merged = inputs::open(&args.captures)?;
    // The lines need no media: the streams are not followed.
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        message_lines: true,
        skip_media: true,
        spill_after: Some(spill::SPILL_AFTER),
        join: filter.join,
        ..Options::default()
    });
    let summary = inputs::read(&args.captures, &mut merged, &mut correlator);
    let (_, mut calls, _) = correlator.finish_streaming();
    if calls.len() == 0 {
        return Err(FilterError::NoMatch.into());
    }
    let mut file = output_file(args)?;
    let out: &mut dyn Write = file.as_mut().map_or(stdout, |f| f);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    while let Some(call) = calls.next_with_lines() {
        let (call, lines) = call?;
        lines::write_numbered(&mut out, call.id, &lines)?;
    }
    out.flush()?;
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
