//! `e`, `r`, `s`: files written from the browser, with the library functions the `export`,
//! `report` and `flow` subcommands use.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::export::{CaptureFormat, write_calls};
use crate::render::Renderer;
use crate::render::ascii::AsciiRenderer;
use crate::render::json::JsonRenderer;
use crate::render::mermaid::MermaidRenderer;
use crate::render::model::LadderOptions;
use crate::render::plantuml::PlantUmlRenderer;
use crate::render::svg::SvgRenderer;

use crate::view::{call_view, report};

use super::app::{Action, App};
use super::call::OpenCall;
use super::session::Session;

/// Writes the file of `action` for call `id`; says what was written.
pub fn write(
    session: &Session,
    app: &App,
    action: Action,
    id: usize,
    path: &Path,
) -> Result<String, Box<dyn std::error::Error>> {
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
        Action::Report => {
            let correlation = opened.data.correlation();
            let options = LadderOptions {
                aliases: app.aliases.clone(),
                lang: app.lang,
                ..LadderOptions::default()
            };
            let views = correlation
                .calls
                .iter()
                .map(|c| call_view(c, &correlation, &opened.data.media_refs(), &options, true))
                .collect();
            let html = report(&session.loaded.stats, views, app.lang).to_html()?;
            out.write_all(html.as_bytes())?;
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
