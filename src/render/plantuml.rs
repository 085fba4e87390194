//! The ladder as PlantUML sequence diagram text.

use std::io::{self, Write};

use super::Renderer;
use super::model::{ArrowClass, LadderModel, Step};
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
            let mut lines: Vec<String> = Vec::new();
            if p.label != p.address {
                lines.push(escape(&p.label));
            }
            lines.extend(model.role_line(p).as_deref().map(escape));
            lines.push(escape(&p.address));
            let name = lines.join("\\n");
            writeln!(out, "participant \"{name}\" as P{i}")?;
        }
        for step in model.steps() {
            match step {
                Step::Media(m) => writeln!(
                    out,
                    "note over P{}, P{} : {}",
                    m.from,
                    m.to,
                    escape(&m.label)
                )?,
                Step::Arrow(_, arrow) => {
                    let line = if arrow.class == ArrowClass::Request {
                        "->"
                    } else {
                        "-->"
                    };
                    writeln!(
                        out,
                        "P{} {line} P{} : {}",
                        arrow.from,
                        arrow.to,
                        escape(&arrow.caption())
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
            }
        }
        writeln!(out, "@enduml")
    }
}
