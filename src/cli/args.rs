//! Command-line arguments (clap derive). Each doc comment is the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::filters::FilterArgs;

/// Finds every SIP message in a packet capture, correlates calls and registrations, explains
/// each header and draws ladder diagrams.
#[derive(Debug, Parser)]
#[command(name = "sipladder", version, about, propagate_version = true)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count packets and SIP messages per method, status code and transport.
    Stats(StatsArgs),
    /// List calls, registrations and other exchanges, one line each.
    Calls(CallsArgs),
}

/// Arguments of `sipladder calls`.
#[derive(Debug, clap::Args)]
pub struct CallsArgs {
    /// Capture files (pcap or pcapng, optionally gzip-compressed); `-` reads standard input.
    #[arg(required = true, value_name = "CAPTURE")]
    pub captures: Vec<PathBuf>,
    /// Which calls to list.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sipladder stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Capture files (pcap or pcapng, optionally gzip-compressed); `-` reads standard input.
    /// Several files are merged in time order.
    #[arg(required = true, value_name = "CAPTURE")]
    pub captures: Vec<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}
