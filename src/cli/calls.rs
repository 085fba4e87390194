//! `sipladder calls`: one line per call, registration, subscription or other exchange.

use std::io::Write;

use anyhow::Result;

use super::args::CallsArgs;
use super::{Outcome, inputs};
use crate::correlate::CallFilter;
use crate::correlate::CallSummary;
use crate::correlate::diagnosis::Described;
use crate::correlate::{Correlator, Options};
use crate::explain::diagnosis;
use crate::render;

/// Whether a call's diagnosis holds an error or a warning.
fn has_problem(call: &CallSummary) -> bool {
    call.diagnosis.iter().flatten().any(Described::is_problem)
}

pub(crate) fn run(args: &CallsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let mut merged = inputs::open(&args.captures)?;
    let mut correlator = Correlator::new(Options {
        join: filter.join,
        ..Options::default()
    });
    let summary = inputs::read(&args.captures, &mut merged, &mut correlator);
    let mut correlation = correlator.finish();
    let lang = super::explain::lang_of(args.lang);
    diagnosis::describe_all(&mut correlation.calls, &correlation.media, true, lang);
    let calls: Vec<_> = correlation
        .calls
        .iter()
        .filter(|c| filter.matches(c))
        .filter(|c| !args.problems || has_problem(c))
        .collect();
    if args.json {
        // Streams of the listed calls; unannounced ones too when nothing was filtered out.
        let media = correlation.media_listed_with(&calls);
        // A buffer of a known type: the printer writes token by token, and each write through
        // `dyn Write` is a call it cannot inline (a tenth of the run on large captures).
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        render::listing::write_object(&mut buffered, &[("calls", &calls), ("media", &media)])?;
        writeln!(buffered)?;
        buffered.flush()?;
    } else {
        let attacks = if args.expand {
            &[][..]
        } else {
            &correlation.attacks[..]
        };
        let table = render::table::calls_grouped(&calls, attacks, lang);
        out.write_all(table.as_bytes())?;
    }
    // The process ends next: freeing tens of thousands of summaries and streams one by one
    // (many allocated by other threads) would only delay it, by tens of milliseconds.
    std::mem::forget(correlation);
    Ok(inputs::finish(&summary))
}
