//! Terminal tables (comfy-table) for summaries such as `sipladder stats`.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use crate::sip::reason_phrase;
use crate::stats::Stats;

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// "401 Unauthorized" for a code the registry knows, the code alone otherwise.
fn status_label(code: &str) -> String {
    match code.parse().ok().and_then(reason_phrase) {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

fn count_cell(n: u64) -> Cell {
    Cell::new(n).set_alignment(CellAlignment::Right)
}

/// The `stats` report: a summary, requests per method, responses per code, then warnings.
pub fn stats(stats: &Stats) -> String {
    let mut out = String::new();
    let mut summary = table();
    summary.set_header(vec!["Capture", &stats.files.join(", ")]);
    let period = match (&stats.start, &stats.end) {
        (Some(start), Some(end)) => format!("{start} → {end}"),
        _ => "no packets".to_string(),
    };
    let transports = if stats.transports.is_empty() {
        "-".to_string()
    } else {
        stats
            .transports
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: [(&str, String); 9] = [
        ("Period", period),
        ("Packets", stats.packets.to_string()),
        ("SIP messages", stats.sip_messages.to_string()),
        ("Transports", transports),
        ("Calls (Call-IDs with INVITE)", stats.calls.to_string()),
        (
            "Registrations (Call-IDs with REGISTER)",
            stats.registrations.to_string(),
        ),
        ("Retransmissions", stats.retransmissions.to_string()),
        ("ICMP errors quoting SIP", stats.icmp_errors.to_string()),
        (
            "IP fragments / reassembled",
            format!(
                "{} / {}",
                stats.decode.ip_fragments, stats.decode.reassembled_datagrams
            ),
        ),
    ];
    for (name, value) in rows {
        summary.add_row(vec![Cell::new(name), Cell::new(value)]);
    }
    out.push_str(&summary.to_string());
    out.push('\n');

    if !stats.requests.is_empty() || !stats.responses.is_empty() {
        let mut messages = table();
        messages.set_header(vec!["Requests", "Count", "Responses", "Count"]);
        let mut requests: Vec<_> = stats.requests.iter().collect();
        requests.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let responses: Vec<_> = stats.responses.iter().collect();
        for i in 0..requests.len().max(responses.len()) {
            let (m, mc) = requests
                .get(i)
                .map_or((Cell::new(""), Cell::new("")), |(m, n)| {
                    (Cell::new(m), count_cell(**n))
                });
            let (r, rc) = responses
                .get(i)
                .map_or((Cell::new(""), Cell::new("")), |(r, n)| {
                    (Cell::new(status_label(r)), count_cell(**n))
                });
            messages.add_row(vec![m, mc, r, rc]);
        }
        out.push_str(&messages.to_string());
        out.push('\n');
    }

    if !stats.warnings.is_empty() {
        out.push_str("Warnings:\n");
        for group in &stats.warnings {
            out.push_str(&format!("  {} × {}\n", group.kind, group.count));
            for example in &group.examples {
                out.push_str(&format!("    {example}\n"));
            }
            let shown = group.examples.len() as u64;
            if group.count > shown {
                out.push_str(&format!("    … and {} more\n", group.count - shown));
            }
        }
    }
    out
}
