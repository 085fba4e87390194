//! `sipladder calls`: one line per call, registration, subscription or other exchange.
//!
//! The calls come one by one in number order, read back from a temporary file once a capture
//! holds more than a few thousand ([`crate::correlate::spill`]): the JSON listing is written as
//! they come, so memory stays flat however many calls the capture holds.

use std::io::{self, Write};
use std::sync::mpsc;

use anyhow::Result;

use super::args::CallsArgs;
use super::{Outcome, inputs};
use crate::correlate::diagnosis::Described;
use crate::correlate::spill;
use crate::correlate::{CallFilter, CallSummary, Calls, Correlation, Correlator, Options};
use crate::explain::{Lang, diagnosis};
use crate::render;
use crate::render::listing::ObjectWriter;

/// Calls handed from the thread that reads and describes them to the one that prints them.
const CHUNK: usize = 256;

/// Whether a call's diagnosis holds an error or a warning.
fn has_problem(call: &CallSummary) -> bool {
    call.diagnosis.iter().flatten().any(Described::is_problem)
}

pub(crate) fn run(args: &CallsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let mut merged = inputs::open(&args.captures)?;
    let mut correlator = Correlator::new(Options {
        join: filter.join,
        spill_after: Some(spill::SPILL_AFTER),
        ..Options::default()
    });
    let summary = inputs::read(&args.captures, &mut merged, &mut correlator);
    let (correlation, calls) = correlator.finish_streaming();
    let lang = super::explain::lang_of(args.lang);
    let total = calls.len();
    // Described and chosen on a thread of their own, while this one prints.
    let listed = std::thread::scope(|scope| -> Result<()> {
        let (sender, chosen) = mpsc::sync_channel(2);
        let (correlation, filter) = (&correlation, &filter);
        scope.spawn(move || choose(calls, correlation, filter, args.problems, lang, sender));
        let chosen = chosen.into_iter().flatten();
        if args.json {
            write_json(out, correlation, chosen, total)
        } else {
            let calls = chosen.collect::<io::Result<Vec<_>>>()?;
            let refs: Vec<&CallSummary> = calls.iter().collect();
            out.write_all(render::table::calls(&refs).as_bytes())?;
            Ok(())
        }
    });
    listed?;
    // The process ends next: freeing tens of thousands of streams one by one (many allocated
    // by other threads) would only delay it, by tens of milliseconds.
    std::mem::forget(correlation);
    Ok(inputs::finish(&summary))
}

/// Describes each call and sends on those the filters keep, a chunk at a time, until the
/// calls end, one cannot be read, or the receiver is gone.
fn choose(
    calls: Calls,
    correlation: &Correlation,
    filter: &CallFilter,
    problems: bool,
    lang: Lang,
    sender: mpsc::SyncSender<Vec<io::Result<CallSummary>>>,
) {
    let by_call = correlation.media_by_call();
    let mut chunk = Vec::with_capacity(CHUNK);
    for call in calls {
        let failed = call.is_err();
        match call {
            Ok(mut call) => {
                call.diagnosis = Some(diagnosis::describe(&call, by_call.of(&call), true, lang));
                if filter.matches(&call) && (!problems || has_problem(&call)) {
                    chunk.push(Ok(call));
                }
            }
            Err(err) => chunk.push(Err(err)),
        }
        if failed || chunk.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            if sender.send(full).is_err() || failed {
                return;
            }
        }
    }
    let _ = sender.send(chunk);
}

/// `calls --json`: the calls as they come, then their streams (every stream, unannounced ones
/// too, when no call was filtered out).
fn write_json(
    out: &mut dyn Write,
    correlation: &Correlation,
    calls: impl Iterator<Item = io::Result<CallSummary>>,
    total: usize,
) -> Result<()> {
    // A buffer of a known type: the printer writes token by token, and each write through
    // `dyn Write` is a call it cannot inline (a tenth of the run on large captures).
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut listed = Vec::new();
    let mut object = ObjectWriter::new(&mut buffered)?;
    object.streamed(
        "calls",
        calls.inspect(|c| {
            if let Ok(c) = c {
                listed.push(c.id);
            }
        }),
    )?;
    let media = correlation.media_listed(&listed, listed.len() == total);
    object.held("media", &media)?;
    object.end()?;
    writeln!(buffered)?;
    buffered.flush()?;
    Ok(())
}
