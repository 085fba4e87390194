//! Where a subcommand writes: standard output, or a file given with `-o` (never one of the
//! inputs: a slip of the hand must not destroy the capture).

use std::fs::File;
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::ColorChoice;

/// Opens `-o FILE`, refusing to overwrite one of the inputs.
pub(crate) fn create(path: &Path, inputs: &[PathBuf]) -> Result<BufWriter<File>> {
    let target = std::fs::canonicalize(path).ok();
    for input in inputs {
        let same = match (&target, std::fs::canonicalize(input).ok()) {
            (Some(a), Some(b)) => *a == b,
            _ => false,
        };
        if same {
            bail!(
                "refusing to write {} over the capture being read",
                path.display()
            );
        }
    }
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::new(file))
}

/// Whether standard output is a terminal.
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether to colour: `--color`, then NO_COLOR and whether the output is a terminal.
pub(crate) fn use_colour(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}
