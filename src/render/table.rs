//! Terminal tables (comfy-table) for summaries such as `sipladder stats`.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use super::attack_rows::{self, Line};
use crate::correlate::CallSummary;
use crate::correlate::diagnosis::Described;
use crate::explain::Lang;
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
    let rows: [(&str, String); 10] = [
        ("Period", period),
        ("Packets", stats.packets.to_string()),
        ("SIP messages", stats.sip_messages.to_string()),
        ("Transports", transports),
        ("Calls", stats.calls.to_string()),
        ("Registrations", stats.registrations.to_string()),
        ("Retransmissions", stats.retransmissions.to_string()),
        ("ICMP errors quoting SIP", stats.icmp_errors.to_string()),
        ("RTP packets", stats.rtp_packets.to_string()),
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
        if name == "Retransmissions" && stats.duplicates > 0 {
            summary.add_row(vec![
                Cell::new("Duplicates (taken twice)"),
                Cell::new(stats.duplicates.to_string()),
            ]);
        }
    }
    let d = &stats.decode;
    if d.tls_streams > 0 || d.tls_bytes > 0 {
        summary.add_row(vec![
            Cell::new("TLS connections"),
            Cell::new(format!(
                "{} ({} not read), {} bytes, {} decrypted",
                d.tls_streams, d.tls_unreadable, d.tls_bytes, d.tls_decrypted_bytes
            )),
        ]);
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

    out.push_str(&super::attacks::attacks(&stats.attacks));
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

/// Milliseconds as a person reads them: `850 ms`, `2.5 s`, `3 min 20 s`.
pub(super) fn duration(ms: Option<u64>) -> String {
    match ms {
        None => "-".to_string(),
        Some(ms) if ms < 1000 => format!("{ms} ms"),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) => format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

/// The `calls` table of `lines` ([`attack_rows::Lines`]: the exchanges of each attack in one
/// line, told in `lang`, where they would have been the first).
pub fn calls_grouped(lines: Vec<Line<'_>>, lang: Lang) -> String {
    if lines.is_empty() {
        return "No SIP calls, registrations or other exchanges matched.\n".to_string();
    }
    let mut t = table();
    t.set_header(vec![
        "#",
        "Kind",
        "Start",
        "From → To",
        "State",
        "Final",
        "Msgs",
        "Setup",
        "Duration",
        "Participants",
        "Diagnosis",
    ]);
    for line in &lines {
        match line {
            Line::Exchange(c) => t.add_row(call_row(c)),
            Line::Attack(group) => t.add_row(attack_rows::row(group, lang)),
        };
    }
    let mut out = t.to_string();
    out.push('\n');
    // The diagnosis in words, under the table.
    for line in &lines {
        match line {
            Line::Exchange(c) => {
                for d in findings(c) {
                    out.push_str(&format!("#{} {}: {}\n", c.id, d.code, d.text));
                }
            }
            Line::Attack(group) => out.push_str(&attack_rows::told(group, lang)),
        }
    }
    out
}

fn call_row(c: &CallSummary) -> Vec<Cell> {
    let time = c.start.get(11..23).unwrap_or(&c.start);
    let mut notes = Vec::new();
    if c.retransmissions > 0 {
        notes.push(format!("{} retr.", c.retransmissions));
    }
    if c.duplicates > 0 {
        notes.push(format!("{} dup.", c.duplicates));
    }
    let msgs = if notes.is_empty() {
        c.messages.to_string()
    } else {
        format!("{} ({})", c.messages, notes.join(", "))
    };
    let final_status = c
        .final_status
        .map_or("-".to_string(), |code| status_label(&code.to_string()));
    vec![
        count_cell(c.id as u64),
        Cell::new(c.kind),
        Cell::new(time),
        Cell::new(format!("{}\n→ {}", c.from, c.to)),
        Cell::new(c.state),
        Cell::new(final_status),
        Cell::new(msgs).set_alignment(CellAlignment::Right),
        Cell::new(duration(c.setup_ms)).set_alignment(CellAlignment::Right),
        Cell::new(duration(c.duration_ms)).set_alignment(CellAlignment::Right),
        Cell::new(participants(c)),
        Cell::new(findings(c).map(|d| d.code).collect::<Vec<_>>().join("\n")),
    ]
}

/// The addresses of a call, one a line, then how its messages travelled when not all over
/// UDP (`over TLS`, `over TCP, WSS`).
fn participants(c: &CallSummary) -> String {
    let mut text = c.participants.join("\n");
    if c.transports.iter().any(|t| *t != "UDP") {
        text.push_str(&format!("\nover {}", c.transports.join(", ")));
    }
    text
}

/// A call's findings, errors first.
fn findings(c: &CallSummary) -> impl Iterator<Item = &Described> {
    c.diagnosis.iter().flatten()
}
