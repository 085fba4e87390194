//! `sipladder calls`: one line per call, registration, subscription or other exchange.

use std::collections::HashSet;
use std::io::Write;

use anyhow::Result;

use super::args::CallsArgs;
use super::filters::CallFilter;
use super::{Outcome, inputs};
use crate::correlate::{Correlator, Options};
use crate::render;

pub(crate) fn run(args: &CallsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let mut merged = inputs::open(&args.captures)?;
    let mut correlator = Correlator::new(Options::default());
    let summary = inputs::read(&args.captures, &mut merged, &mut correlator);
    let correlation = correlator.finish();
    let calls: Vec<_> = correlation
        .calls
        .iter()
        .filter(|c| filter.matches(c))
        .collect();
    if args.json {
        // Streams of the listed calls; unannounced ones too when nothing was filtered out.
        let everything = calls.len() == correlation.calls.len();
        let listed: HashSet<usize> = calls.iter().map(|c| c.id).collect();
        let media: Vec<_> = correlation
            .media
            .iter()
            .filter(|m| match m.call {
                Some(id) => listed.contains(&id),
                None => everything,
            })
            .collect();
        // A buffer of a known type: the printer writes token by token, and each write through
        // `dyn Write` is a call it cannot inline (a tenth of the run on large captures).
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        render::listing::write_object(&mut buffered, &[("calls", &calls), ("media", &media)])?;
        writeln!(buffered)?;
        buffered.flush()?;
    } else {
        out.write_all(render::table::calls(&calls).as_bytes())?;
    }
    Ok(inputs::finish(&summary))
}
