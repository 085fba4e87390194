//! The message pane: the selected message as captured, then what its first line and each
//! header mean, in the language chosen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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
    let paragraph = Paragraph::new(lines(m, lang, raw))
        .block(Block::bordered().title(title))
        .wrap(Wrap { trim: false })
        .scroll((call.detail_scroll, 0));
    frame.render_widget(paragraph, area);
}

/// The pane's text: the message as captured (`raw`), or its first line and each header
/// with what it means.
fn lines(m: &MessageView, lang: Lang, raw: bool) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let name = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let warn = Style::new().fg(Color::Red);
    let mut out = vec![Line::from(format!("{} (+{} s)", m.time, m.relative))];
    if m.retransmission {
        out.push(Line::styled("retransmission", warn));
    }
    if let Some(icmp) = &m.icmp {
        out.push(Line::styled(format!("ICMP: {icmp}"), warn));
    }
    out.push(Line::raw(""));
    let explanation = m
        .explanations
        .iter()
        .find(|e| e.lang == lang.code())
        .or_else(|| m.explanations.first());
    let Some(exp) = explanation.filter(|_| !raw) else {
        out.extend(m.raw.lines().map(|l| Line::raw(l.to_string())));
        return out;
    };
    out.push(Line::styled(exp.summary.clone(), bold));
    out.push(Line::styled(m.first_line.clone(), name));
    out.extend(exp.first_line.iter().map(|l| Line::raw(format!("  {l}"))));
    for h in &exp.headers {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", h.name), name),
            Span::raw(h.value.clone()),
        ]));
        out.extend(h.lines.iter().map(|l| Line::raw(format!("  • {l}"))));
    }
    if !exp.notes.is_empty() {
        out.push(Line::raw(""));
        out.extend(
            exp.notes
                .iter()
                .map(|n| Line::styled(format!("⚑ {n}"), Style::new().fg(Color::Yellow))),
        );
    }
    out
}
