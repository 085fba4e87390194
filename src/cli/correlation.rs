//! Correlating the inputs for subcommands that draw or explain some calls: everything in one
//! reading when no filter narrows the choice (or the input is standard input, which cannot be
//! read twice); otherwise a first reading that keeps only summaries to find the calls, and a
//! second that keeps the messages of those calls only, so memory stays with the calls drawn,
//! not with the capture.

use std::path::PathBuf;

use anyhow::Result;

use super::filters::CallFilter;
use super::inputs;
use crate::capture::ReadSummary;
use crate::correlate::{Correlation, Correlator, Options};

/// Reads the inputs and correlates them, keeping the messages (and their bytes when
/// `keep_raw`) of the calls `filter` selects.
pub(crate) fn correlate(
    captures: &[PathBuf],
    filter: &CallFilter,
    keep_raw: bool,
) -> Result<(Correlation, ReadSummary)> {
    let rereadable = captures.iter().all(|p| p.as_os_str() != "-");
    let only_call_ids = if filter.is_empty() || !rereadable {
        None
    } else {
        let mut merged = inputs::open(captures)?;
        let mut first = Correlator::new(Options::default());
        inputs::read(captures, &mut merged, &mut first);
        let found = first.finish();
        Some(
            found
                .calls
                .iter()
                .filter(|c| filter.matches(c))
                .flat_map(|c| c.call_ids.iter().cloned())
                .collect(),
        )
    };
    let mut merged = inputs::open(captures)?;
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        keep_raw,
        only_call_ids,
        ..Options::default()
    });
    let summary = inputs::read(captures, &mut merged, &mut correlator);
    Ok((correlator.finish(), summary))
}
