//! The Unicode ladder: box-drawing lines, coloured by message class on a terminal.

use std::io::{self, Write};

use super::Renderer;
use super::model::LadderModel;
use super::text::{UNICODE, draw};

/// Unicode ladder, optionally capped to a width and coloured.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnicodeRenderer {
    /// No line longer than this (in characters).
    pub width: Option<usize>,
    /// ANSI colours by message class.
    pub colour: bool,
}

impl Renderer for UnicodeRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        draw(model, &UNICODE, self.width, self.colour, out)
    }
}
