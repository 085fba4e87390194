//! The ladder as a Mermaid `sequenceDiagram`, for wikis and Markdown that render it. Only the
//! documented syntax is used: `participant ID as Name`, `->>` and `-->>` messages, and
//! `Note over A,B: text`; characters Mermaid treats specially are written as entity codes.

use std::io::{self, Write};

use super::Renderer;
use super::model::{ArrowClass, LadderModel, Step};
use super::text::sanitize;

/// Mermaid sequence diagram.
#[derive(Clone, Copy, Debug, Default)]
pub struct MermaidRenderer;

/// Escapes what Mermaid reads as syntax in message text (`;` ends a statement, `#` starts an
/// entity code, `:` and `,` separate in some places, `<` `>` may be read as HTML).
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in sanitize(text).chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            ':' => out.push_str("#58;"),
            ',' => out.push_str("#44;"),
            '"' => out.push_str("#quot;"),
            '%' => out.push_str("#37;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            c => out.push(c),
        }
    }
    out
}

impl Renderer for MermaidRenderer {
    fn render(&self, model: &LadderModel, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "sequenceDiagram")?;
        writeln!(out, "    title {}", escape(&model.title))?;
        for (i, p) in model.participants.iter().enumerate() {
            let mut lines: Vec<String> = Vec::new();
            if p.label != p.address {
                lines.push(escape(&p.label));
            }
            lines.extend(model.role_line(p).as_deref().map(escape));
            lines.push(escape(&p.address));
            let name = lines.join("<br/>");
            writeln!(out, "    participant P{i} as {name}")?;
        }
        for step in model.steps() {
            match step {
                Step::Media(m) => writeln!(
                    out,
                    "    Note over P{},P{}: {}",
                    m.from,
                    m.to,
                    escape(&m.label)
                )?,
                Step::Arrow(_, arrow) => {
                    let line = if arrow.class == ArrowClass::Request {
                        "->>"
                    } else {
                        "-->>"
                    };
                    writeln!(
                        out,
                        "    P{}{line}P{}: {}",
                        arrow.from,
                        arrow.to,
                        escape(&arrow.caption())
                    )?;
                    if let Some(icmp) = &arrow.icmp {
                        writeln!(
                            out,
                            "    Note right of P{}: not delivered - ICMP {}",
                            arrow.to,
                            escape(icmp)
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}
