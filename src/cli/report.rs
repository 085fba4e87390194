//! `sipladder report`: one self-contained HTML file with the capture's calls, ladders and
//! messages.

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use rustc_hash::FxHashMap as HashMap;

use super::args::{LangChoice, ReportArgs};
use super::{Outcome, inputs, output};
use crate::correlate::CallFilter;
use crate::correlate::{CallSummary, Correlator, Options};
use crate::render::html::CallView;
use crate::render::model::{Aliases, LadderOptions};
use crate::stats::{StatsAndCalls, StatsCollector};

pub(crate) fn run(args: &ReportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let aliases = Aliases::parse(&args.alias).map_err(|e| anyhow!(e))?;
    let lang = args.lang.unwrap_or_else(lang_from_env);
    let mut file = output::create(&args.output, &args.captures)?;
    // A file can be read twice: first the figures and the calls, then the messages of the
    // calls detailed in the page only. Standard input is read once, keeping every message.
    let rereadable = args.captures.iter().all(|p| p.as_os_str() != "-");
    let mut merged = inputs::open(&args.captures)?;
    let mut both = StatsAndCalls {
        stats: StatsCollector::default(),
        correlator: Correlator::new(Options {
            keep_messages: !rereadable,
            keep_raw: !rereadable,
            only_call_ids: None,
            join: filter.join,
            ..Options::default()
        }),
    };
    let mut summary = inputs::read(&args.captures, &mut merged, &mut both);
    let mut correlation = both.correlator.finish();
    let stats = both.stats.finish_with(
        inputs::names(&args.captures),
        summary.counters.clone(),
        &correlation,
    );
    let detailed = detailed_calls(&correlation.calls, &filter, args.max_calls);
    if rereadable {
        let chosen: Vec<CallSummary> = correlation
            .calls
            .iter()
            .filter(|c| detailed.contains(&c.id))
            .cloned()
            .collect();
        // Only the detailed calls' frames, when that finds all their messages; the calls of
        // the table and their media stay those of the first reading, which saw everything.
        match crate::reading::read_call_frames(
            &args.captures,
            &chosen,
            true,
            &correlation,
            merged.seek_points(),
            filter.join,
            inputs::progress(&args.captures)
                .as_ref()
                .map(inputs::as_progress),
        )? {
            Some(found) => {
                let mut indices: HashMap<usize, Vec<usize>> = found
                    .calls
                    .into_iter()
                    .map(|c| (c.id, c.message_indices))
                    .collect();
                for call in &mut correlation.calls {
                    if let Some(list) = indices.remove(&call.id) {
                        call.message_indices = list;
                    }
                }
                correlation.messages = found.messages;
            }
            None => {
                let mut merged = inputs::open(&args.captures)?;
                let mut second =
                    Correlator::new(crate::reading::keeping(&chosen, true, filter.join));
                summary = inputs::read(&args.captures, &mut merged, &mut second);
                correlation = second.finish();
            }
        }
    }
    let calls: Vec<&CallSummary> = correlation
        .calls
        .iter()
        .filter(|c| filter.matches(c))
        .collect();
    let options = LadderOptions {
        aliases,
        lang: super::explain::lang_of(Some(lang)),
        ..LadderOptions::default()
    };
    let media = correlation.media_by_call();
    let views: Vec<CallView> = calls
        .iter()
        .map(|call| {
            let detailed = detailed.contains(&call.id);
            crate::view::call_view(call, &correlation, media.of(call), &options, detailed)
        })
        .collect();
    let summaries: Vec<crate::view::dashboard::CallMedia<'_>> =
        calls.iter().map(|c| (*c, media.of(c))).collect();
    let report = crate::view::report(
        &stats,
        &summaries,
        views,
        super::explain::lang_of(Some(lang)),
    );
    let undetailed = report.undetailed;
    let html = report.to_html().context("cannot render the report")?;
    file.write_all(html.as_bytes())
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writeln!(
        stdout,
        "{}: {} calls, {} detailed, {} KiB",
        args.output.display(),
        calls.len(),
        calls.len() - undetailed,
        html.len() / 1024
    )?;
    Ok(inputs::finish(&summary))
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

/// The numbers of the calls detailed in the page, `max` at most, in order, those outside
/// attacks first: an attack's exchanges are alike, and would take the budget from the calls
/// that matter.
fn detailed_calls(
    calls: &[CallSummary],
    filter: &CallFilter,
    max: usize,
) -> std::collections::HashSet<usize> {
    let listed = || calls.iter().filter(|c| filter.matches(c));
    listed()
        .filter(|c| c.attack.is_none())
        .chain(listed().filter(|c| c.attack.is_some()))
        .take(max)
        .map(|c| c.id)
        .collect()
}
