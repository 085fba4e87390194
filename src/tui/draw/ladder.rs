//! The ladder pane: the Unicode ladder of `flow`, scrolled to keep the selected message in
//! sight, and sideways when it is wider than the pane (it is never squeezed or cut).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::render::model::{Arrow, ArrowClass};
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
    let selected = Style::new()
        .add_modifier(Modifier::REVERSED)
        .add_modifier(Modifier::BOLD);
    // The style of each arrow's two lines: its class's colour, as `flow` colours them.
    let mut styles = vec![Style::new(); call.lines.len()];
    for (arrow, &mark) in call.model.arrows.iter().zip(&call.marks) {
        for line in [mark, mark + 1] {
            if let Some(style) = styles.get_mut(line) {
                *style = class_style(arrow);
            }
        }
    }
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
                Line::styled(shown, styles.get(n).copied().unwrap_or_default())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The colour of an arrow's class (dim for a retransmission), as the Unicode ladder of `flow`
/// has them on a terminal.
fn class_style(arrow: &Arrow) -> Style {
    if arrow.retransmission {
        return Style::new().add_modifier(Modifier::DIM);
    }
    match arrow.class {
        ArrowClass::Request => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ArrowClass::Provisional => Style::new().fg(Color::Yellow),
        ArrowClass::Success => Style::new().fg(Color::Green),
        ArrowClass::Redirect => Style::new().fg(Color::Blue),
        ArrowClass::Failure => Style::new().fg(Color::Red),
    }
}
