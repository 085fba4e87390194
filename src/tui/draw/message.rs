//! The message pane: the selected message as captured, or its first line and each header
//! with what it means, in the language chosen. Long lines wrap under their own text, so that
//! a header's bullets stay readable in a narrow pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::explain::Lang;
use crate::render::html::MessageView;
use crate::tui::call::OpenCall;

/// Draws the selected message of `call`.
pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, call: &OpenCall, lang: Lang, raw: bool) {
    let Some(m) = call.message() else {
        frame.render_widget(
            Paragraph::new(" No message was kept for this call.").block(Block::bordered()),
            area,
        );
        return;
    };
    let title = format!(
        " {} · frame {} · {} ({}) · x {} ",
        m.label,
        m.frame,
        m.path,
        m.transport,
        if raw { "explained" } else { "raw" }
    );
    let block = Block::bordered().title(title);
    let width = usize::from(block.inner(area).width).max(8);
    let paragraph = Paragraph::new(Pane::new(width).of(m, lang, raw))
        .block(block)
        .scroll((call.detail_scroll, 0));
    frame.render_widget(paragraph, area);
}

/// Lines wrapped to the pane's width.
struct Pane {
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Pane {
    fn new(width: usize) -> Pane {
        Pane {
            width,
            lines: Vec::new(),
        }
    }

    /// Adds `text`, its continuation lines indented by `indent`; the first `head` characters
    /// take `head_style`, the rest `style`.
    fn push(&mut self, text: &str, indent: usize, style: Style, head: usize, head_style: Style) {
        for (n, piece) in wrap(text, self.width, indent).into_iter().enumerate() {
            if n == 0 && head > 0 {
                let cut = piece
                    .char_indices()
                    .nth(head)
                    .map_or(piece.len(), |(i, _)| i);
                let (a, b) = piece.split_at(cut);
                self.lines.push(Line::from(vec![
                    Span::styled(a.to_string(), head_style),
                    Span::styled(b.to_string(), style),
                ]));
            } else {
                self.lines.push(Line::styled(piece, style));
            }
        }
    }

    fn text(&mut self, text: &str, indent: usize, style: Style) {
        self.push(text, indent, style, 0, style);
    }

    /// The pane's text: the message as captured (`raw`), or explained.
    fn of(mut self, m: &MessageView, lang: Lang, raw: bool) -> Vec<Line<'static>> {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let name = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        let warn = Style::new().fg(Color::Red);
        self.text(&format!("{} (+{} s)", m.time, m.relative), 0, plain);
        if m.retransmission {
            self.text("retransmission", 0, warn);
        }
        if let Some(icmp) = &m.icmp {
            self.text(&format!("ICMP: {icmp}"), 6, warn);
        }
        self.text("", 0, plain);
        let explanation = m
            .explanations
            .iter()
            .find(|e| e.lang == lang.code())
            .or_else(|| m.explanations.first());
        let Some(exp) = explanation.filter(|_| !raw) else {
            for line in m.raw.lines() {
                self.text(line, 4, plain);
            }
            return self.lines;
        };
        self.text(&exp.summary, 0, bold);
        self.text(&m.first_line, 4, name);
        for line in &exp.first_line {
            self.text(&format!("  {line}"), 4, plain);
        }
        for h in &exp.headers {
            let head = h.name.chars().count() + 1;
            self.push(&format!("{}: {}", h.name, h.value), 4, plain, head, name);
            for line in &h.lines {
                self.text(&format!("  • {line}"), 4, plain);
            }
        }
        if !exp.notes.is_empty() {
            self.text("", 0, plain);
            for note in &exp.notes {
                self.text(&format!("⚑ {note}"), 2, Style::new().fg(Color::Yellow));
            }
        }
        self.lines
    }
}

/// `text` cut into lines of at most `width` characters, at spaces when it can (a word longer
/// than a line is cut where it must), continuation lines starting with `indent` spaces.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let indent = indent.min(width / 2);
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut rest = chars.as_slice();
    loop {
        let prefix = if lines.is_empty() { 0 } else { indent };
        let room = width.saturating_sub(prefix).max(1);
        let pad = " ".repeat(prefix);
        if rest.len() <= room {
            lines.push(pad + &rest.iter().collect::<String>());
            return lines;
        }
        // The last space that leaves some text on this line, else a cut mid-word.
        let leading = rest.iter().take_while(|c| **c == ' ').count();
        let space = rest
            .get(..=room)
            .and_then(|head| head.iter().rposition(|c| *c == ' '))
            .filter(|&at| at > leading);
        let (end, next) = space.map_or((room, room), |at| (at, at + 1));
        let piece: String = rest.get(..end).unwrap_or_default().iter().collect();
        lines.push(pad + &piece);
        rest = rest.get(next..).unwrap_or_default();
        while let [' ', tail @ ..] = rest {
            rest = tail;
        }
        if rest.is_empty() {
            return lines;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_under_their_text() {
        assert_eq!(
            wrap("  • one two three four", 12, 4),
            ["  • one two", "    three", "    four"]
        );
        assert_eq!(
            wrap("Via: abcdefghijkl", 8, 2),
            ["Via:", "  abcdef", "  ghijkl"]
        );
        assert_eq!(wrap("", 10, 2), [""]);
        assert_eq!(wrap("short", 10, 2), ["short"]);
    }
}
