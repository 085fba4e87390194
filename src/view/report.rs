//! The HTML report's page, gathered call by call and written in parts: the capture's figures,
//! its warnings, the dashboard, the table and the pages of the calls detailed.
//!
//! The calls go by once, in order ([`Page::add`]): each is counted in the dashboard, its row
//! written to a temporary file, and it is kept only while it may be detailed. The caller then
//! reads the messages of the calls [`Page::take_detailed`] chose, and [`Page::write`] writes the
//! page: what is held is bounded by the calls detailed, not by the calls listed.

use std::io::{self, Write};

use rustc_hash::FxHashMap as HashMap;

use crate::correlate::{CallSummary, MediaStream};
use crate::explain::{Lang, diagnosis};
use crate::render::html::{AttackView, CallView, SummaryRow, clean};
use crate::render::page::{self, End, Foot, Head, Section, TableRow};
use crate::stats::Stats;

use super::dashboard::Dashboard;
use super::row::CallRow;
use super::table::Rows;

/// Rows of the call table written as HTML, shown without JavaScript; the script draws every
/// row from the JSON data.
pub const STATIC_ROWS: usize = 100;

/// Exchanges of one attack the table's data holds one by one: a flood's millions would make
/// a page no browser opens, and they are alike. `calls --expand` lists them all.
pub const ATTACK_ROWS: usize = 1_000;

/// Which calls the page details (ladder, messages), `max` at most.
#[derive(Clone, Copy, Debug)]
pub enum Detail {
    /// The first listed.
    First(usize),
    /// Those outside attacks first: an attack's exchanges are alike, and would take the
    /// budget from the calls that matter.
    OutsideAttacksFirst(usize),
}

/// A call that may be detailed, with its media streams.
#[derive(Debug)]
pub struct Chosen {
    /// Its place in the listing.
    position: usize,
    /// The call.
    pub call: CallSummary,
    /// Its media streams.
    pub media: Vec<MediaStream>,
}

impl Chosen {
    /// Its media streams, as the views take them.
    pub fn media_refs(&self) -> Vec<&MediaStream> {
        self.media.iter().collect()
    }
}

/// What an attack's exchanges listed add up to.
#[derive(Default)]
struct AttackSum {
    exchanges: usize,
    messages: u64,
    last: usize,
    listed: usize,
}

/// The page being gathered: see the module's documentation.
pub struct Page {
    detail: Detail,
    attack_rows: usize,
    listed: usize,
    dashboard: Dashboard,
    rows: Rows,
    first_rows: Vec<CallRow>,
    attacks: HashMap<usize, AttackSum>,
    outside: Vec<Chosen>,
    inside: Vec<Chosen>,
    detailed: Vec<usize>,
}

impl Page {
    /// No call yet; the table's rows go to a temporary file.
    pub fn new(detail: Detail) -> io::Result<Page> {
        Ok(Page {
            detail,
            attack_rows: ATTACK_ROWS,
            listed: 0,
            dashboard: Dashboard::default(),
            rows: Rows::new()?,
            first_rows: Vec::new(),
            attacks: HashMap::default(),
            outside: Vec::new(),
            inside: Vec::new(),
            detailed: Vec::new(),
        })
    }

    /// Holds at most `n` exchanges of each attack in the table's data ([`ATTACK_ROWS`]).
    pub fn with_attack_rows(mut self, n: usize) -> Page {
        self.attack_rows = n;
        self
    }

    /// Lists the next call, with its media streams.
    pub fn add(&mut self, call: &CallSummary, media: &[&MediaStream]) -> io::Result<()> {
        let position = self.listed;
        self.listed += 1;
        // The table's codes are those of the English diagnosis (the same in either language).
        let found = diagnosis::describe(call, media, true, Lang::En);
        let row = CallRow::new(call, &found);
        self.dashboard.add(call, media, &row.problems);
        let in_data = match call.attack {
            Some(n) => {
                let sum = self.attacks.entry(n).or_default();
                sum.exchanges += 1;
                sum.messages += u64::from(call.messages);
                sum.last = call.id;
                let in_data = sum.listed < self.attack_rows;
                sum.listed += usize::from(in_data);
                in_data
            }
            None => true,
        };
        if in_data {
            self.rows.push(&row, call.attack)?;
        }
        if self.first_rows.len() < STATIC_ROWS {
            self.first_rows.push(row);
        }
        let (max, kept) = match self.detail {
            Detail::First(max) => (max, &mut self.outside),
            Detail::OutsideAttacksFirst(max) if call.attack.is_none() => (max, &mut self.outside),
            Detail::OutsideAttacksFirst(max) => (max, &mut self.inside),
        };
        if kept.len() < max {
            kept.push(Chosen {
                position,
                call: call.clone(),
                media: media.iter().map(|m| (*m).clone()).collect(),
            });
        }
        Ok(())
    }

    /// Calls listed so far.
    pub fn listed(&self) -> usize {
        self.listed
    }

    /// The calls to detail, in the order they were listed; the page then details those whose
    /// views [`Page::write`] is given.
    pub fn take_detailed(&mut self) -> Vec<Chosen> {
        let max = match self.detail {
            Detail::First(max) | Detail::OutsideAttacksFirst(max) => max,
        };
        let mut chosen: Vec<Chosen> = std::mem::take(&mut self.outside);
        chosen.extend(std::mem::take(&mut self.inside));
        chosen.truncate(max);
        chosen.sort_by_key(|c| c.position);
        self.detailed = chosen.iter().map(|c| c.call.id).collect();
        chosen
    }

