//! The browser's state and what each key does to it: pure, so that tests drive it without a
//! terminal. What needs the capture or the disk (opening a call, writing a file) is returned
//! as an [`Effect`] for the event loop to carry out.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::correlate::CallSummary;
use crate::explain::Lang;
use crate::render::model::{Aliases, TimeMode};

use super::call::OpenCall;
use super::filters;
use super::list::CallList;

/// What is on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The call list.
    List,
    /// The ladder of the opened call, with the selected message beside it.
    Call,
}

/// A file the browser writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The call's frames and its RTP, as a pcap (`e`).
    Export,
    /// The HTML report of the opened call (`r` on its ladder).
    Report,
    /// The HTML report of the calls listed (`r` on the list).
    ReportListed,
    /// The ladder, in the format the file's extension names (`s`).
    Ladder,
}

impl Action {
    fn question(self) -> &'static str {
        match self {
            Action::Export => "Export the call (with RTP) to pcap file: ",
            Action::Report => "Write the HTML report of the call to: ",
            Action::ReportListed => "Write the HTML report of the calls listed to: ",
            Action::Ladder => "Save the ladder (.svg, .mmd, .puml, .json, else text) to: ",
        }
    }

    fn default_name(self, id: usize) -> String {
        match self {
            Action::Export => format!("call{id}.pcap"),
            Action::Report => format!("call{id}.html"),
            Action::ReportListed => "report.html".to_string(),
            Action::Ladder => format!("call{id}.txt"),
        }
    }
}

/// A line being typed at the bottom of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// `/`: the list narrows as the text is typed.
    Quick,
    /// `F`: the command line's filters (`--from alice --status 4xx`).
    Filters(String),
    /// A file name for an action.
    File(Action, String),
}

/// What the event loop must do after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more: draw again.
    None,
    /// Restore the terminal and end.
    Quit,
    /// Read call `id`'s messages and open it.
    Open(usize),
    /// Write a file for call `id`.
    Write(Action, usize, PathBuf),
}

/// Everything the screen shows.
#[derive(Debug)]
pub struct App {
    /// What the browser reads, for the title line.
    pub inputs: String,
    /// The list (empty while loading).
    pub list: CallList,
    /// The opened call.
    pub call: Option<OpenCall>,
    /// The current screen.
    pub screen: Screen,
    /// The line being typed.
    pub prompt: Option<Prompt>,
    /// The key help is shown over the screen.
    pub help: bool,
    /// Language of explanations and ladder titles.
    pub lang: Lang,
    /// How times beside arrows are shown.
    pub time: TimeMode,
    /// Names given to addresses.
    pub aliases: Aliases,
    /// The message pane shows the message as captured instead of explained.
    pub raw: bool,
    /// The part of the inputs read, while the first reading runs.
    pub loading: Option<f64>,
    /// A line of news: a file written, an error.
    pub status: String,
}

impl App {
    /// A browser of `inputs`, loading.
    pub fn new(inputs: String, lang: Lang, aliases: Aliases) -> App {
        App {
            inputs,
            list: CallList::default(),
            call: None,
            screen: Screen::List,
            prompt: None,
            help: false,
            lang,
            time: TimeMode::Rel,
            aliases,
            raw: false,
            loading: Some(0.0),
            status: String::new(),
        }
    }

    /// The first reading is over: its calls fill the list.
    pub fn loaded(&mut self, list: CallList) {
        let (quick, filter) = (self.list.quick.clone(), self.list.filter_text.clone());
        self.list = list;
        self.list.set_quick(&quick);
        if !filter.is_empty() {
            if let Ok(f) = filters::parse(&filter) {
                self.list.set_filter(&filter, f);
            }
        }
        self.loading = None;
    }

    /// Calls over while the reading goes on: listed at once, numbered when it ends.
    pub fn early(&mut self, calls: Vec<CallSummary>) {
        if !calls.is_empty() {
            self.list.extend(calls);
        }
    }

    /// Opens a call read by the event loop.
    pub fn open(&mut self, call: OpenCall) {
        self.call = Some(call);
        self.screen = Screen::Call;
    }

    /// The call the keys act on: the opened one, else the selected row.
    fn current_id(&self) -> Option<usize> {
        match (self.screen, &self.call) {
            (Screen::Call, Some(c)) => Some(c.data.call.id),
            _ => self.list.selected_row().map(|r| r.id),
        }
    }

