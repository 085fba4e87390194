//! `sipladder tui`: checks the arguments and hands them to the terminal browser.

use anyhow::{Result, anyhow, bail};

use super::Outcome;
use super::args::TuiArgs;
use crate::correlate::{CallFilter, FilterArgs};
use crate::render::model::Aliases;
use crate::tui::{self, Config};

pub(crate) fn run(args: &TuiArgs) -> Result<Outcome> {
    use std::io::IsTerminal;
    // Checked here, so that a bad filter is one line on the shell, not a screen.
    let filter = CallFilter::new(&args.filters)?;
    let aliases = Aliases::parse(&args.alias).map_err(|e| anyhow!(e))?;
    if !std::io::stdout().is_terminal() {
        bail!("tui needs a terminal (use calls, flow or explain in scripts)");
    }
    let text = filter_text(&args.filters);
    tui::run(Config {
        captures: args.captures.paths.clone(),
        filters: (!text.is_empty()).then_some(text),
        join: filter.join,
        lang: super::explain::lang_of(args.lang),
        aliases,
    })?;
    Ok(Outcome::Complete)
}

/// The filters as they would be typed after `F`.
fn filter_text(args: &FilterArgs) -> String {
    [
        ("--call", &args.call),
        ("--from", &args.from),
        ("--to", &args.to),
        ("--method", &args.method),
        ("--status", &args.status),
        ("--host", &args.host),
        ("--since", &args.since),
        ("--until", &args.until),
    ]
    .into_iter()
    .filter_map(|(flag, value)| value.as_ref().map(|v| format!("{flag} {v}")))
    .collect::<Vec<_>>()
    .join(" ")
}
