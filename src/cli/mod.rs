/*!
The command line: parses arguments, runs a subcommand, prints, and chooses the exit code.
This is the only module that prints or exits.

Exit codes: 0 success; 1 usage error or unreadable input (one line on stderr); 2 partial
result (an input was cut or damaged after some packets: results for what was read, plus a
warning).
*/

mod args;
mod calls;
mod explain;
mod export;
mod flow;
mod inputs;
mod output;
mod redaction;
mod report;
mod stats;
mod tui;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

pub use crate::correlate::{CallFilter, FilterArgs};
pub use crate::export::CaptureFormat;
pub use args::{
    Args, CallsArgs, Captures, ColorChoice, Command, ExplainArgs, ExportArgs, FlowArgs, FlowFormat,
    LangChoice, ReportArgs, StatsArgs, TuiArgs,
};
pub use redaction::RedactArgs;

/// The outcome of a subcommand that ran to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read.
    Complete,
    /// Some input was cut or damaged; the output covers what came before.
    Partial,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let mut args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let code = if err.use_stderr() { 1 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    if let Some(reading) = args.command.reading() {
        redaction::set_up(reading.redaction, reading.filters);
        if let Err(err) = inputs::set_up_tls(reading.captures) {
            eprintln!("error: {err:#}");
            return ExitCode::from(1);
        }
    }
    // Standard output flushes at every line; the JSON of thousands of calls is many lines.
    let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let result = match args.command {
        Command::Stats(a) => stats::run(&a, &mut stdout),
        Command::Calls(a) => calls::run(&a, &mut stdout),
        Command::Flow(a) => flow::run(&a, &mut stdout),
        Command::Report(a) => report::run(&a, &mut stdout),
        Command::Explain(a) => explain::run(&a, &mut stdout),
        Command::Export(a) => export::run(&a, &mut stdout),
        Command::Tui(a) => tui::run(&a),
        Command::Completions(a) => completions(a.shell, &mut stdout),
        Command::Man => manual(&mut stdout),
    };
    let flushed = stdout.flush();
    match result.and_then(|o| flushed.map(|_| o).map_err(anyhow::Error::from)) {
        Ok(Outcome::Complete) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(2),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// Writes the completion script of `shell` (clap_complete, from the same definitions as
/// `--help`).
fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut command = <Args as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "sipladder", out);
    Ok(Outcome::Complete)
}

/// Writes the manual page (clap_mangen), with a page for the program and a section per
/// subcommand.
fn manual(out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let command = <Args as clap::CommandFactory>::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    // Each subcommand with its own options, as a section of the one page.
    for sub in command.get_subcommands() {
        let name = sub.get_name().to_string();
        writeln!(
            out,
            ".SH \"{}\"",
            format!("SIPLADDER {name}").to_uppercase()
        )?;
        let page = clap_mangen::Man::new(sub.clone().bin_name(format!("sipladder {name}")));
        page.render_synopsis_section(&mut *out)?;
        page.render_description_section(&mut *out)?;
        page.render_options_section(&mut *out)?;
        if let Some(after) = sub.get_after_help() {
            writeln!(out, ".PP")?;
            for line in after.to_string().lines() {
                writeln!(out, "{}\n.br", roff_text(line))?;
            }
        }
    }
    man.render_version_section(out)?;
    Ok(Outcome::Complete)
}

/// A line of text for roff: backslashes doubled, a leading dot or quote kept literal.
fn roff_text(line: &str) -> String {
    let escaped = line.replace('\\', "\\\\");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
