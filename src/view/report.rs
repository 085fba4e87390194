//! The HTML report's page: the capture's figures, its warnings and the calls' pages.

use crate::explain::Lang;
use crate::render::html::{AttackView, CallView, Report, SummaryRow, clean};
use crate::stats::Stats;

use super::dashboard::{CallMedia, dashboard};
use super::table::rows_json;

/// Rows of the call table written as HTML, shown without JavaScript; the script draws every
/// row from the JSON data.
pub const STATIC_ROWS: usize = 100;

/// The page of `calls` read from a capture whose figures are `stats`, shown first in `lang`:
/// `calls` are the pages of `summaries` (each with its media), in the same order.
pub fn report(
    stats: &Stats,
    summaries: &[CallMedia<'_>],
    calls: Vec<CallView>,
    lang: Lang,
) -> Report {
    let undetailed = calls.iter().filter(|v| !v.detailed).count();
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
    let warnings = stats
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
        .collect();
    let attacks: Vec<AttackView> = stats
        .attacks
        .iter()
        .map(|a| AttackView {
            number: a.number,
            code: a.code,
            line: clean(&crate::explain::attack::line(a, lang)),
            shape: clean(&crate::explain::attack::shape(a, lang)),
            exchanges: calls.iter().filter(|c| c.attack == Some(a.number)).count(),
        })
        .collect();
    Report {
        title: format!("SIP report: {}", stats.files.join(", ")),
        lang: lang.code(),
        summary: rows,
        warnings,
        charts: dashboard(summaries, &calls),
        rows_json: rows_json(&calls, &attacks),
        static_rows: STATIC_ROWS,
        calls,
        undetailed,
        attacks,
        generator: format!("sipladder {}", env!("CARGO_PKG_VERSION")),
    }
}

fn row(label: &str, value: String) -> SummaryRow {
    SummaryRow {
        label: label.to_string(),
        value: clean(&value),
    }
}
