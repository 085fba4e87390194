/*!
`sipladder tui`: a terminal browser of a capture. The list of calls fills while the capture
is read; Enter opens a call's ladder (the same model as `flow`) beside the selected message,
explained header by header (the same views as the report).

The state and what each key does are pure ([`app`]), the screen is drawn from the state alone
([`draw`], tested with ratatui's `TestBackend`), and only the `terminal` module touches the terminal.
*/

pub mod actions;
pub mod app;
mod attacks;
pub mod call;
pub mod draw;
pub mod filters;
pub mod list;
pub mod session;
mod terminal;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use crate::correlate::JoinPolicy;
use crate::explain::Lang;
use crate::reading::ReadError;
use crate::render::model::Aliases;

/// What the browser opens with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The captures.
    pub captures: Vec<PathBuf>,
    /// The command line's filters, as typed (`--from alice`), applied to the list.
    pub filters: Option<String>,
    /// How legs are joined.
    pub join: JoinPolicy,
    /// Language of explanations at the start.
    pub lang: Lang,
    /// Names given to addresses.
    pub aliases: Aliases,
}

impl Config {
    fn inputs_label(&self) -> String {
        self.captures
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why the browser stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TuiError {
    /// The terminal refused something.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The capture could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Runs the browser in the terminal until the reader quits; the terminal is restored
/// however it ends.
pub fn run(config: Config) -> Result<(), TuiError> {
    terminal::run(config)
}
