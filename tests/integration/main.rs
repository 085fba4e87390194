//! Integration tests: the `sipladder` binary run on the captures in `samples/` (and, when
//! `SIPLADDER_CORPUS` names a folder, on the public corpus), compared with reviewed figures
//! and snapshots.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub
)]

mod common;

mod adversarial;
mod attacks;
mod calls;
mod capture;
mod cli;
mod corpus;
mod damage;
mod dashboard;
mod diagnosis;
mod explain;
mod export_media;
mod joins;
mod ladder;
mod ladder_truth;
mod parquet;
mod redaction;
mod report;
mod report_stream;
mod shell;
mod stats;
mod tls;
mod tui;
