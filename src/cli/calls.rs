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
use crate::correlate::spill::Streams;
use crate::correlate::{CallFilter, CallSummary, Calls, Correlator, MediaStream, Options};
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
    let (correlation, calls, streams) = correlator.finish_streaming();
    let lang = super::explain::lang_of(args.lang);
    let total = calls.len();
    // Described and chosen on a thread of their own, while this one prints.
    std::thread::scope(|scope| -> Result<()> {
        let (sender, chosen) = mpsc::sync_channel(2);
        let filter = &filter;
        let choosing =
            scope.spawn(move || choose(calls, streams, filter, args.problems, lang, sender));
        let mut chosen = chosen.into_iter().flatten();
        if !args.json {
            // The exchanges of an attack are summed up into its line as they come.
            let attacks = if args.expand {
                &[][..]
            } else {
                &correlation.attacks[..]
            };
            let mut lines = render::attack_rows::Lines::new(attacks);
            for call in chosen.by_ref() {
                lines.push(call?);
            }
            let table = render::table::calls_grouped(lines.finish(), lang);
            out.write_all(table.as_bytes())?;
            return Ok(());
        }
        // A buffer of a known type: the printer writes token by token, and each write through
        // `dyn Write` is a call it cannot inline (a tenth of the run on large captures).
        let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
        // A flag per call number listed (a byte each, not a number each: a flood lists
        // millions).
        let (mut flags, mut listed) = (Vec::new(), 0usize);
        let mut object = ObjectWriter::new(&mut buffered)?;
        object.streamed(
            "calls",
            chosen.by_ref().inspect(|c| {
                if let Ok(c) = c {
                    if flags.len() <= c.id {
                        flags.resize(c.id + 1, false);
                    }
                    if let Some(flag) = flags.get_mut(c.id) {
                        *flag = true;
                    }
                    listed += 1;
                }
            }),
        )?;
        // The streams of the listed calls; unannounced ones too when nothing was filtered out.
        let mut streams = choosing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let every = listed == total;
        let positions = (0..streams.len()).filter(|&i| {
            every
                || streams
                    .call_at(i)
                    .is_some_and(|id| flags.get(id) == Some(&true))
        });
        let positions: Vec<usize> = positions.collect();
        object.streamed("media", positions.into_iter().map(|i| streams.get(i)))?;
        object.end()?;
        writeln!(buffered)?;
        buffered.flush()?;
        Ok(())
    })?;
    // The process ends next: freeing what is left one by one would only delay it.
    std::mem::forget(correlation);
    Ok(inputs::finish(&summary))
}

/// Describes each call with its streams and sends on those the filters keep, a chunk at a
/// time, until the calls end, one cannot be read, or the receiver is gone; then hands the
/// streams back.
fn choose(
    calls: Calls,
    mut streams: Streams,
    filter: &CallFilter,
    problems: bool,
    lang: Lang,
    sender: mpsc::SyncSender<Vec<io::Result<CallSummary>>>,
) -> Streams {
    let mut chunk = Vec::with_capacity(CHUNK);
    for call in calls {
        let call = call.and_then(|mut call| {
            let of_call = streams.of_call(call.id)?;
            let refs: Vec<&MediaStream> = of_call.iter().collect();
            call.diagnosis = Some(diagnosis::describe(&call, &refs, true, lang));
            Ok(call)
        });
        let failed = call.is_err();
        match call {
            Ok(call) if filter.matches(&call) && (!problems || has_problem(&call)) => {
                chunk.push(Ok(call));
            }
            Ok(_) => {}
            Err(err) => chunk.push(Err(err)),
        }
        if failed || chunk.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            if sender.send(full).is_err() || failed {
                return streams;
            }
        }
    }
    let _ = sender.send(chunk);
    streams
}
