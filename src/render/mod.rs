/*!
Rendering: turning computed data into text for people (tables, ladders) or programs (JSON,
SVG, Mermaid, PlantUML). Renderers never parse and never decide; they lay out what the earlier
stages computed, and every ladder format reads the same [`model::LadderModel`].
*/

pub mod ascii;
pub mod attack_rows;
pub mod attacks;
pub mod chart;
mod columns;
pub mod html;
pub mod json;
pub mod listing;
mod media;
pub mod mermaid;
pub mod model;
pub mod page;
pub mod plantuml;
pub mod svg;
pub mod table;
pub mod text;
pub mod unicode;

use std::io::{self, Write};

use model::LadderModel;

/// One ladder output format.
pub trait Renderer {
    /// Writes one ladder.
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()>;
}
