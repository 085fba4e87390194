//! The HTML report's page in parts, each its own template: the head (summary, dashboard, the
//! table's first rows), one section per detailed call, the footer, then the table's data and
//! the script. Written one after the other to the file, the page never exists whole in
//! memory, however many calls its table lists.

use std::io::{self, Write};

use askama::Template;

use super::html::{AttackView, CallView, ChartView, SummaryRow};

/// A row of the call table written as HTML, shown before (or without) the script.
#[derive(Clone, Debug)]
pub struct TableRow {
    /// Its number.
    pub id: usize,
    /// Kind.
    pub kind: String,
    /// Start time.
    pub start: String,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// State.
    pub state: String,
    /// Final status with reason.
    pub status: String,
    /// Messages.
    pub messages: u32,
    /// Retransmissions.
    pub retransmissions: u32,
    /// Copies taken twice by the capture.
    pub duplicates: u32,
    /// Setup time as text.
    pub setup: String,
    /// Duration as text.
    pub duration: String,
    /// Participants, joined.
    pub participants: String,
    /// The codes of its errors and warnings.
    pub problems: String,
    /// Its section is in the page.
    pub detailed: bool,
}

/// The page up to the detailed calls: title, summary, warnings, attacks, dashboard, and the
/// table with its first rows.
#[derive(Template)]
#[template(path = "report/head.html")]
pub struct Head<'a> {
    /// Page title.
    pub title: &'a str,
    /// The language shown first (`fr` or `en`).
    pub lang: &'static str,
    /// Capture summary.
    pub summary: &'a [SummaryRow],
    /// Warnings, as sentences.
    pub warnings: &'a [String],
    /// How many warnings those sentences stand for (each kind's examples, and how many more).
    pub warning_count: u64,
    /// The dashboard's charts.
    pub charts: &'a [ChartView],
    /// The rows written as HTML.
    pub static_calls: &'a [TableRow],
    /// How many rows at most are written as HTML.
    pub static_rows: usize,
    /// Rows of the table in all.
    pub listed: usize,
    /// Calls listed but not detailed (size budget).
    pub undetailed: usize,
    /// The attacks found, each shown as one row of the table.
    pub attacks: &'a [AttackView],
    /// Exchanges of attacks left out of the table's data.
    pub unlisted: usize,
    /// The tool and version that wrote it.
    pub generator: &'a str,
}

/// The section of a detailed call.
#[derive(Template)]
#[template(path = "report/call.html")]
pub struct Section<'a> {
    /// The call.
    pub c: &'a CallView,
    /// It is the first section (shown open).
    pub first: bool,
}

/// After the detailed calls: the footer, and the opening of the table's data.
#[derive(Template)]
#[template(path = "report/foot.html")]
pub struct Foot<'a> {
    /// The tool and version that wrote it.
    pub generator: &'a str,
}

/// After the table's data: the script, and the end of the page.
#[derive(Template)]
#[template(path = "report/end.html")]
pub struct End;

/// Between the head and the first section, and around each section (the text the single
/// template of the page had between them).
pub const BEFORE_SECTIONS: &str = "\n\n";
/// Before each section.
pub const BEFORE_SECTION: &str = "\n";
/// After each section.
pub const AFTER_SECTION: &str = "\n";

/// Writes `part` to `out`.
pub fn write_part(part: &impl Template, out: &mut dyn Write) -> io::Result<()> {
    Template::write_into(part, out)
}
