//! The call list as a table: only the rows that fit are built (a capture may hold millions).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use crate::tui::list::{CallList, Column};
use crate::view::CallRow;

/// Draws the rows around the selected one.
pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, list: &CallList) {
    if list.is_empty() {
        let text = if list.all().is_empty() {
            " No SIP calls, registrations or other exchanges in the capture."
        } else {
            " No call matches: Esc clears the search, F changes the filters."
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    // One line for the heading.
    let height = usize::from(area.height.saturating_sub(1)).max(1);
    let offset = (list.selected() + 1).saturating_sub(height);
    let (sorted, reversed) = list.sort;
    let header = Row::new(Column::ALL.map(|c| {
        let mark = match (c == sorted, reversed) {
            (false, _) => "",
            (true, false) => " ▲",
            (true, true) => " ▼",
        };
        Cell::from(format!("{}{mark}", c.title()))
    }))
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let rows: Vec<Row<'_>> = list
        .shown()
        .skip(offset)
        .take(height)
        .map(|r| Row::new(cells(r)))
        .collect();
    // The number column as wide as the largest number and the sort mark.
    let digits = list
        .all()
        .iter()
        .map(|r| r.id)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    let widths = [
        Constraint::Length(u16::try_from(digits + 2).unwrap_or(8)),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Fill(3),
        Constraint::Length(10),
        Constraint::Length(16),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Min(9),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::new())
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(Some(list.selected() - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A row's cells, in [`Column::ALL`] order.
fn cells(r: &CallRow) -> [String; 10] {
    let messages = if r.retransmissions > 0 {
        format!("{} ({}r)", r.messages, r.retransmissions)
    } else {
        r.messages.to_string()
    };
    [
        // Numbers are given when the reading is over.
        if r.id == 0 {
            "…".to_string()
        } else {
            r.id.to_string()
        },
        r.kind.clone(),
        r.start_time().to_string(),
        // An attack's row says what it is where the addresses would be.
        if r.to.is_empty() {
            r.from.clone()
        } else {
            format!("{} → {}", short_uri(&r.from), short_uri(&r.to))
        },
        r.state.clone(),
        r.status.clone(),
        messages,
        r.setup.clone(),
        r.duration.clone(),
        r.problems.clone(),
    ]
}

/// A URI without its parameters or scheme, as a list has room for.
fn short_uri(uri: &str) -> &str {
    let uri = uri.split(';').next().unwrap_or(uri);
    uri.strip_prefix("sip:").unwrap_or(uri)
}