    /// Writes the page of the calls listed, read from a capture whose figures are `stats`,
    /// shown first in `lang`, with the sections of `details` (the views of the calls
    /// [`Page::take_detailed`] chose, in that order). Returns the bytes written.
    pub fn write(
        self,
        stats: &Stats,
        lang: Lang,
        details: impl Iterator<Item = CallView>,
        out: &mut dyn Write,
    ) -> io::Result<u64> {
        let mut out = Counted { out, bytes: 0 };
        let attacks: Vec<AttackView> = stats
            .attacks
            .iter()
            .map(|a| {
                let sum = self.attacks.get(&a.number);
                AttackView {
                    number: a.number,
                    code: a.code,
                    line: clean(&crate::explain::attack::line(a, lang)),
                    shape: clean(&crate::explain::attack::shape(a, lang)),
                    exchanges: sum.map_or(0, |s| s.exchanges),
                    messages: sum.map_or(0, |s| s.messages),
                    last: sum.map_or(0, |s| s.last),
                    listed: sum.map_or(0, |s| s.listed),
                }
            })
            .collect();
        let detailed: std::collections::HashSet<usize> = self.detailed.iter().copied().collect();
        let static_calls: Vec<TableRow> = self
            .first_rows
            .iter()
            .map(|r| table_row(r, detailed.contains(&r.id)))
            .collect();
        let title = format!("SIP report: {}", stats.files.join(", "));
        let generator = format!("sipladder {}", env!("CARGO_PKG_VERSION"));
        let head = Head {
            title: &title,
            lang: lang.code(),
            summary: &summary(stats),
            warnings: &warnings(stats),
            warning_count: stats.warnings.iter().map(|g| g.count).sum(),
            charts: &self.dashboard.charts(),
            static_calls: &static_calls,
            static_rows: STATIC_ROWS,
            listed: self.listed,
            undetailed: self.listed.saturating_sub(self.detailed.len()),
            attacks: &attacks,
            unlisted: attacks
                .iter()
                .map(|a| a.exchanges.saturating_sub(a.listed))
                .sum(),
            generator: &generator,
        };
        page::write_part(&head, &mut out)?;
        out.write_all(page::BEFORE_SECTIONS.as_bytes())?;
        for (n, c) in details.enumerate() {
            out.write_all(page::BEFORE_SECTION.as_bytes())?;
            page::write_part(
                &Section {
                    c: &c,
                    first: n == 0,
                },
                &mut out,
            )?;
            out.write_all(page::AFTER_SECTION.as_bytes())?;
        }
        page::write_part(
            &Foot {
                generator: &generator,
            },
            &mut out,
        )?;
        self.rows.write_object(&attacks, &mut out)?;
        page::write_part(&End, &mut out)?;
        out.flush()?;
        Ok(out.bytes)
    }
}

/// A writer that counts the bytes it passes on.
struct Counted<'a> {
    out: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A row of the table as HTML.
fn table_row(r: &CallRow, detailed: bool) -> TableRow {
    TableRow {
        id: r.id,
        kind: r.kind.clone(),
        start: r.start.clone(),
        from: r.from.clone(),
        to: r.to.clone(),
        state: r.state.clone(),
        status: r.status.clone(),
        messages: r.messages,
        retransmissions: r.retransmissions,
        duplicates: r.duplicates,
        setup: r.setup.clone(),
        duration: r.duration.clone(),
        participants: r.participants.join(", "),
        problems: r.problems.clone(),
        detailed,
    }
}

/// The lines of the summary table.
fn summary(stats: &Stats) -> Vec<SummaryRow> {
    let mut rows = vec![
        row("Capture", stats.files.join(", ")),
        row(
            "Period",
            match (&stats.start, &stats.end) {
                (Some(s), Some(e)) => format!("{s} → {e}"),
                _ => "no packets".into(),
            },
        ),
        row("Packets", stats.packets.to_string()),
        row("SIP messages", stats.sip_messages.to_string()),
        row("Calls", stats.calls.to_string()),
        row("Registrations", stats.registrations.to_string()),
        row("Retransmissions", stats.retransmissions.to_string()),
        row("RTP packets", stats.rtp_packets.to_string()),
    ];
    if stats.duplicates > 0 {
        rows.push(row(
            "Duplicates (taken twice)",
            stats.duplicates.to_string(),
        ));
    }
    if stats.icmp_errors > 0 {
        rows.push(row(
            "ICMP errors quoting SIP",
            stats.icmp_errors.to_string(),
        ));
    }
    rows
}

/// The warnings as sentences: the examples of each kind, and how many more.
fn warnings(stats: &Stats) -> Vec<String> {
    stats
        .warnings
        .iter()
        .flat_map(|g| {
            let more = g.count.saturating_sub(g.examples.len() as u64);
            g.examples
                .iter()
                .cloned()
                .chain((more > 0).then(|| format!("… and {more} more {}", g.kind)))
        })
        .map(|w| clean(&w))
        .collect()
}

fn row(label: &str, value: String) -> SummaryRow {
    SummaryRow {
        label: label.to_string(),
        value: clean(&value),
    }
}
