//! Opening the captures named on the command line.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::Outcome;
use crate::capture::{CaptureReader, MergedReader, ReadSummary};

/// Opens every capture, failing on the first one that cannot be read at all.
pub(crate) fn open(paths: &[PathBuf]) -> Result<MergedReader> {
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        bail!("standard input (-) can be given only once");
    }
    let readers = paths
        .iter()
        .map(|p| CaptureReader::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MergedReader::new(readers))
}

/// The inputs as the user named them, for reports.
pub(crate) fn names(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// Tells on standard error where a damaged input stopped; the outcome says whether the result
/// is partial.
pub(crate) fn finish(summary: &ReadSummary) -> Outcome {
    for warning in &summary.damage {
        eprintln!("warning: {warning}");
    }
    if summary.damaged() {
        Outcome::Partial
    } else {
        Outcome::Complete
    }
}
