//! The ladder pane: the Unicode ladder of `flow`, scrolled to keep the selected message in
//! sight, and sideways when it is wider than the pane (it is never squeezed or cut).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::tui::call::OpenCall;

/// Draws the ladder of `call`.
pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, call: &OpenCall) {
    let wide = call.width() + 2 > usize::from(area.width.saturating_sub(2));
    let title = format!(
        " #{} ladder{} ",
        call.data.call.id,
        if wide { " · ←→ scroll" } else { "" }
    );
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let mark = call.marks.get(call.selected).copied();
    let offset = match mark {
        Some(m) if call.lines.len() > height => {
            m.saturating_sub(height / 3).min(call.lines.len() - height)
        }
        _ => 0,
    };
    let selected = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let lines: Vec<Line<'_>> = call
        .lines
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(n, text)| {
            let chosen = mark.is_some_and(|m| n == m || n == m + 1);
            let gutter = if mark == Some(n) { "▶ " } else { "  " };
            let shown: String = gutter
                .chars()
                .chain(text.chars().skip(call.hscroll))
                .take(width)
                .collect();
            if chosen {
                Line::styled(shown, selected)
            } else {
                Line::raw(shown)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
