//! Opening the captures named on the command line.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use super::{Captures, Outcome};
use crate::capture::tls::KeyLog;
use crate::capture::{MergedReader, ReadSummary};

/// Opens every capture, failing on the first one that cannot be read at all.
pub(crate) fn open(paths: &[PathBuf]) -> Result<MergedReader> {
    Ok(crate::reading::open(paths)?)
}

/// Reads the key log the command names, for every reading of the run to decrypt TLS with.
pub(crate) fn set_up_tls(captures: &Captures) -> Result<()> {
    if let Some(keys) = tls_keys(captures)? {
        crate::reading::decrypt_with(keys);
    }
    Ok(())
}

/// The key log named by `--tls-keylog` (or SSLKEYLOGFILE), read once per opening. A key log
/// named on the command line must be readable; one that only SSLKEYLOGFILE names (set in the
/// shell for browsers, perhaps not written yet) is skipped with a warning when it is missing.
pub(crate) fn tls_keys(captures: &Captures) -> Result<Option<Arc<KeyLog>>> {
    let Some(path) = &captures.tls_keylog else {
        return Ok(None);
    };
    let from_environment = std::env::var_os("SSLKEYLOGFILE").is_some_and(|v| v == path.as_os_str());
    match KeyLog::load(path) {
        Ok(keys) => Ok(Some(Arc::new(keys))),
        Err(err) if from_environment && !path.exists() => {
            eprintln!("warning: {err} (named by SSLKEYLOGFILE): TLS is not decrypted");
            Ok(None)
        }
        Err(err) => Err(err.into()),
    }
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

/// A progress bar on standard error for long reads, when it is a terminal.
pub(crate) struct Bar(indicatif::ProgressBar);

impl crate::capture::Progress for Bar {
    fn read(&self, bytes: u64) {
        self.0.set_position(bytes);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Captures bigger than this get a progress bar.
const PROGRESS_FROM_BYTES: u64 = 64 << 20;

/// A progress bar sized on the inputs, if standard error is a terminal and they are large.
pub(crate) fn progress(paths: &[PathBuf]) -> Option<Bar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    if total < PROGRESS_FROM_BYTES {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(Bar(bar))
}

/// Reads the inputs on two threads, with a progress bar when it helps.
pub(crate) fn read(
    paths: &[PathBuf],
    merged: &mut MergedReader,
    sink: &mut dyn crate::capture::EventSink,
) -> ReadSummary {
    let bar = progress(paths);
    crate::reading::read_into(merged, sink, bar.as_ref().map(as_progress))
}

/// The bar as the readings see it.
pub(crate) fn as_progress(bar: &Bar) -> &dyn crate::capture::Progress {
    bar
}
