//! An opened call: its ladder drawn as text lines (the Unicode ladder of `flow`), which
//! message is selected, and that message's raw text and explanations. Only the state;
//! drawing is elsewhere.

use crate::explain::Lang;
use crate::render::html::MessageView;
use crate::render::model::{Aliases, LadderModel, LadderOptions, TimeMode};
use crate::render::text::{UNICODE, draw_marked};
use crate::view::message_views;

use super::session::CallData;

/// A call opened from the list.
#[derive(Clone, Debug)]
pub struct OpenCall {
    /// The call and its messages.
    pub data: CallData,
    /// Its ladder, in the language and time mode chosen.
    pub model: LadderModel,
    /// The ladder as lines of text.
    pub lines: Vec<String>,
    /// For each message, the line of its arrow's label.
    pub marks: Vec<usize>,
    /// Its messages with their explanations in both languages.
    pub messages: Vec<MessageView>,
    /// The message selected.
    pub selected: usize,
    /// Columns of the ladder scrolled off to the left.
    pub hscroll: usize,
    /// Lines of the message pane scrolled off the top.
    pub detail_scroll: u16,
}

impl OpenCall {
    /// Lays out the call's ladder and views.
    pub fn new(data: CallData, aliases: &Aliases, lang: Lang, time: TimeMode) -> OpenCall {
        let mut call = OpenCall {
            data,
            model: LadderModel {
                title: String::new(),
                participants: Vec::new(),
                arrows: Vec::new(),
                media: Vec::new(),
                diagnosis: Vec::new(),
                time_mode: time,
                lang,
            },
            lines: Vec::new(),
            marks: Vec::new(),
            messages: Vec::new(),
            selected: 0,
            hscroll: 0,
            detail_scroll: 0,
        };
        call.layout(aliases, lang, time);
        let prefix = format!("c{}-", call.data.call.id);
        call.messages = message_views(
            &call.data.call,
            &call.data.message_refs(),
            &call.model,
            &prefix,
        );
        call
    }

    /// Draws the ladder again, in another language or time mode.
    pub fn layout(&mut self, aliases: &Aliases, lang: Lang, time: TimeMode) {
        let options = LadderOptions {
            aliases: aliases.clone(),
            order: Vec::new(),
            time_mode: time,
            lang,
        };
        self.model = LadderModel::build(
            &self.data.call,
            &self.data.message_refs(),
            &self.data.media_refs(),
            &options,
        );
        let mut out = Vec::new();
        // Writing to memory does not fail; an empty ladder would say so if it did.
        self.marks = draw_marked(&self.model, &UNICODE, None, false, &mut out).unwrap_or_default();
        self.lines = String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect();
    }

    /// Selects another message, by `delta`, staying among the call's messages.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.messages.len().saturating_sub(1);
        let next = self.selected.saturating_add_signed(delta).min(last);
        if next != self.selected {
            self.selected = next;
            self.detail_scroll = 0;
        }
    }

    /// The selected message.
    pub fn message(&self) -> Option<&MessageView> {
        self.messages.get(self.selected)
    }

    /// Widest ladder line, in characters.
    pub fn width(&self) -> usize {
        self.lines
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    }
}
