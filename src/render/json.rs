//! The ladder as JSON, in the design's contract: `participants`, `arrows`, `media`.

use std::io::{self, Write};

use super::Renderer;
use super::model::LadderModel;

/// JSON ladder.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, model)?;
        writeln!(out)
    }
}
