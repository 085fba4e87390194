//! The HTML report's page: the capture's figures, its warnings and the calls' pages.

use crate::explain::Lang;
use crate::render::html::{CallView, Report, SummaryRow, clean};
use crate::stats::Stats;

/// The page of `calls` read from a capture whose figures are `stats`, shown first in `lang`.
pub fn report(stats: &Stats, calls: Vec<CallView>, lang: Lang) -> Report {
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
    Report {
        title: format!("SIP report: {}", stats.files.join(", ")),
        lang: lang.code(),
        summary: rows,
        warnings,
        calls,
        undetailed,
        generator: format!("sipladder {}", env!("CARGO_PKG_VERSION")),
    }
}

fn row(label: &str, value: String) -> SummaryRow {
    SummaryRow {
        label: label.to_string(),
        value: clean(&value),
    }
}
