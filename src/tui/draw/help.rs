//! `?`: the keys, over the screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// Every key and what it does.
const KEYS: [(&str, &str); 23] = [
    ("List", ""),
    ("  ↑ ↓ PgUp PgDn Home End", "choose a call"),
    ("  Enter", "open its ladder"),
    (
        "  /",
        "search as you type (number, address, URI, state, code)",
    ),
    (
        "  F",
        "filters of the command line (--from alice --status 4xx)",
    ),
    ("  < >", "sort by the previous or next column"),
    ("  i", "reverse the order"),
    (
        "  a",
        "attacks: one row each, or their exchanges one by one",
    ),
    ("  Esc", "clear the search"),
    ("Ladder", ""),
    ("  ↑ ↓ Home End", "choose a message"),
    ("  ← →", "scroll a wide ladder sideways"),
    ("  PgUp PgDn Space", "scroll the explanation"),
    ("  x", "the message as captured / explained"),
    ("  Esc Backspace", "back to the list"),
    ("Everywhere", ""),
    ("  l", "French / English"),
    ("  t", "times: relative, since the previous, absolute"),
    ("  e", "export the call with its RTP to a pcap"),
    (
        "  r",
        "HTML report of the calls listed (the call, on a ladder)",
    ),
    ("  s", "save the ladder (.svg .mmd .puml .json, else text)"),
    ("  ?", "this help (any key closes it)"),
    ("  q Ctrl-C", "quit"),
];

/// Draws the help in the middle of `area`.
pub(super) fn draw(frame: &mut Frame<'_>, area: Rect) {
    let height = u16::try_from(KEYS.len() + 2).unwrap_or(u16::MAX);
    let [column] = Layout::horizontal([Constraint::Length(84)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(column);
    let lines: Vec<Line<'_>> = KEYS
        .iter()
        .map(|(key, what)| Line::raw(format!("{key:<26}{what}")))
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        popup,
    );
}
