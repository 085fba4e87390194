//! Plain-text layout of an explanation, as the course lays out its packets: the message as
//! captured, then "Signification :" and, per header, an indented list of explanations.
//!
//! Everything printed comes from the capture or is filled with it, so every control
//! character is escaped: a packet cannot move the cursor or change colours in a terminal.

use std::fmt::Write as _;

use super::catalog::catalog;
use super::model::{Explanation, ParamExplanation};

/// Longest parameter value shown beside its name (`rport=5060`); longer ones (`branch`,
/// `nonce`) are in the message printed above.
const SHOWN_VALUE_MAX: usize = 20;

/// Lays out `exp` under the raw message `raw` (the bytes it was built from).
pub fn render_text(exp: &Explanation, raw: &[u8]) -> String {
    let cat = catalog(exp.lang);
    let mut out = String::new();
    for line in raw_lines(raw) {
        out.push_str(&escape(&line));
        out.push('\n');
    }
    out.push('\n');
    let summary = cat.text("ui.summary", &[("summary", &exp.summary)]);
    out.push_str(&escape(&summary));
    out.push_str("\n\n");
    out.push_str(&cat.text("ui.meaning", &[]));
    out.push('\n');
    let label = first_line_label(&exp.first_line);
    item(
        &mut out,
        &cat.text("ui.item", &[("label", &label)]),
        &exp.first_line_explanation,
        &[],
    );
    for h in &exp.headers {
        let label = cat.text("ui.item", &[("label", &h.name)]);
        let params: Vec<String> = h.params.iter().map(|p| param_line(exp, p)).collect();
        item(&mut out, &label, &h.lines, &params);
    }
    if !exp.notes.is_empty() {
        out.push('\n');
        out.push_str(&cat.text("ui.notes", &[]));
        out.push('\n');
        for n in &exp.notes {
            let _ = writeln!(out, "- {}", escape(n));
        }
    }
    if let Some(body) = &exp.body {
        out.push('\n');
        out.push_str(&escape(
            &cat.text("ui.body", &[("type", &body.content_type)]),
        ));
        out.push('\n');
        for s in &body.summary {
            let _ = writeln!(out, "{}", escape(s));
        }
        for l in &body.lines {
            item(
                &mut out,
                &cat.text("ui.item", &[("label", &l.line)]),
                &l.explanation,
                &[],
            );
        }
    }
    out
}

fn item(out: &mut String, label: &str, lines: &[String], params: &[String]) {
    let _ = writeln!(out, "{}", escape(label));
    for l in lines.iter().chain(params) {
        let _ = writeln!(out, "    - {}", escape(l));
    }
}

fn param_line(exp: &Explanation, p: &ParamExplanation) -> String {
    let shown = match &p.value {
        Some(v) if !v.is_empty() && v.chars().count() <= SHOWN_VALUE_MAX => {
            format!("{}={v}", p.name)
        }
        _ => p.name.clone(),
    };
    catalog(exp.lang).text(
        "ui.param",
        &[("param", &shown), ("explanation", &p.explanation)],
    )
}

/// The method of a request line, the code of a status line.
fn first_line_label(line: &str) -> String {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or_default();
    if first.len() >= 4
        && first
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("SIP/"))
    {
        words.next().unwrap_or(first).to_owned()
    } else {
        first.to_owned()
    }
}

fn raw_lines(raw: &[u8]) -> Vec<String> {
    let end = raw
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(0, |p| p + 1);
    raw.get(..end)
        .unwrap_or_default()
        .split(|b| *b == b'\n')
        .map(|l| String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)).into_owned())
        .collect()
}

/// The text with every control character (C0, DEL, C1) written as an escape.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape("é\u{9b}x"), "é\\u{9b}x");
        assert_eq!(first_line_label("SIP/2.0 401 Unauthorized"), "401");
        assert_eq!(first_line_label("REGISTER sip:x SIP/2.0"), "REGISTER");
    }
}
