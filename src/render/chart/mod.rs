/*!
Charts of the report's dashboard as inline SVG: plain functions from figures to markup, so
that the report needs no chart library and loads nothing. Colours are CSS classes
(`s-answered`, `s-2xx`, `mos-good`...) that the page's stylesheet maps to its light, dark and
print themes; every text, including labels taken from the capture, is escaped.
*/

mod bars;
mod columns;
mod frame;
mod histogram;
mod scatter;

pub use bars::{Bar, StreamQuality, horizontal_bars, stream_quality};
pub use columns::{Series, stacked_columns};
pub use histogram::{histogram, histogram_of_counts};
pub use scatter::{Point, scatter};
