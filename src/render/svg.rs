//! The ladder as a standalone SVG image. Every arrow is a group with its index, frame and
//! class, so the HTML report can make it clickable; every text from the capture is escaped.

use std::io::{self, Write};

use super::Renderer;
use super::model::{ArrowClass, LadderModel, Step};
use super::text::sanitize;

/// Standalone SVG, or an SVG for a page that holds several (ids prefixed, arrows linked to the
/// message details).
#[derive(Clone, Debug, Default)]
pub struct SvgRenderer {
    /// Prefix for ids and link targets (`c3-`); empty for a standalone file.
    pub id_prefix: String,
    /// Wrap each arrow in a link to `#{id_prefix}m{n}`, `n` the arrow's F number.
    pub links: bool,
    /// Inside an HTML page: no XML namespace declaration (HTML gives inline SVG its namespace,
    /// and the page then names no outside address at all).
    pub embedded: bool,
}

/// Approximate advance of one character of the 12px monospace font.
const CHAR_WIDTH: usize = 7;
const ROW: usize = 34;
const HEADER: usize = 64;
const TIME_COLUMN: usize = 90;
/// Height of the line a role adds to a participant's box.
const ROLE_LINE: usize = 14;

/// Height of a participant's box of `lines` lines (name, role, address).
fn box_height(lines: usize) -> usize {
    if lines > 2 { 40 + ROLE_LINE } else { 40 }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn class_name(class: ArrowClass) -> &'static str {
    match class {
        ArrowClass::Request => "request",
        ArrowClass::Provisional => "provisional",
        ArrowClass::Success => "success",
        ArrowClass::Redirect => "redirect",
        ArrowClass::Failure => "failure",
    }
}

