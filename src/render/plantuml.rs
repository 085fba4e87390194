//! The ladder as PlantUML sequence diagram text.

use std::io::{self, Write};

use super::Renderer;
use super::model::{ArrowClass, LadderModel};
use super::text::sanitize;

/// PlantUML sequence diagram.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlantUmlRenderer;

/// Text inside a PlantUML string or message: quotes and backslashes escaped.
fn escape(text: &str) -> String {
    sanitize(text).replace('\\', "\\\\").replace('"', "\\\"")
}

impl Renderer for PlantUmlRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "@startuml")?;
        writeln!(out, "title {}", escape(&model.title))?;
        for (i, p) in model.participants.iter().enumerate() {
            let name = if p.label == p.address {
                escape(&p.address)
            } else {
                format!("{}\\n{}", escape(&p.label), escape(&p.address))
            };
            writeln!(out, "participant \"{name}\" as P{i}")?;
        }
        let mut media = model.media.iter().peekable();
        for arrow in &model.arrows {
            while let Some(m) = media.next_if(|m| m.ts < arrow.ts) {
                writeln!(
                    out,
                    "note over P{}, P{} : {}",
                    m.from,
                    m.to,
                    escape(&m.label)
                )?;
            }
            let line = if arrow.class == ArrowClass::Request {
                "->"
            } else {
                "-->"
            };
            let mut text = format!("{} {}", arrow.label, arrow.summary);
            if let Some(t) = &arrow.transport {
                text.push_str(&format!(" [{t}]"));
            }
            if arrow.retransmission {
                text.push_str(" (retransmission)");
            }
            writeln!(
                out,
                "P{} {line} P{} : {}",
                arrow.from,
                arrow.to,
                escape(&text)
            )?;
            if let Some(icmp) = &arrow.icmp {
                writeln!(
                    out,
                    "note right of P{} : not delivered: ICMP {}",
                    arrow.to,
                    escape(icmp)
                )?;
            }
        }
        for m in media {
            writeln!(
                out,
                "note over P{}, P{} : {}",
                m.from,
                m.to,
                escape(&m.label)
            )?;
        }
        writeln!(out, "@enduml")
    }
}
