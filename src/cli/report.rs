//! `sipladder report`: one self-contained HTML file with the capture's calls, ladders and
//! messages.

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use rustc_hash::FxHashMap as HashMap;

use super::args::{LangChoice, ReportArgs};
use super::{Outcome, inputs, output};
use crate::capture::{self, EventSink};
use crate::correlate::CallFilter;
use crate::correlate::{CallSummary, Correlator, Options};
use crate::render::html::{CallView, Report, SummaryRow, clean};
use crate::render::model::{Aliases, LadderOptions};
use crate::stats::StatsCollector;

/// Both the figures of `stats` and the calls, from one reading.
struct Both {
    stats: StatsCollector,
    correlator: Correlator,
}

impl EventSink for Both {
    fn frame(&mut self, ts: capture::Timestamp) {
        self.stats.frame(ts);
        self.correlator.frame(ts);
    }

    fn event(&mut self, event: capture::Event<'_>) {
        // The statistics need only counts; correlation gets the events themselves.
        match &event {
            capture::Event::Warning(w) => self.stats.event(capture::Event::Warning(w.clone())),
            _ => self.stats.count(&event),
        }
        self.correlator.event(event);
    }

    fn preparer(&self) -> Option<capture::Prepare> {
        self.correlator.preparer()
    }

    fn prepared_sip(&mut self, payload: capture::SipPayload<'_>, prepared: capture::Prepared) {
        self.stats.count(&capture::Event::Sip(payload));
        self.correlator.prepared_sip(payload, prepared);
    }
}

pub(crate) fn run(args: &ReportArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let aliases = Aliases::parse(&args.alias).map_err(|e| anyhow!(e))?;
    let lang = args.lang.unwrap_or_else(lang_from_env);
    let mut file = output::create(&args.output, &args.captures)?;
    // A file can be read twice: first the figures and the calls, then the messages of the
    // calls detailed in the page only. Standard input is read once, keeping every message.
    let rereadable = args.captures.iter().all(|p| p.as_os_str() != "-");
    let mut merged = inputs::open(&args.captures)?;
    let mut both = Both {
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
    if rereadable {
        let chosen: Vec<CallSummary> = correlation
            .calls
            .iter()
            .filter(|c| filter.matches(c))
            .take(args.max_calls)
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
        .enumerate()
        .map(|(n, call)| {
            let detailed = n < args.max_calls;
            crate::view::call_view(call, &correlation, media.of(call), &options, detailed)
        })
        .collect();
    let undetailed = views.iter().filter(|v| !v.detailed).count();
    let mut rows = vec![
        row("Capture", stats.files.join(", ")),
        row(
            "Period",
            match (&stats.start, &stats.end) {
                (Some(s), Some(e)) => format!("{s} → {e}"),
                _ => "no packets".into(),
            },
        ),
        row("Packets", stats.packets.to_string()),
        row("SIP messages", stats.sip_messages.to_string()),
        row("Calls", stats.calls.to_string()),
        row("Registrations", stats.registrations.to_string()),
        row("Retransmissions", stats.retransmissions.to_string()),
        row("RTP packets", stats.rtp_packets.to_string()),
    ];
    if stats.duplicates > 0 {
        rows.push(row(
            "Duplicates (taken twice)",
            stats.duplicates.to_string(),
        ));
    }
    if stats.icmp_errors > 0 {
        rows.push(row(
            "ICMP errors quoting SIP",
            stats.icmp_errors.to_string(),
        ));
    }
    let warnings = stats
        .warnings
        .iter()
        .flat_map(|g| {
            let more = g.count.saturating_sub(g.examples.len() as u64);
            g.examples
                .iter()
                .cloned()
                .chain((more > 0).then(|| format!("… and {more} more {}", g.kind)))
        })
        .map(|w| clean(&w))
        .collect();
    let report = Report {
        title: format!("SIP report: {}", stats.files.join(", ")),
        lang: match lang {
            LangChoice::Fr => "fr",
            LangChoice::En => "en",
        },
        summary: rows,
        warnings,
        calls: views,
        undetailed,
        generator: format!("sipladder {}", env!("CARGO_PKG_VERSION")),
    };
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

fn row(label: &str, value: String) -> SummaryRow {
    SummaryRow {
        label: label.to_string(),
        value: clean(&value),
    }
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