    /// What a key does.
    pub fn on_key(&mut self, key: KeyEvent) -> Effect {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Effect::Quit;
        }
        if let Some(prompt) = self.prompt.take() {
            return self.on_prompt_key(prompt, key);
        }
        if self.help {
            // Any key closes the help; `q` still quits.
            self.help = false;
            return if key.code == KeyCode::Char('q') {
                Effect::Quit
            } else {
                Effect::None
            };
        }
        self.status.clear();
        match key.code {
            KeyCode::Char('q') => return Effect::Quit,
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('l') => self.switch_lang(),
            KeyCode::Char('t') => self.switch_time(),
            KeyCode::Char(c @ ('e' | 'r' | 's')) => {
                let action = match c {
                    'e' => Action::Export,
                    'r' if self.screen == Screen::List => Action::ReportListed,
                    'r' => Action::Report,
                    _ => Action::Ladder,
                };
                if let Some(id) = self.current_id() {
                    self.prompt = Some(Prompt::File(action, action.default_name(id)));
                }
            }
            _ => {
                return match self.screen {
                    Screen::List => self.on_list_key(key),
                    Screen::Call => self.on_call_key(key),
                };
            }
        }
        Effect::None
    }

    fn on_list_key(&mut self, key: KeyEvent) -> Effect {
        let page = 10;
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.list.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.list.move_by(1),
            KeyCode::PageUp => self.list.move_by(-page),
            KeyCode::PageDown => self.list.move_by(page),
            KeyCode::Home => self.list.jump(false),
            KeyCode::End => self.list.jump(true),
            KeyCode::Enter => {
                if let Some(row) = self.list.selected_row() {
                    return Effect::Open(row.id);
                }
            }
            KeyCode::Char('/') => self.prompt = Some(Prompt::Quick),
            KeyCode::Char('F') => {
                self.prompt = Some(Prompt::Filters(self.list.filter_text.clone()));
            }
            KeyCode::Char(c @ ('<' | '>')) => {
                let (column, reversed) = self.list.sort;
                self.list.sort_by(column.step(c == '>'), reversed);
            }
            KeyCode::Char('i') => {
                let (column, reversed) = self.list.sort;
                self.list.sort_by(column, !reversed);
            }
            KeyCode::Char('a') => self.list.toggle_attacks(),
            KeyCode::Esc | KeyCode::Backspace => {
                self.list.set_quick("");
            }
            _ => {}
        }
        Effect::None
    }

    fn on_call_key(&mut self, key: KeyEvent) -> Effect {
        let Some(call) = self.call.as_mut() else {
            self.screen = Screen::List;
            return Effect::None;
        };
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => call.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => call.move_by(1),
            KeyCode::Home => call.move_by(isize::MIN),
            KeyCode::End => call.move_by(isize::MAX),
            KeyCode::Left | KeyCode::Char('h') => call.hscroll = call.hscroll.saturating_sub(8),
            KeyCode::Right | KeyCode::Char('L') => {
                call.hscroll = (call.hscroll + 8).min(call.width().saturating_sub(8));
            }
            KeyCode::PageDown | KeyCode::Char(' ') => {
                call.detail_scroll = call.detail_scroll.saturating_add(10);
            }
            KeyCode::PageUp => call.detail_scroll = call.detail_scroll.saturating_sub(10),
            KeyCode::Char('x') => {
                self.raw = !self.raw;
                call.detail_scroll = 0;
            }
            KeyCode::Esc | KeyCode::Backspace => self.screen = Screen::List,
            _ => {}
        }
        Effect::None
    }

    fn on_prompt_key(&mut self, prompt: Prompt, key: KeyEvent) -> Effect {
        match prompt {
            Prompt::Quick => {
                let mut text = self.list.quick.clone();
                match key.code {
                    KeyCode::Enter => return Effect::None,
                    KeyCode::Esc => text.clear(),
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Char(c) => text.push(c),
                    _ => {}
                }
                self.list.set_quick(&text);
                if key.code != KeyCode::Esc {
                    self.prompt = Some(Prompt::Quick);
                }
            }
            Prompt::Filters(mut text) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter => match filters::parse(&text) {
                    Ok(filter) => self.list.set_filter(&text, filter),
                    Err(e) => {
                        self.status = e;
                        self.prompt = Some(Prompt::Filters(text));
                    }
                },
                _ => {
                    edit(&mut text, key);
                    self.prompt = Some(Prompt::Filters(text));
                }
            },
            Prompt::File(action, mut name) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter if !name.trim().is_empty() => {
                    if let Some(id) = self.current_id() {
                        return Effect::Write(action, id, PathBuf::from(name.trim()));
                    }
                }
                _ => {
                    edit(&mut name, key);
                    self.prompt = Some(Prompt::File(action, name));
                }
            },
        }
        Effect::None
    }

    /// The question and the text typed, for the bottom line.
    pub fn prompt_line(&self) -> Option<String> {
        Some(match self.prompt.as_ref()? {
            Prompt::Quick => format!("/{}", self.list.quick),
            Prompt::Filters(text) => format!(
                "Filters (--from --to --method --status --host --call --since --until): {text}"
            ),
            Prompt::File(action, name) => format!("{}{name}", action.question()),
        })
    }

    fn switch_lang(&mut self) {
        self.lang = match self.lang {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        };
        self.relayout();
    }

    fn switch_time(&mut self) {
        self.time = match self.time {
            TimeMode::Rel => TimeMode::Delta,
            TimeMode::Delta => TimeMode::Abs,
            TimeMode::Abs | TimeMode::None => TimeMode::Rel,
        };
        self.relayout();
    }

    fn relayout(&mut self) {
        if let Some(call) = self.call.as_mut() {
            call.layout(&self.aliases, self.lang, self.time);
        }
    }
}

/// Typing in a line: characters added, Backspace removes the last.
fn edit(text: &mut String, key: KeyEvent) {
    match key.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) => text.push(c),
        _ => {}
    }
}
