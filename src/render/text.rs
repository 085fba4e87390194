//! The terminal ladder: columns for the participants, one labelled arrow per message, `<===>`
//! lines for media, laid out like the seed's diagrams. One layout serves the ASCII and the
//! Unicode renderers; they differ only in glyphs and colour.

use std::io::{self, Write};

use super::model::{ArrowClass, LadderModel, Step};

/// The characters a text ladder is drawn with.
#[derive(Clone, Copy, Debug)]
pub struct Glyphs {
    /// A lifeline.
    pub lifeline: char,
    /// An arrow's shaft.
    pub shaft: char,
    /// Head of an arrow going right.
    pub right: char,
    /// Head of an arrow going left.
    pub left: char,
    /// A media line.
    pub media: char,
    /// Where an arrow crosses another lifeline.
    pub crossing: char,
    /// Marks a message that was not delivered.
    pub lost: char,
}

/// Plain ASCII, safe in any ticket or e-mail.
pub const ASCII: Glyphs = Glyphs {
    lifeline: '|',
    shaft: '-',
    right: '>',
    left: '<',
    media: '=',
    crossing: '-',
    lost: 'x',
};

/// Box-drawing characters.
pub const UNICODE: Glyphs = Glyphs {
    lifeline: '│',
    shaft: '─',
    right: '▶',
    left: '◀',
    media: '═',
    crossing: '┼',
    lost: '✗',
};

/// Narrowest gap between two lifelines.
const MIN_GAP: usize = 12;
/// Narrowest gap when squeezing into `--width`.
const SQUEEZED_GAP: usize = 6;
/// Widest line of a participant's name in the header.
const HEADER_WRAP: usize = 24;

/// ANSI colour of a class of message.
fn colour(class: ArrowClass, retransmission: bool) -> &'static str {
    if retransmission {
        return "2";
    }
    match class {
        ArrowClass::Request => "1;36",
        ArrowClass::Provisional => "33",
        ArrowClass::Success => "32",
        ArrowClass::Redirect => "34",
        ArrowClass::Failure => "31",
    }
}

