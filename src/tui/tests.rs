//! The browser's screens drawn on ratatui's `TestBackend` from the state the keys leave, and
//! compared with reviewed snapshots; the keys' effects checked without a terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::{App, Effect, Screen};
use super::call::OpenCall;
use super::list::Column;
use super::session::Session;
use crate::correlate::JoinPolicy;
use crate::explain::Lang;
use crate::render::model::Aliases;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// A browser over samples, loaded, as the event loop leaves it after the first reading.
fn browser(names: &[&str]) -> (Session, App) {
    let captures: Vec<PathBuf> = names.iter().map(|n| sample(n)).collect();
    let session = Session::read(captures, JoinPolicy::All).unwrap();
    let mut app = App::new(names.join(", "), Lang::En, Aliases::default());
    app.loaded(session.list());
    (session, app)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses keys, opening calls as the event loop would.
fn press(session: &Session, app: &mut App, keys: &[KeyCode]) -> Effect {
    let mut last = Effect::None;
    for &code in keys {
        last = app.on_key(key(code));
        if let Effect::Open(id) = last {
            let data = session.open(id).unwrap().unwrap();
            app.open(OpenCall::new(data, &app.aliases, app.lang, app.time));
        }
    }
    last
}

fn typed(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

/// The screen as text, one line per row.
fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| super::draw::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            let line: String = (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_list_shows_one_row_per_exchange() {
    let (_, app) = browser(&["lab-register-invite.pcap", "lab-busy.pcap"]);
    insta::assert_snapshot!("list", screen(&app, 120, 16));
}

#[test]
fn enter_opens_the_ladder_with_the_selected_message_explained() {
    let (session, mut app) = browser(&["seed-call.pcap"]);
    let rows: Vec<_> = app.list.shown().map(|r| (r.id, r.kind.clone())).collect();
    let call = rows.iter().position(|(_, k)| k == "call").unwrap();
    let mut keys = vec![KeyCode::Down; call];
    keys.extend([KeyCode::Enter, KeyCode::Down, KeyCode::Down]);
    press(&session, &mut app, &keys);
    assert_eq!(app.screen, Screen::Call);
    insta::assert_snapshot!("ladder_f3", screen(&app, 120, 44));
}

#[test]
fn the_explanation_pane_speaks_french_after_l() {
    let (session, mut app) = browser(&["seed-register.pcap"]);
    press(&session, &mut app, &[KeyCode::Enter, KeyCode::Char('l')]);
    assert_eq!(app.lang, Lang::Fr);
    insta::assert_snapshot!("explained_fr", screen(&app, 170, 40));
}

#[test]
fn slash_narrows_the_list_as_it_is_typed() {
    let (session, mut app) = browser(&["lab-register-invite.pcap", "lab-busy.pcap"]);
    let mut keys = vec![KeyCode::Char('/')];
    keys.extend(typed("busy"));
    press(&session, &mut app, &keys);
    assert_eq!(app.list.len(), 1);
    insta::assert_snapshot!("search_busy", screen(&app, 120, 8));
    // Esc clears the search and the whole list is back.
    press(&session, &mut app, &[KeyCode::Esc]);
    assert_eq!(app.list.len(), app.list.all().len());
}

#[test]
fn f_applies_the_command_line_filters() {
    let (session, mut app) = browser(&["lab-register-invite.pcap", "lab-busy.pcap"]);
    let mut keys = vec![KeyCode::Char('F')];
    keys.extend(typed("--method INVITE --status 2xx"));
    keys.push(KeyCode::Enter);
    press(&session, &mut app, &keys);
    let kinds: Vec<_> = app.list.shown().map(|r| r.status.clone()).collect();
    assert_eq!(kinds, ["200 OK", "200 OK", "200 OK"]);
    insta::assert_snapshot!("filters", screen(&app, 120, 8));
    // A bad filter says why and leaves the line open for a fix.
    let mut keys = vec![KeyCode::Char('F')];
    keys.extend(typed(" --status 9"));
    keys.push(KeyCode::Enter);
    press(&session, &mut app, &keys);
    assert!(app.status.contains("--status"), "{}", app.status);
    assert!(app.prompt.is_some());
    assert!(super::filters::parse("--join none").is_err());
}

#[test]
fn question_mark_shows_the_keys() {
    let (session, mut app) = browser(&["lab-busy.pcap"]);
    press(&session, &mut app, &[KeyCode::Char('?')]);
    insta::assert_snapshot!("help", screen(&app, 100, 30));
    // Any key closes it.
    press(&session, &mut app, &[KeyCode::Char('x')]);
    assert!(!app.help);
}

#[test]
fn columns_sort_both_ways() {
    let (session, mut app) = browser(&["lab-register-invite.pcap", "lab-busy.pcap"]);
    // `>` five times: Number, Kind, Start, FromTo, State, then Final.
    press(&session, &mut app, &[KeyCode::Char('>'); 5]);
    assert_eq!(app.list.sort, (Column::Final, false));
    let codes: Vec<u16> = app.list.shown().map(|r| r.status_code).collect();
    assert_eq!(codes.last(), Some(&486));
    press(&session, &mut app, &[KeyCode::Char('i')]);
    let first = app.list.shown().next().map(|r| r.status_code);
    assert_eq!(first, Some(486));
}

#[test]
fn times_and_back_and_quit() {
    let (session, mut app) = browser(&["lab-busy.pcap"]);
    let calls: Vec<_> = app.list.shown().map(|r| r.kind.clone()).collect();
    let at = calls.iter().position(|k| k == "call").unwrap();
    let mut keys = vec![KeyCode::Down; at];
    keys.push(KeyCode::Enter);
    press(&session, &mut app, &keys);
    let call = app.call.as_ref().unwrap();
    let before = call.lines.clone();
    press(&session, &mut app, &[KeyCode::Char('t')]);
    let after = &app.call.as_ref().unwrap().lines;
    assert_ne!(&before, after, "t changes the times beside the arrows");
    assert!(after.iter().any(|l| l.contains("+0.")), "delta times");
    press(&session, &mut app, &[KeyCode::Esc]);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(app.on_key(key(KeyCode::Char('q'))), Effect::Quit);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.on_key(ctrl_c), Effect::Quit);
}

#[test]
fn a_ladder_wider_than_the_screen_scrolls_sideways() {
    let (session, mut app) = browser(&["lab-register-invite.pcap"]);
    let at = app.list.shown().position(|r| r.kind == "call").unwrap();
    let mut keys = vec![KeyCode::Down; at];
    keys.push(KeyCode::Enter);
    press(&session, &mut app, &keys);
    let narrow = screen(&app, 60, 30);
    assert!(narrow.contains("←→ scroll"), "{narrow}");
    press(&session, &mut app, &[KeyCode::Right, KeyCode::Right]);
    assert_eq!(app.call.as_ref().unwrap().hscroll, 16);
    insta::assert_snapshot!("ladder_scrolled", screen(&app, 60, 30));
}

#[test]
fn a_large_list_draws_the_rows_around_the_selection() {
    let (session, mut app) = browser(&["lab-busy.pcap"]);
    let first = session.loaded.correlation.calls.first().unwrap().clone();
    let many: Vec<_> = (1..=100_000)
        .map(|id| crate::correlate::CallSummary {
            id,
            ..first.clone()
        })
        .collect();
    app.loaded(super::list::CallList::new(many));
    app.list.jump(true);
    let text = screen(&app, 120, 10);
    let last = text.lines().nth(8).unwrap_or_default();
    assert!(last.starts_with("▶ 100000 "), "{text}");
    assert!(text.contains("99994 "), "{text}");
}

#[test]
fn calls_over_are_listed_while_the_capture_is_read() {
    let (session, _) = browser(&["lab-register-invite.pcap"]);
    let mut app = App::new(
        "lab-register-invite.pcap".into(),
        Lang::En,
        Aliases::default(),
    );
    // What the reading thread sends: calls summed up, not numbered yet.
    let early: Vec<_> = session
        .loaded
        .correlation
        .calls
        .iter()
        .take(2)
        .map(|c| crate::correlate::CallSummary { id: 0, ..c.clone() })
        .collect();
    app.early(early);
    app.loading = Some(0.4);
    insta::assert_snapshot!("loading", screen(&app, 120, 6));
    // Enter asks for a call that has no number yet: the loop answers it opens later.
    assert_eq!(app.on_key(key(KeyCode::Enter)), Effect::Open(0));
    app.loaded(session.list());
    assert_eq!(app.list.all().len(), 7);
    assert_eq!(app.list.selected_row().map(|r| r.id), Some(1));
}

#[test]
fn an_attack_is_one_row_until_a_lists_its_exchanges() {
    let (session, mut app) = browser(&["attack/enum.pcap", "lab-busy.pcap"]);
    let all = session.loaded.correlation.calls.len();
    assert_eq!(
        app.list.len(),
        all - 299,
        "the 300 exchanges of the attack as one row"
    );
    insta::assert_snapshot!("attack_row", screen(&app, 150, 8));
    press(&session, &mut app, &[KeyCode::Char('a')]);
    assert_eq!(app.list.len(), all);
    press(&session, &mut app, &[KeyCode::Char('a'), KeyCode::Enter]);
    assert_eq!(app.call.as_ref().map(|c| c.data.call.id), Some(1));
}
