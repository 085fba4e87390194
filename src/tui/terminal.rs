//! The terminal: raw mode and the alternate screen while the browser runs, restored however
//! it ends (return, error or panic), and the event loop that feeds keys to the state.

use std::io::{self, Stdout};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::app::{App, Effect};
use super::call::OpenCall;
use super::session::{Loader, Session};
use super::{Config, TuiError, actions, draw};

/// Raw mode and the alternate screen, left when dropped.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        enable_raw_mode()?;
        let guard = Guard;
        execute!(io::stdout(), EnterAlternateScreen, crossterm::cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell left it.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Runs the browser until the reader quits.
pub(super) fn run(config: Config) -> Result<(), TuiError> {
    // A panic restores the terminal before its message is printed, so that it can be read.
    let previous = std::sync::Arc::new(std::panic::take_hook());
    let chained = std::sync::Arc::clone(&previous);
    std::panic::set_hook(Box::new(move |info| {
        restore();
        chained(info);
    }));
    let result = (|| {
        let _guard = Guard::enter()?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        event_loop(&mut terminal, config)
    })();
    let _ = std::panic::take_hook();
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    config: Config,
) -> Result<(), TuiError> {
    let mut app = App::new(config.inputs_label(), config.lang, config.aliases.clone());
    if let Some(text) = &config.filters {
        app.list.filter_text = text.clone();
    }
    let loader = Loader::start(config.captures.clone(), config.join);
    let mut session: Option<Session> = None;
    loop {
        if session.is_none() {
            app.loading = Some(loader.fraction());
            app.early(loader.early());
            if let Some(result) = loader.poll() {
                let opened = Session::new(config.captures.clone(), config.join, result?);
                app.loaded(opened.list());
                session = Some(opened);
            }
        }
        terminal.draw(|frame| draw::draw(frame, &app))?;
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match app.on_key(key) {
            Effect::None => {}
            Effect::Quit => return Ok(()),
            Effect::Open(id) => {
                let Some(session) = &session else {
                    app.status = "Calls open when the reading is over.".to_string();
                    continue;
                };
                app.status = format!("Reading call {id}…");
                terminal.draw(|frame| draw::draw(frame, &app))?;
                match session.open(id) {
                    Ok(Some(data)) => {
                        app.status.clear();
                        app.open(OpenCall::new(data, &app.aliases, app.lang, app.time));
                    }
                    Ok(None) => app.status = format!("Call {id} is not in the capture."),
                    Err(e) => app.status = format!("Cannot read call {id}: {e}"),
                }
            }
            Effect::Write(action, id, path) => {
                let Some(session) = &session else {
                    app.status = "Files are written when the reading is over.".to_string();
                    continue;
                };
                app.status = match actions::write(session, &app, action, id, &path) {
                    Ok(done) => done,
                    Err(e) => format!("Cannot write {}: {e}", path.display()),
                };
            }
        }
    }
}
