//! `e`, `r`, `s`: files written from the browser, with the library functions the `export`,
//! `report` and `flow` subcommands use.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use crate::correlate::CallSummary;
use crate::export::{CaptureFormat, write_calls};
use crate::render::Renderer;
use crate::render::ascii::AsciiRenderer;
use crate::render::json::JsonRenderer;
use crate::render::mermaid::MermaidRenderer;
use crate::render::model::LadderOptions;
use crate::render::plantuml::PlantUmlRenderer;
use crate::render::svg::SvgRenderer;

use crate::view::{Detail, Page, call_view};

use super::app::{Action, App};
use super::call::OpenCall;
use super::session::Session;

/// Calls detailed in a report of the list (the others are listed only), as `report` does.
const DETAILED: usize = 100;

/// Writes the file of `action` for call `id`; says what was written.
pub fn write(
    session: &Session,
    app: &App,
    action: Action,
    id: usize,
    path: &Path,
) -> Result<String, Box<dyn std::error::Error>> {
    if action == Action::ReportListed {
        return report_listed(session, app, path);
    }
    let opened = match &app.call {
        Some(c) if c.data.call.id == id => c.clone(),
        _ => {
            let data = session.open(id)?.ok_or("no such call")?;
            OpenCall::new(data, &app.aliases, app.lang, app.time)
        }
    };
    let mut out = BufWriter::new(File::create(path)?);
    match action {
        Action::Ladder => {
            let renderer = ladder_renderer(path);
            renderer.render(&opened.model, &mut out)?;
        }
        Action::ReportListed => return report_listed(session, app, path),
        Action::Report => {
            let correlation = opened.data.correlation();
            let media = opened.data.media_refs();
            let mut page = Page::new(Detail::First(usize::MAX))?;
            for call in &correlation.calls {
                page.add(call, &media)?;
            }
            let views = page
                .take_detailed()
                .into_iter()
                .map(|c| call_view(&c.call, &correlation, &media, &options(app), true));
            page.write(&session.loaded.stats, app.lang, views, &mut out)?;
        }
        Action::Export => {
            let correlation = opened.data.correlation();
            let calls: Vec<_> = correlation.calls.iter().collect();
            let written = write_calls(
                session.captures(),
                &correlation,
                &calls,
                &session.loaded.seek_points,
                true,
                CaptureFormat::Pcap,
                &mut out,
            )?;
            out.flush()?;
            return Ok(format!(
                "Wrote {}: {} frames ({} RTP, {} RTCP)",
                path.display(),
                written.frames,
                written.rtp,
                written.rtcp
            ));
        }
    }
    out.flush()?;
    Ok(format!("Wrote {}", path.display()))
}

/// The HTML report of the calls listed, the first [`DETAILED`] with ladders and messages,
/// written as `report` writes its page.
fn report_listed(
    session: &Session,
    app: &App,
    path: &Path,
) -> Result<String, Box<dyn std::error::Error>> {
    // The summaries and their media stay those of the first reading, which saw everything.
    let first = &session.loaded.correlation;
    let media = first.media_by_call();
    let mut page = Page::new(Detail::First(DETAILED))?;
    for call in app.list.shown_calls() {
        page.add(call, media.of(call))?;
    }
    let chosen = page.take_detailed();
    let summaries: Vec<CallSummary> = chosen.iter().map(|c| c.call.clone()).collect();
    let read = session.open_many(&summaries)?;
    let mut indices: HashMap<usize, Vec<usize>> = read
        .calls
        .iter()
        .map(|c| (c.id, c.message_indices.clone()))
        .collect();
    let options = options(app);
    let views = chosen.iter().map(|c| {
        let call = CallSummary {
            message_indices: indices.remove(&c.call.id).unwrap_or_default(),
            ..c.call.clone()
        };
        call_view(&call, &read, &c.media_refs(), &options, true)
    });
    let listed = page.listed();
    let mut out = BufWriter::new(File::create(path)?);
    page.write(&session.loaded.stats, app.lang, views, &mut out)?;
    Ok(format!(
        "Wrote {}: {} calls, {} detailed",
        path.display(),
        listed,
        chosen.len()
    ))
}

/// The ladders' options of the browser's files.
fn options(app: &App) -> LadderOptions {
    LadderOptions {
        aliases: app.aliases.clone(),
        lang: app.lang,
        ..LadderOptions::default()
    }
}

/// The ladder format a file's extension names; text otherwise.
fn ladder_renderer(path: &Path) -> Box<dyn Renderer> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => Box::new(SvgRenderer::default()),
        Some("mmd" | "mermaid") => Box::new(MermaidRenderer),
        Some("puml" | "plantuml") => Box::new(PlantUmlRenderer),
        Some("json") => Box::new(JsonRenderer),
        _ => Box::new(AsciiRenderer {
            width: None,
            colour: false,
        }),
    }
}
