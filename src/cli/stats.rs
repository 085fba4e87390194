//! `sipladder stats`: counts per method, status and transport, with warnings.

use std::io::Write;

use anyhow::Result;

use super::args::StatsArgs;
use super::{Outcome, inputs};
use crate::render;
use crate::stats::StatsCollector;

pub(crate) fn run(args: &StatsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut merged = inputs::open(&args.captures)?;
    let mut collector = StatsCollector::default();
    let summary = inputs::read(&args.captures, &mut merged, &mut collector);
    let stats = collector.finish(inputs::names(&args.captures), summary.counters.clone());
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &stats)?;
        writeln!(out)?;
    } else {
        out.write_all(render::table::stats(&stats).as_bytes())?;
    }
    Ok(inputs::finish(&summary))
}
