//! Drawing the browser's state with ratatui: a title line, the list or the opened call, and a
//! line for typing or news. Nothing here changes the state.

mod help;
mod ladder;
mod list;
mod message;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::app::{App, Screen};
use crate::render::model::TimeMode;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let [top, main, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    title_line(frame, top, app);
    match (app.screen, &app.call) {
        (Screen::Call, Some(call)) => {
            // Side by side when there is room for both (the ladder as wide as it needs, up to
            // two thirds), else the message under the ladder.
            let (ladder_area, message_area) = if main.width >= 150 {
                let need = u16::try_from(call.width() + 4).unwrap_or(u16::MAX);
                let ladder = need.min(main.width * 2 / 3).max(main.width / 2);
                let [l, m] = Layout::horizontal([Constraint::Length(ladder), Constraint::Min(0)])
                    .areas(main);
                (l, m)
            } else {
                let [l, m] =
                    Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                        .areas(main);
                (l, m)
            };
            ladder::draw(frame, ladder_area, call);
            message::draw(frame, message_area, call, app.lang, app.raw);
        }
        _ => match app.loading {
            Some(fraction) if app.list.all().is_empty() => loading(frame, main, fraction),
            _ => list::draw(frame, main, &app.list),
        },
    }
    bottom_line(frame, bottom, app);
    if app.help {
        help::draw(frame, main);
    }
}

fn title_line(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let time = match app.time {
        TimeMode::Abs => "abs",
        TimeMode::Rel => "rel",
        TimeMode::Delta => "delta",
        TimeMode::None => "none",
    };
    let (column, reversed) = app.list.sort;
    let counts = if app.list.all().len() == 1 {
        "1 call".to_string()
    } else if app.list.len() == app.list.all().len() {
        format!("{} calls", app.list.all().len())
    } else {
        format!("{} of {} calls", app.list.len(), app.list.all().len())
    };
    let counts = if app.loading.is_some() {
        format!("{counts} so far")
    } else {
        counts
    };
    let mut text = format!(
        " sipladder · {} · {counts} · sort {} {} · {} · time {time}",
        app.inputs,
        column.title(),
        if reversed { "▼" } else { "▲" },
        app.lang.code(),
    );
    if !app.list.filter_text.is_empty() {
        text.push_str(&format!(" · {}", app.list.filter_text));
    }
    let style = Style::new().add_modifier(Modifier::REVERSED);
    frame.render_widget(Paragraph::new(text).style(style), area);
}

fn loading(frame: &mut Frame<'_>, area: Rect, fraction: f64) {
    let [_, gauge, _] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    loading_gauge(frame, gauge, fraction);
}

fn loading_gauge(frame: &mut Frame<'_>, area: Rect, fraction: f64) {
    let label = format!(
        "Reading the capture… {:.0}% (calls are numbered and open at the end)",
        fraction * 100.0
    );
    frame.render_widget(Gauge::default().ratio(fraction).label(label), area);
}

fn bottom_line(frame: &mut Frame<'_>, area: Rect, app: &App) {
    // While the capture is read, the rows already over are listed above the gauge.
    if let (Some(fraction), None, true) = (app.loading, &app.prompt, app.status.is_empty()) {
        if !app.list.all().is_empty() {
            loading_gauge(frame, area, fraction);
            return;
        }
    }
    let line = if let Some(prompt) = app.prompt_line() {
        Line::from(vec![Span::raw(prompt), Span::raw("▏")])
    } else if !app.status.is_empty() {
        Line::from(app.status.as_str())
    } else {
        let keys = match app.screen {
            Screen::List => {
                " Enter ladder · / search · F filters · < > sort · i reverse · e r s write · l lang · t time · ? help · q quit"
            }
            Screen::Call => {
                " ↑↓ message · ←→ scroll · PgUp PgDn explanation · x raw · e r s write · l lang · t time · Esc back · ? help · q quit"
            }
        };
        Line::from(Span::styled(keys, Style::new().add_modifier(Modifier::DIM)))
    };
    frame.render_widget(Paragraph::new(line), area);
}
