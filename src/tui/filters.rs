//! `F`: the command line's call filters typed in the browser (`--from alice --status 4xx`),
//! read by the same definitions as the subcommands' flags.

use clap::Parser;

use crate::correlate::{CallFilter, FilterArgs};

/// The filters alone, as a command line.
#[derive(Debug, Parser)]
#[command(no_binary_name = true, disable_help_flag = true)]
struct Filters {
    #[command(flatten)]
    filters: FilterArgs,
}

/// Reads filters typed as flags, split at spaces; the error is one line for the status bar.
pub fn parse(text: &str) -> Result<CallFilter, String> {
    // Joining legs is decided while the capture is read, not afterwards.
    if text.split_whitespace().any(|w| w.starts_with("--join")) {
        return Err("--join applies when the capture is read: give it to sipladder tui".into());
    }
    let parsed = Filters::try_parse_from(text.split_whitespace()).map_err(|e| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string()
    })?;
    CallFilter::new(&parsed.filters).map_err(|e| e.to_string())
}
