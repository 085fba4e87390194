//! `sipladder flow`: the ladder diagram of one call, or of every call one after another.

use std::io::Write;

use anyhow::{Result, anyhow, bail};

use super::args::{FlowArgs, FlowFormat};
use super::{Outcome, inputs, output};
use crate::correlate::CallFilter;
use crate::reading;
use crate::render::Renderer;
use crate::render::ascii::AsciiRenderer;
use crate::render::json::JsonRenderer;
use crate::render::mermaid::MermaidRenderer;
use crate::render::model::{Aliases, LadderModel, LadderOptions};
use crate::render::plantuml::PlantUmlRenderer;
use crate::render::svg::SvgRenderer;
use crate::render::unicode::UnicodeRenderer;

pub(crate) fn run(args: &FlowArgs, stdout: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let aliases = Aliases::parse(&args.alias).map_err(|e| anyhow!(e))?;
    if args.width.is_some_and(|w| w < 20) {
        bail!("--width must be at least 20");
    }
    let mut file = match &args.output {
        Some(path) => Some(output::create(path, &args.captures)?),
        None => None,
    };
    let to_terminal = file.is_none() && output::stdout_is_terminal();
    let format = args.format.unwrap_or(if to_terminal {
        FlowFormat::Unicode
    } else {
        FlowFormat::Ascii
    });
    let colour = output::use_colour(args.color, to_terminal);

    let bar = inputs::progress(&args.captures);
    let (correlation, summary) = reading::correlate(
        &args.captures,
        &filter,
        false,
        reading::Reread::CallFrames,
        bar.as_ref().map(inputs::as_progress),
    )?;
    let calls = filter.select(&correlation.calls)?;
    if calls.len() > 1 && format == FlowFormat::Svg {
        bail!(
            "an SVG holds one ladder and {} calls match: choose one with --call",
            calls.len()
        );
    }
    let options = LadderOptions {
        aliases,
        order: args.order.clone(),
        time_mode: args.time,
        lang: super::explain::lang_of(args.lang),
    };
    let media = correlation.media_by_call();
    let models: Vec<LadderModel> = calls
        .iter()
        .map(|call| {
            let messages = correlation.messages_of(call);
            LadderModel::build(call, &messages, media.of(call), &options)
        })
        .collect();

    let out: &mut dyn Write = match file.as_mut() {
        Some(f) => f,
        None => stdout,
    };
    let renderer: Box<dyn Renderer> = match format {
        FlowFormat::Ascii => Box::new(AsciiRenderer {
            width: args.width,
            colour,
        }),
        FlowFormat::Unicode => Box::new(UnicodeRenderer {
            width: args.width,
            colour,
        }),
        FlowFormat::Svg => Box::new(SvgRenderer::default()),
        FlowFormat::Mermaid => Box::new(MermaidRenderer),
        FlowFormat::Plantuml => Box::new(PlantUmlRenderer),
        FlowFormat::Json => Box::new(JsonRenderer),
    };
    if format == FlowFormat::Json && models.len() > 1 {
        serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "flows": models }))?;
        writeln!(out)?;
    } else {
        for (i, model) in models.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            renderer.render(model, out)?;
        }
    }
    out.flush()?;
    Ok(inputs::finish(&summary))
}
