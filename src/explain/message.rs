//! Explaining one message: the entry point that puts the summary, the first line, the
//! headers, the notes and the body together.

use crate::sip::Message;

use super::context::Context;
use super::first_line::explain_first_line;
use super::header::explain_headers;
use super::lang::Lang;
use super::model::Explanation;
use super::notes::explain_notes;
use super::scene::Scene;
use super::sdp::explain_body;
use super::summary::summarize;

/// Explains `message` in `lang`, as the course explains its packets: what the message does,
/// then each header and parameter with the packet's own values, then what it means for the
/// transaction and the dialog. `ctx` adds what the capture knows; `Context::default()` is
/// fine for a message on its own. Never panics, whatever the message holds.
pub fn explain(message: &Message<'_>, ctx: &Context<'_>, lang: Lang) -> Explanation {
    let scene = Scene::new(message, ctx, lang);
    let first_line = message
        .start_line_span
        .slice(message.buf)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    Explanation {
        lang,
        summary: summarize(&scene),
        first_line,
        first_line_explanation: explain_first_line(&scene),
        headers: explain_headers(&scene),
        notes: explain_notes(&scene),
        body: explain_body(&scene),
    }
}
