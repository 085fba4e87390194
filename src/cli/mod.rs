//! The command line: the only place that prints or exits.

use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    ExitCode::SUCCESS
}