/// Replaces control characters from the capture, so a User-Agent cannot move the cursor or
/// change the terminal's colours.
pub fn sanitize(text: &str) -> String {
    // Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) would make a line read
    // differently from what it holds: replaced like control characters.
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Cuts text to `width` characters, marking the cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// Splits a name on spaces into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(fit(word, width)),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// One row of characters, each with an optional colour.
struct Row {
    cells: Vec<(char, Option<&'static str>)>,
}

impl Row {
    fn new(width: usize) -> Row {
        Row {
            cells: vec![(' ', None); width],
        }
    }

    fn put(&mut self, x: usize, c: char, style: Option<&'static str>) {
        if let Some(cell) = self.cells.get_mut(x) {
            *cell = (c, style);
        }
    }

    fn text(&mut self, x: usize, text: &str, style: Option<&'static str>) {
        for (i, c) in text.chars().enumerate() {
            self.put(x + i, c, style);
        }
    }

    fn write(&self, out: &mut dyn Write, colour: bool) -> io::Result<()> {
        let end = self
            .cells
            .iter()
            .rposition(|(c, _)| *c != ' ')
            .map_or(0, |i| i + 1);
        let mut line = String::new();
        let mut current: Option<&str> = None;
        for (c, style) in self.cells.iter().take(end) {
            let style = if colour { *style } else { None };
            if style != current {
                line.push_str("\x1b[0m");
                if let Some(s) = style {
                    line.push_str(&format!("\x1b[{s}m"));
                }
                current = style;
            }
            line.push(*c);
        }
        if current.is_some() {
            line.push_str("\x1b[0m");
        }
        writeln!(out, "{}", line.replace("\x1b[0m\x1b[0m", "\x1b[0m"))
    }
}

/// Draws the ladder as text: `width` caps every line, `colour` adds ANSI colours.
pub fn draw(
    model: &LadderModel,
    glyphs: &Glyphs,
    width: Option<usize>,
    colour: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    draw_marked(model, glyphs, width, colour, out).map(|_| ())
}

/// Counts the lines written through it.
struct LineCounter<'w> {
    inner: &'w mut dyn Write,
    lines: usize,
}

impl Write for LineCounter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.lines += buf.iter().take(n).filter(|&&b| b == b'\n').count();
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// [`draw`], returning for each arrow the line its label is on (its arrow is the next line):
/// an interactive view highlights and scrolls to the message selected.
pub fn draw_marked(
    model: &LadderModel,
    glyphs: &Glyphs,
    width: Option<usize>,
    colour: bool,
    out: &mut dyn Write,
) -> io::Result<Vec<usize>> {
    let mut out = LineCounter {
        inner: out,
        lines: 0,
    };
    let out = &mut out;
    let mut marks = vec![0; model.arrows.len()];
    let n = model.participants.len();
    let times: Vec<Option<String>> = (0..model.arrows.len()).map(|i| model.time_of(i)).collect();
    let time_width = times
        .iter()
        .flatten()
        .map(|t| t.chars().count() + 2)
        .max()
        .unwrap_or(0);
    let labels: Vec<String> = model.arrows.iter().map(arrow_text).collect();
    // Name (unless it is the address), role, address; the roles on one row of their own,
    // so that the names stay on theirs.
    let roles = model.participants.iter().any(|p| p.role.is_some());
    let headers: Vec<Vec<String>> = model
        .participants
        .iter()
        .map(|p| {
            let mut lines = if p.label == p.address {
                Vec::new()
            } else {
                wrap(&sanitize(&p.label), HEADER_WRAP)
            };
            if roles {
                lines.push(model.role_line(p).unwrap_or_default());
            }
            lines.push(fit(&p.address, HEADER_WRAP * 2));
            lines
        })
        .collect();
    let header_width = |i: usize| {
        headers.get(i).map_or(0, |h| {
            h.iter().map(|l| l.chars().count()).max().unwrap_or(0)
        })
    };

    // Gaps between neighbouring lifelines: wide enough for the headers and every label.
    let mut gaps: Vec<usize> = (0..n.saturating_sub(1))
        .map(|i| MIN_GAP.max((header_width(i) + header_width(i + 1)) / 2 + 3))
        .collect();
    let mut spans: Vec<(usize, usize, usize)> = model
        .arrows
        .iter()
        .zip(&labels)
        .map(|(a, l)| (a.from.min(a.to), a.from.max(a.to), l.chars().count() + 4))
        .collect();
    spans.extend(
        model
            .media
            .iter()
            .map(|m| (m.from, m.to, m.label.chars().count() + 4)),
    );
    for &(lo, hi, need) in &spans {
        if hi > lo {
            let have: usize = gaps.get(lo..hi).map_or(0, |g| g.iter().sum());
            if have < need {
                if let Some(g) = gaps.get_mut(hi - 1) {
                    *g += need - have;
                }
            }
        }
    }
    let left_margin = (header_width(0) / 2 + 1).max(2);
    let right_margin = n.checked_sub(1).map_or(0, |l| header_width(l) / 2 + 1);
    let mut total = time_width + left_margin + gaps.iter().sum::<usize>() + right_margin + 1;
    if let Some(limit) = width {
        if total > limit {
            // Squeeze: share what is left among the gaps; labels are cut to fit.
            let fixed = time_width + 3 + 1;
            let room = limit.saturating_sub(fixed);
            let each = (room / gaps.len().max(1)).max(SQUEEZED_GAP);
            for g in gaps.iter_mut() {
                *g = each;
            }
            total = (time_width + 2 + each * gaps.len() + 1).min(limit.max(1));
        }
    }
    let left = if width.is_some_and(|w| {
        w < time_width + left_margin + gaps.iter().sum::<usize>() + right_margin + 1
    }) {
        time_width + 2
    } else {
        time_width + left_margin
    };
    let xs: Vec<usize> = std::iter::once(left)
        .chain(gaps.iter().scan(left, |x, g| {
            *x += g;
            Some(*x)
        }))
        .collect();
    let row_width = total.max(xs.last().map_or(0, |x| x + 1));
    let lifelines = |row: &mut Row| {
        for &x in &xs {
            row.put(x, glyphs.lifeline, None);
        }
    };

    writeln!(
        out,
        "{}",
        fit(&sanitize(&model.title), width.unwrap_or(usize::MAX))
    )?;
    for d in &model.diagnosis {
        let line = format!("{} {}: {}", severity_mark(d.severity), d.code, d.text);
        let room = width.map_or(usize::MAX, |w| w.saturating_sub(4).max(20));
        for (n, piece) in wrap(&sanitize(&line), room).iter().enumerate() {
            let indent = if n == 0 { "  " } else { "    " };
            writeln!(out, "{indent}{piece}")?;
        }
    }
    writeln!(out)?;
    let header_lines = headers.iter().map(Vec::len).max().unwrap_or(0);
    for line in 0..header_lines {
        let mut row = Row::new(row_width);
        for (i, h) in headers.iter().enumerate() {
            // Header lines are bottom-aligned so the addresses line up.
            let offset = header_lines - h.len();
            let Some(text) = line.checked_sub(offset).and_then(|l| h.get(l)) else {
                continue;
            };
            let x = xs.get(i).copied().unwrap_or(0);
            let room = if width.is_some() {
                gaps.get(i).or(gaps.last()).copied().unwrap_or(HEADER_WRAP) - 1
            } else {
                usize::MAX
            };
            let text = fit(text, room);
            let start = x.saturating_sub(text.chars().count() / 2);
            row.text(start, &text, None);
        }
        row.write(out, colour)?;
    }
    let mut row = Row::new(row_width);
    lifelines(&mut row);
    row.write(out, colour)?;

    for step in model.steps() {
        match step {
            Step::Arrow(i, arrow) => {
                let Some(label) = labels.get(i) else {
                    continue;
                };
                if let Some(mark) = marks.get_mut(i) {
                    *mark = out.lines;
                }
                let style = Some(colour_of(arrow));
                let (lo, hi) = (arrow.from.min(arrow.to), arrow.from.max(arrow.to));
                let (xlo, xhi) = (
                    xs.get(lo).copied().unwrap_or(0),
                    xs.get(hi).copied().unwrap_or(0),
                );
                let room = if hi > lo {
                    xhi - xlo - 3
                } else {
                    row_width.saturating_sub(xlo + 3)
                };
                let mut text_row = Row::new(row_width);
                lifelines(&mut text_row);
                text_row.text(xlo + 2, &fit(label, room), style);
                text_row.write(out, colour)?;
                let mut arrow_row = Row::new(row_width);
                lifelines(&mut arrow_row);
                if let Some(Some(t)) = times.get(i) {
                    arrow_row.text(0, t, None);
                }
                if hi > lo {
                    for x in xlo + 1..xhi {
                        let c = if xs.contains(&x) {
                            glyphs.crossing
                        } else {
                            glyphs.shaft
                        };
                        arrow_row.put(x, c, style);
                    }
                    if arrow.to > arrow.from {
                        arrow_row.put(xhi - 1, glyphs.right, style);
                    } else {
                        arrow_row.put(xlo + 1, glyphs.left, style);
                    }
                } else {
                    // A message from an address to itself.
                    arrow_row.text(
                        xlo + 1,
                        &format!("{}{}{}", glyphs.shaft, glyphs.shaft, glyphs.left),
                        style,
                    );
                }
                arrow_row.write(out, colour)?;
                if let Some(icmp) = &arrow.icmp {
                    let mut note = Row::new(row_width);
                    lifelines(&mut note);
                    let text = fit(
                        &format!("{} ICMP {}", glyphs.lost, sanitize(icmp)),
                        room.max(20),
                    );
                    note.text(xlo + 2, &text, Some("31"));
                    note.write(out, colour)?;
                }
            }
            Step::Media(m) => {
                let (xlo, xhi) = (
                    xs.get(m.from).copied().unwrap_or(0),
                    xs.get(m.to).copied().unwrap_or(0),
                );
                // Media within one column (two addresses given one name) is drawn beside it,
                // like a message from an address to itself.
                let (xhi, room) = if xhi > xlo {
                    (xhi, xhi - xlo - 3)
                } else {
                    (xlo + 5, row_width.saturating_sub(xlo + 3))
                };
                let mut text_row = Row::new(row_width);
                lifelines(&mut text_row);
                text_row.text(xlo + 2, &fit(&m.label, room), Some("35"));
                text_row.write(out, colour)?;
                let mut media_row = Row::new(row_width);
                lifelines(&mut media_row);
                media_row.put(xlo + 1, glyphs.left, Some("35"));
                for x in xlo + 2..xhi - 1 {
                    media_row.put(x, glyphs.media, Some("35"));
                }
                media_row.put(xhi - 1, glyphs.right, Some("35"));
                media_row.write(out, colour)?;
            }
        }
    }
    let mut row = Row::new(row_width);
    lifelines(&mut row);
    row.write(out, colour)?;
    Ok(marks)
}

fn colour_of(arrow: &super::model::Arrow) -> &'static str {
    colour(arrow.class, arrow.retransmission)
}

/// An arrow's label as the seed writes it: the message, then its number.
fn arrow_text(arrow: &super::model::Arrow) -> String {
    let mut text = sanitize(&arrow.summary);
    if let Some(t) = &arrow.transport {
        text.push_str(&format!(" [{t}]"));
    }
    text.push(' ');
    text.push_str(&arrow.label);
    if arrow.retransmission {
        text.push_str(" (retransmission)");
    }
    text
}

/// How a diagnosis line starts: its severity in brackets.
fn severity_mark(severity: crate::correlate::diagnosis::Severity) -> &'static str {
    use crate::correlate::diagnosis::Severity;
    match severity {
        Severity::Error => "[error]",
        Severity::Warning => "[warning]",
        Severity::Info => "[info]",
    }
}
