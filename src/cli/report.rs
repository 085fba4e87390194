//! `sipladder report`: one self-contained HTML file with the capture's calls, ladders and
//! messages.
//!
//! A file is read twice: first the figures and the calls, summed up and spilled to a
//! temporary file as a long capture goes, then handed out one by one into the page
//! ([`crate::view::Page`]); second the messages of the calls detailed in the page only.
//! Standard input is read once, keeping every message.

use std::io::{BufWriter, Write};

use anyhow::{Context, Result, anyhow};
use rustc_hash::FxHashMap as HashMap;

use super::args::{LangChoice, ReportArgs};
use super::{Outcome, inputs, output};
use crate::correlate::{
    CallFilter, CallSummary, Correlation, Correlator, MediaStream, Options, spill,
};
use crate::render::model::{Aliases, LadderOptions};
use crate::stats::{StatsAndCalls, StatsCollector};
use crate::view::{Chosen, Detail, Page, call_view};

pub(crate) fn run(args: &ReportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let aliases = Aliases::parse(&args.alias).map_err(|e| anyhow!(e))?;
    let lang = super::explain::lang_of(Some(args.lang.unwrap_or_else(lang_from_env)));
    let mut file = BufWriter::with_capacity(1 << 16, output::create(&args.output, &args.captures)?);
    let rereadable = crate::reading::rereadable(&args.captures);
    let mut merged = inputs::open(&args.captures)?;
    let mut both = StatsAndCalls {
        stats: StatsCollector::default(),
        correlator: Correlator::new(Options {
            keep_messages: !rereadable,
            keep_raw: !rereadable,
            join: filter.join,
            // Calls that cannot be read again keep their messages in memory, and so stay there.
            spill_after: rereadable.then_some(spill::SPILL_AFTER),
            ..Options::default()
        }),
    };
    let summary = inputs::read(&args.captures, &mut merged, &mut both);
    let (correlation, calls, mut streams) = both.correlator.finish_streaming();
    let mut stats = both.stats.finish_with(
        inputs::names(&args.captures),
        summary.counters.clone(),
        &correlation,
    );
    let mut page = Page::new(Detail::OutsideAttacksFirst(args.max_calls))?;
    for call in calls {
        let call = call.context("cannot read back the calls")?;
        stats.count_streamed(&call);
        if !filter.matches(&call) {
            continue;
        }
        let media = streams.of_call(call.id)?;
        let media: Vec<&MediaStream> = media.iter().collect();
        page.add(&call, &media)?;
    }
    let listed = page.listed();
    let chosen = page.take_detailed();
    let options = LadderOptions {
        aliases,
        lang,
        ..LadderOptions::default()
    };
    // The detailed calls' messages: from the one reading of standard input, else read again.
    let again = if rereadable {
        let summaries: Vec<CallSummary> = chosen.iter().map(|c| c.call.clone()).collect();
        Some(read_again(
            args,
            &summaries,
            &correlation,
            &merged,
            filter.join,
        )?)
    } else {
        None
    };
    let (read, mut indices) = match &again {
        Some(again) => (
            again,
            again
                .calls
                .iter()
                .map(|c| (c.id, c.message_indices.clone()))
                .collect(),
        ),
        None => (&correlation, HashMap::default()),
    };
    let views = chosen.iter().map(|c: &Chosen| {
        let call = match indices.remove(&c.call.id) {
            Some(message_indices) => CallSummary {
                message_indices,
                ..c.call.clone()
            },
            None => c.call.clone(),
        };
        call_view(&call, read, &c.media_refs(), &options, true)
    });
    let bytes = page
        .write(&stats, lang, views, &mut file)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writeln!(
        stdout,
        "{}: {} calls, {} detailed, {} KiB",
        args.output.display(),
        listed,
        chosen.len(),
        bytes / 1024
    )?;
    Ok(inputs::finish(&summary))
}

/// The `chosen` calls read again with their messages: their messages' frames only, when that
/// finds them all, else everything. The calls of the table and their media stay those of the
/// first reading, which saw everything.
fn read_again(
    args: &ReportArgs,
    chosen: &[CallSummary],
    first: &Correlation,
    merged: &crate::capture::MergedReader,
    join: crate::correlate::JoinPolicy,
) -> Result<Correlation> {
    let progress = inputs::progress(&args.captures);
    let progress = progress.as_ref().map(inputs::as_progress);
    let found = crate::reading::read_call_frames(
        &args.captures,
        chosen,
        crate::reading::Gather::Messages,
        first,
        merged.seek_points(),
        join,
        progress,
    )?;
    Ok(match found {
        Some(found) => found,
        None => crate::reading::read_chosen_again(&args.captures, chosen, join, progress)?,
    })
}

/// French when the locale says so, else English.
pub(crate) fn lang_from_env() -> LangChoice {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return if v.starts_with("fr") {
                    LangChoice::Fr
                } else {
                    LangChoice::En
                };
            }
        }
    }
    LangChoice::En
}
