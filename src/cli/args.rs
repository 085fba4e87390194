//! Command-line arguments (clap derive). Each doc comment is the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::redaction::RedactArgs;
use crate::correlate::FilterArgs;
use crate::render::model::TimeMode;

/// Finds every SIP message in a packet capture, correlates calls and registrations, explains
/// each header and draws ladder diagrams.
#[derive(Debug, Parser)]
#[command(name = "sipladder", version, about, propagate_version = true)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands. Each one's help ends with examples.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count packets and SIP messages per method, status code and transport.
    #[command(after_help = "Examples:
  sipladder stats capture.pcap
  sipladder stats --json part1.pcap part2.pcapng.gz
  tcpdump -w - -i eth0 port 5060 | sipladder stats -")]
    Stats(StatsArgs),
    /// List calls, registrations and other exchanges, one line each, with their diagnosis.
    #[command(after_help = "Examples:
  sipladder calls capture.pcap
  sipladder calls --problems --lang fr capture.pcap
  sipladder calls --json --status 4xx --since 2026-11-25T19:00:00Z capture.pcap | jq '.calls[].diagnosis'")]
    Calls(CallsArgs),
    /// Draw the ladder diagram of calls: ASCII or Unicode text, SVG, Mermaid, PlantUML or JSON.
    #[command(after_help = "Examples:
  sipladder flow --call 3 capture.pcap
  sipladder flow --call 1-10608@127.0.0.10 --format svg -o call.svg capture.pcap
  sipladder flow --alias 127.0.0.2=proxy --time delta --from alice capture.pcap")]
    Flow(FlowArgs),
    /// Write a self-contained HTML report: summary, calls, ladders and explained messages.
    #[command(after_help = "Examples:
  sipladder report capture.pcap -o report.html
  sipladder report --status 4xx --max-calls 20 --lang fr capture.pcap -o failures.html")]
    Report(ReportArgs),
    /// Explain messages header by header, in French or English.
    #[command(after_help = "Examples:
  sipladder explain --call 3 --lang fr capture.pcap
  sipladder explain --frame 12 capture.pcap
  sipladder explain --call 3 --json capture.pcap > call3.json")]
    Explain(ExplainArgs),
    /// Cut the frames of some calls into a new capture, or write them as JSON lines or Parquet
    /// tables.
    #[command(after_help = "Examples:
  sipladder export --call 3 -o call3.pcap capture.pcap
  sipladder export --status 486 --jsonl day1.pcap day2.pcap > busy.jsonl
  sipladder export --parquet tables/ rotated/*.pcap")]
    Export(ExportArgs),
    /// Browse the calls of a capture in the terminal: the list, each call's ladder, each
    /// message explained header by header.
    #[command(after_help = "Examples:
  sipladder tui capture.pcap
  sipladder tui --status 4xx --lang fr day1.pcap day2.pcap

Keys: Enter opens a call, / searches, F sets filters, < > sort, l switches French/English,
t switches times, e r s write files, ? lists every key, q quits.")]
    Tui(TuiArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "Examples:
  sipladder completions bash > ~/.local/share/bash-completion/completions/sipladder
  sipladder completions zsh > \"${fpath[1]}/_sipladder\"
  sipladder completions fish > ~/.config/fish/completions/sipladder.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man`.
    #[command(after_help = "Examples:
  sipladder man > ~/.local/share/man/man1/sipladder.1
  sipladder man | man -l -")]
    Man,
}

/// What the subcommands that read captures share, set up once before they run.
pub(crate) struct Reading<'a> {
    /// The captures and their TLS key log.
    pub(crate) captures: &'a Captures,
    /// Whether and how to redact.
    pub(crate) redaction: &'a RedactArgs,
    /// The call filters (`stats` has none).
    pub(crate) filters: Option<&'a mut FilterArgs>,
}

impl Command {
    /// The reading options of a subcommand that reads captures.
    pub(crate) fn reading(&mut self) -> Option<Reading<'_>> {
        let reading = |captures, redaction, filters| {
            Some(Reading {
                captures,
                redaction,
                filters,
            })
        };
        match self {
            Command::Stats(a) => reading(&a.captures, &a.redaction, None),
            Command::Calls(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Flow(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Report(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Explain(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Export(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Tui(a) => reading(&a.captures, &a.redaction, Some(&mut a.filters)),
            Command::Completions(_) | Command::Man => None,
        }
    }
}

/// Arguments of `sipladder completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `sipladder export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Which calls to export.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Write every SIP message of the selected calls as one JSON object per line (for DuckDB,
    /// Spark, ClickHouse...) instead of a capture.
    #[arg(long, conflicts_with = "parquet")]
    pub jsonl: bool,
    /// Write the selected calls, their messages and their media streams as Parquet tables
    /// (calls.parquet, messages.parquet, media.parquet) into this folder, created if missing.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub parquet: Option<PathBuf>,
    /// The file to write (a capture, or JSON lines with --jsonl; standard output when omitted
    /// with --jsonl).
    #[arg(
        short = 'o',
        long,
        value_name = "FILE",
        required_unless_present_any = ["jsonl", "parquet"]
    )]
    pub output: Option<PathBuf>,
    /// Also copy the RTP (and RTCP) packets of the selected calls' media streams (those
    /// `calls --json` attributes to them), in time order with the SIP frames.
    #[arg(long, conflicts_with_all = ["jsonl", "parquet"])]
    pub with_rtp: bool,
    /// The capture format written (whatever the file's extension).
    #[arg(
        long,
        value_enum,
        default_value_t = crate::export::CaptureFormat::Pcap,
        conflicts_with_all = ["jsonl", "parquet"]
    )]
    pub format: crate::export::CaptureFormat,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Arguments of `sipladder explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Only the message(s) completed by this frame.
    #[arg(long, value_name = "N")]
    pub frame: Option<u64>,
    /// Which calls' messages to explain.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Language of the explanations; defaults from LANG, else English.
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Languages of the explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LangChoice {
    /// Français.
    Fr,
    /// English.
    En,
}

/// Arguments of `sipladder report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Which calls to report.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The HTML file to write.
    #[arg(short = 'o', long, value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// Language shown first (both are in the page); defaults from LANG, else English.
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,
    /// Calls detailed with ladders and messages; the others are listed only (keeps the file
    /// small on large captures).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_calls: usize,
    /// Name an address in the ladders: `192.0.2.10=proxy` (repeat for each).
    #[arg(long, value_name = "ADDRESS=NAME")]
    pub alias: Vec<String>,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Ladder output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FlowFormat {
    /// Plain ASCII, like the seed's diagrams (the default when not writing to a terminal).
    Ascii,
    /// Box-drawing characters, coloured on a terminal (the default on a terminal).
    Unicode,
    /// A standalone SVG image.
    Svg,
    /// Mermaid sequenceDiagram text.
    Mermaid,
    /// PlantUML sequence diagram text.
    Plantuml,
    /// JSON: participants, arrows, media.
    Json,
}

/// When to colour terminal output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `sipladder flow`.
#[derive(Debug, clap::Args)]
pub struct FlowArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Which calls to draw (all of them, one after another, when no filter is given).
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<FlowFormat>,
    /// Name an address in the ladder: `192.0.2.10=proxy` or `192.0.2.10:5060=proxy` (repeat
    /// for each; addresses given the same name share one column).
    #[arg(long, value_name = "ADDRESS=NAME")]
    pub alias: Vec<String>,
    /// Column order: names or addresses, comma-separated; the others follow.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub order: Vec<String>,
    /// Times beside the arrows: absolute, relative to the first message, since the previous
    /// one, or none.
    #[arg(long, value_enum, default_value_t = TimeMode::Rel)]
    pub time: TimeMode,
    /// No line longer than this many characters (text formats).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Colour by message class in text formats.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Language of the title lines; defaults from LANG, else English.
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Arguments of `sipladder calls`.
#[derive(Debug, clap::Args)]
pub struct CallsArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Which calls to list.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only the exchanges whose diagnosis holds an error or a warning.
    #[arg(long)]
    pub problems: bool,
    /// One line per exchange also for attacks (scans, floods, password guessing), which the
    /// table otherwise shows as one line each, with counts.
    #[arg(long)]
    pub expand: bool,
    /// Language of the diagnosis; defaults from LANG, else English.
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Arguments of `sipladder tui`.
#[derive(Debug, clap::Args)]
pub struct TuiArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Which calls to list at the start (F changes them in the browser).
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Language of the explanations at the start (l switches); defaults from LANG, else
    /// English.
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,
    /// Name an address in the ladders: `192.0.2.10=proxy` (repeat for each).
    #[arg(long, value_name = "ADDRESS=NAME")]
    pub alias: Vec<String>,
    /// Replace what names people and secrets in everything shown and written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// Arguments of `sipladder stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub captures: Captures,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Replace what names people and secrets in everything written.
    #[command(flatten)]
    pub redaction: RedactArgs,
}

/// The captures to read, and the secrets to read TLS in them.
#[derive(Debug, clap::Args)]
pub struct Captures {
    /// Capture files (pcap or pcapng, optionally gzip-compressed); `-` reads standard input
    /// (not for export, which reads twice). Several files are merged in time order.
    #[arg(required = true, value_name = "CAPTURE")]
    pub paths: Vec<PathBuf>,
    /// TLS key log (NSS format, as SSLKEYLOGFILE makes browsers, OpenSSL, Python, curl and
    /// rustls write it): SIP over TLS and WebSocket over TLS are read with its secrets. When
    /// only SSLKEYLOGFILE names it and it does not exist, it is skipped with a warning.
    #[arg(long, value_name = "FILE", env = "SSLKEYLOGFILE")]
    pub tls_keylog: Option<PathBuf>,
}

impl std::ops::Deref for Captures {
    type Target = [PathBuf];

    fn deref(&self) -> &[PathBuf] {
        &self.paths
    }
}
