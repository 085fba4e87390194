//! The `sipladder` binary: everything lives in the library; this only hands over the exit code.

use std::process::ExitCode;

/// Correlation makes many small, short-lived allocations (the fields of each message record);
/// mimalloc serves them from per-thread free lists and returns the batches' buffers without
/// the system allocator's consolidation passes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    sipladder::cli::run()
}
