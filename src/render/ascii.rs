//! The plain ASCII ladder: what a person pastes into a ticket or a course, like the seed.

use std::io::{self, Write};

use super::Renderer;
use super::model::LadderModel;
use super::text::{ASCII, draw};

/// ASCII ladder, optionally capped to a width and coloured.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsciiRenderer {
    /// No line longer than this.
    pub width: Option<usize>,
    /// ANSI colours by message class.
    pub colour: bool,
}

impl Renderer for AsciiRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        draw(model, &ASCII, self.width, self.colour, out)
    }
}
