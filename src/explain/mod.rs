/*!
Explanations: every SIP message told in plain French or English, header by header, parameter by
parameter, in the context of the packet, the way the reference course explains its REGISTER and
401 ("Le paquet ne doit pas passer par plus de 70 relais SIP").

[`explain`] reads a parsed [`Message`](crate::sip::Message) and what the correlation layer
knows about it ([`Context`]) and returns an [`Explanation`]: a one-sentence summary, the first
line, each header with its lines and parameters, notes on the transaction and the dialog, and
the SDP body line by line. [`render_text`] lays it out under the raw message.

Every text comes from the catalogs `catalog/fr.toml` and `catalog/en.toml`: templates with named
placeholders (`{host}`, `{port}`, `{realm}`...) that a translator edits without touching code.
Headers the catalog does not know are said to be unknown or vendor-specific, never guessed.
*/

mod address;
pub mod attack;
mod auth;
mod catalog;
mod context;
mod diagnostic;
mod first_line;
mod header;
mod lang;
mod message;
mod model;
mod notes;
mod params;
mod scene;
mod sdp;
mod status;
mod summary;
mod template;
mod text;
mod tokens;
mod via;

#[cfg(test)]
mod tests;

pub mod diagnosis;

pub use context::Context;
pub use lang::{Lang, UnknownLang};
pub use message::explain;
pub use model::{BodyExplanation, BodyLine, Explanation, HeaderExplanation, ParamExplanation};
pub use text::{escape, render_text};

/// A sentence of the catalog that is not about one header: the ladder's titles, kinds and
/// states, so that a translator finds every text of the tool in the same two files.
pub fn phrase(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    catalog::catalog(lang).text(key, args)
}
