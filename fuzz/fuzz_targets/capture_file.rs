//! Fuzzes the whole pipeline, from capture file bytes to every ladder format: the pcap/pcapng
//! reader (gzip included), link layers, encapsulations, IP and TCP reassembly, SIP parsing,
//! correlation with message records kept, and the ASCII, Unicode, SVG, Mermaid, PlantUML and
//! JSON renderers of every call.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use sipladder::capture::{CaptureReader, MergedReader, read_all};
use sipladder::correlate::{Correlator, MessageRecord, Options};
use sipladder::render::Renderer;
use sipladder::render::ascii::AsciiRenderer;
use sipladder::render::json::JsonRenderer;
use sipladder::render::mermaid::MermaidRenderer;
use sipladder::render::model::{LadderModel, LadderOptions};
use sipladder::render::plantuml::PlantUmlRenderer;
use sipladder::render::svg::SvgRenderer;
use sipladder::render::unicode::UnicodeRenderer;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = CaptureReader::from_read("fuzz".into(), Box::new(Cursor::new(data.to_vec())))
    else {
        return;
    };
    let mut merged = MergedReader::new(vec![reader]);
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        keep_raw: true,
        ..Options::default()
    });
    let summary = read_all(&mut merged, &mut correlator);
    for w in &summary.damage {
        let _ = w.to_string();
    }
    let correlation = correlator.finish();
    let renderers: [Box<dyn Renderer>; 7] = [
        Box::new(AsciiRenderer {
            width: None,
            colour: false,
        }),
        Box::new(AsciiRenderer {
            width: Some(20),
            colour: true,
        }),
        Box::new(UnicodeRenderer {
            width: Some(200),
            colour: true,
        }),
        Box::new(SvgRenderer::default()),
        Box::new(MermaidRenderer),
        Box::new(PlantUmlRenderer),
        Box::new(JsonRenderer),
    ];
    let options = LadderOptions::default();
    for call in &correlation.calls {
        let messages: Vec<&MessageRecord> = call
            .message_indices
            .iter()
            .filter_map(|i| {
                let at = correlation
                    .messages
                    .binary_search_by_key(i, |m| m.index)
                    .ok()?;
                correlation.messages.get(at)
            })
            .collect();
        let media: Vec<_> = correlation
            .media
            .iter()
            .filter(|m| m.call == Some(call.id))
            .collect();
        let model = LadderModel::build(call, &messages, &media, &options);
        for r in &renderers {
            let mut out = Vec::new();
            r.render(&model, &mut out)
                .expect("rendering into memory cannot fail");
        }
    }
    let _ = serde_json::to_string(&correlation.calls);
});