impl Renderer for SvgRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        let n = model.participants.len().max(1);
        // Column spacing from the longest label between neighbours, within reason.
        let longest = model
            .arrows
            .iter()
            .map(|a| a.summary.chars().count() + a.label.len() + 2)
            .chain(model.media.iter().map(|m| m.label.chars().count()))
            .chain(
                model
                    .participants
                    .iter()
                    .map(|p| p.label.chars().count().min(28)),
            )
            .max()
            .unwrap_or(20);
        let gap = (longest * CHAR_WIDTH + 40).clamp(160, 520);
        let x = |i: usize| TIME_COLUMN + gap / 2 + i * gap;
        let rows = model.arrows.len() + model.media.len();
        let width = TIME_COLUMN + gap * n;
        // A role under a name takes a third line in every box.
        let roles = model.participants.iter().any(|p| p.role.is_some());
        let extra = if roles { ROLE_LINE } else { 0 };
        let height = HEADER + extra + 20 + rows * ROW + 30;
        let namespace = if self.embedded {
            ""
        } else {
            r#" xmlns="http://www.w3.org/2000/svg""#
        };
        writeln!(
            out,
            r#"<svg{namespace} class="ladder" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12">"#
        )?;
        writeln!(out, "<title>{}</title>", escape(&model.title))?;
        writeln!(
            out,
            r#"<defs><marker id="{p}head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>"#,
            p = self.id_prefix
        )?;
        writeln!(
            out,
            "<style>.lifeline{{stroke:#888;stroke-dasharray:4 3}} .box{{fill:#eef2f7;stroke:#557}} \
             .request line{{stroke:#1f5fa8}} .provisional line{{stroke:#a87b00}} .success line{{stroke:#2a7a2a}} \
             .redirect line{{stroke:#5a3fa8}} .failure line{{stroke:#b02a2a}} .retransmission{{opacity:.55}} \
             .media line{{stroke:#8a3f8a;stroke-width:3}} text{{fill:#222}} .time{{fill:#666}} .role{{font-style:italic}} .icmp{{fill:#b02a2a}}</style>"
        )?;
        let room = (gap - 30) / CHAR_WIDTH;
        for (i, p) in model.participants.iter().enumerate() {
            let cx = x(i);
            let full = sanitize(&p.label);
            let label: String = if full.chars().count() > room {
                let mut cut: String = full.chars().take(room.saturating_sub(1)).collect();
                cut.push('…');
                cut
            } else {
                full.clone()
            };
            // Name, role and address, one line each, centred in the box; the address is the
            // name (in the name's colour) when there is no other.
            let role = model.role_line(p);
            let mut lines: Vec<(String, &str)> = Vec::new();
            if p.label != p.address {
                lines.push((escape(&label), ""));
            }
            if let Some(r) = &role {
                lines.push((escape(r), r#" class="role""#));
            }
            let address_class = if lines.iter().any(|(_, c)| c.is_empty()) {
                r#" class="time""#
            } else {
                ""
            };
            lines.push((escape(&p.address), address_class));
            let (first, step) = match lines.len() {
                1 => (32, 0),
                2 => (25, 16),
                _ => (24, ROLE_LINE),
            };
            let first = first + (extra + 40 - box_height(lines.len())) / 2;
            let texts: String = lines
                .iter()
                .enumerate()
                .map(|(k, (text, class))| {
                    let y = first + k * step;
                    format!(r#"<text x="{cx}" y="{y}" text-anchor="middle"{class}>{text}</text>"#)
                })
                .collect();
            let title = [
                (p.label != p.address).then_some(full.as_str()),
                role.as_deref(),
                Some(p.address.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<&str>>()
            .join(" ");
            writeln!(
                out,
                r#"<g class="participant" data-index="{i}"><title>{}</title><rect class="box" x="{}" y="8" width="{}" height="{}" rx="4"/>{texts}</g>"#,
                escape(&title),
                cx - gap / 2 + 10,
                gap - 20,
                40 + extra,
            )?;
            writeln!(
                out,
                r#"<line class="lifeline" x1="{cx}" y1="{}" x2="{cx}" y2="{}"/>"#,
                48 + extra,
                height - 10
            )?;
        }
        let p = &self.id_prefix;
        let mut y = HEADER + extra + 20;
        for step in model.steps() {
            let (i, arrow) = match step {
                Step::Media(m) => {
                    // Media within one column is drawn beside it.
                    let x2 = if m.to == m.from {
                        x(m.to) + 40
                    } else {
                        x(m.to)
                    };
                    media_line(out, m, x(m.from), x2, y, p)?;
                    y += ROW;
                    continue;
                }
                Step::Arrow(i, arrow) => (i, arrow),
            };
            let (x1, x2) = (x(arrow.from), x(arrow.to));
            let retrans = if arrow.retransmission {
                " retransmission"
            } else {
                ""
            };
            if self.links {
                writeln!(out, r##"<a href="#{p}m{}">"##, i + 1)?;
            }
            writeln!(
                out,
                r#"<g class="arrow {}{retrans}" data-index="{i}" data-frame="{}">"#,
                class_name(arrow.class),
                arrow.frame
            )?;
            if let Some(t) = model.time_of(i) {
                writeln!(
                    out,
                    r#"<text class="time" x="6" y="{}">{}</text>"#,
                    y + 4,
                    escape(&t)
                )?;
            }
            let label = arrow.caption();
            let (tx, anchor) = if x1 == x2 {
                (x1 + 40, "start")
            } else {
                ((x1 + x2) / 2, "middle")
            };
            writeln!(
                out,
                r#"<text x="{tx}" y="{}" text-anchor="{anchor}">{}</text>"#,
                y - 5,
                escape(&label)
            )?;
            if x1 == x2 {
                writeln!(
                    out,
                    r##"<path d="M{x1},{y} h30 v10 h-30" fill="none" stroke="#444" marker-end="url(#{p}head)"/>"##
                )?;
            } else {
                writeln!(
                    out,
                    r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke-width="1.6" marker-end="url(#{p}head)"/>"#
                )?;
            }
            if let Some(icmp) = &arrow.icmp {
                writeln!(
                    out,
                    r#"<text class="icmp" x="{tx}" y="{}" text-anchor="{anchor}">not delivered: ICMP {}</text>"#,
                    y + 14,
                    escape(icmp)
                )?;
            }
            writeln!(out, "</g>")?;
            if self.links {
                writeln!(out, "</a>")?;
            }
            y += ROW;
        }
        writeln!(out, "</svg>")
    }
}

fn media_line(
    out: &mut dyn Write,
    m: &super::model::MediaLine,
    x1: usize,
    x2: usize,
    y: usize,
    p: &str,
) -> io::Result<()> {
    writeln!(
        out,
        r#"<g class="media"><text x="{}" y="{}" text-anchor="middle">{}</text><line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" marker-start="url(#{p}head)" marker-end="url(#{p}head)"/></g>"#,
        (x1 + x2) / 2,
        y - 6,
        escape(&m.label)
    )
}
