//! `sipladder explain`: each message, then what every header of it means, like the course.

use std::io::Write;
use std::net::SocketAddr;

use anyhow::{Result, bail};
use serde::Serialize;

use super::args::{ExplainArgs, LangChoice};
use super::report::lang_from_env;
use super::{Outcome, inputs};
use crate::capture::{Timestamp, Transport};
use crate::correlate::CallFilter;
use crate::correlate::diagnosis::Described;
use crate::explain::{Explanation, HeaderExplanation, Lang, phrase, render_text};
use crate::reading;
use crate::render::model::{LadderModel, LadderOptions};
use crate::view;
use crate::view::annotate;

/// One message of `explain --json`, in the design's contract.
/// A call's diagnosis, at the end of `explain --json`.
#[derive(Serialize)]
struct CallDiagnosis {
    call: usize,
    diagnosis: Vec<Described>,
}

#[derive(Serialize)]
struct MessageJson<'a> {
    frame: u64,
    time: String,
    src: String,
    dst: String,
    transport: &'static str,
    first_line: &'a str,
    summary: &'a str,
    explanation: String,
    headers: &'a [HeaderExplanation],
    notes: &'a [String],
    /// `null` for a message no call holds (without a Call-ID).
    call: Option<usize>,
    label: Option<String>,
    retransmission: bool,
}

impl<'a> MessageJson<'a> {
    /// A message's explanation `exp`, as it travelled; its call, label and retransmission
    /// flag unset.
    fn of(
        exp: &'a Explanation,
        frame: u64,
        ts: Timestamp,
        (src, dst): (SocketAddr, SocketAddr),
        transport: Transport,
    ) -> MessageJson<'a> {
        MessageJson {
            frame,
            time: ts.to_string(),
            src: src.to_string(),
            dst: dst.to_string(),
            transport: transport.as_str(),
            first_line: &exp.first_line,
            summary: &exp.summary,
            explanation: exp.explanation(),
            headers: &exp.headers,
            notes: &exp.notes,
            call: None,
            label: None,
            retransmission: false,
        }
    }

    /// Writes it as the `shown`th item of the `messages` array.
    fn write(&self, shown: usize, out: &mut dyn Write) -> Result<()> {
        out.write_all(if shown == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut *out, self)?;
        Ok(())
    }
}

/// The language chosen on the command line, else from the locale.
pub(crate) fn lang_of(choice: Option<LangChoice>) -> Lang {
    match choice.unwrap_or_else(lang_from_env) {
        LangChoice::Fr => Lang::Fr,
        LangChoice::En => Lang::En,
    }
}

pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = CallFilter::new(&args.filters)?;
    let lang = lang_of(args.lang);
    let bar = inputs::progress(&args.captures);
    let (correlation, summary) = reading::correlate(
        &args.captures,
        &filter,
        true,
        reading::Reread::CallFrames,
        bar.as_ref().map(inputs::as_progress),
    )?;
    let mut shown = 0;
    if args.json {
        write!(out, "{{\"messages\": [")?;
    }
    let media = correlation.media_by_call();
    let mut diagnoses = Vec::new();
    let options = LadderOptions {
        lang,
        ..LadderOptions::default()
    };
    for call in correlation.calls.iter().filter(|c| filter.matches(c)) {
        let records = correlation.messages_of(call);
        if args
            .frame
            .is_some_and(|f| !records.iter().any(|r| r.frame == f))
        {
            continue;
        }
        let mut model = LadderModel::build(call, &records, media.of(call), &options);
        // The ladder's model tells the diagnosis in the chosen language.
        let found = std::mem::take(&mut model.diagnosis);
        if args.json {
            diagnoses.push(CallDiagnosis {
                call: call.id,
                diagnosis: found,
            });
        } else if args.frame.is_none() && !found.is_empty() {
            writeln!(out, "══ #{} {}", call.id, phrase(lang, "ui.diagnosis", &[]))?;
            for d in &found {
                writeln!(out, "  {} {}: {}", d.severity.as_str(), d.code, d.text)?;
            }
            writeln!(out)?;
        }
        for a in annotate(call, &records, &model, lang) {
            if args.frame.is_some_and(|f| a.record.frame != f) {
                continue;
            }
            let Some(exp) = &a.explanation else { continue };
            let r = a.record;
            if args.json {
                // Written one by one: explanations of a large capture are never all in memory.
                MessageJson {
                    call: Some(call.id),
                    label: Some(format!("F{}", a.number)),
                    retransmission: r.retransmission,
                    ..MessageJson::of(exp, r.frame, r.ts, (r.src, r.dst), r.transport)
                }
                .write(shown, out)?;
            } else {
                let retr = if r.retransmission {
                    " (retransmission)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "── #{} F{} · frame {} · {} · {} → {} ({}){retr}",
                    call.id,
                    a.number,
                    r.frame,
                    r.ts,
                    r.src,
                    r.dst,
                    r.transport.as_str()
                )?;
                out.write_all(render_text(exp, r.raw.as_deref().unwrap_or_default()).as_bytes())?;
                writeln!(out)?;
            }
            shown += 1;
        }
    }
    // A frame no call holds: its message told alone (a message without a Call-ID).
    if shown == 0 && filter.is_empty() {
        if let Some(frame) = args.frame {
            shown = explain_alone(&args.captures, frame, args.json, lang, out)?;
        }
    }
    if args.json {
        write!(out, "\n], \"diagnosis\": ")?;
        serde_json::to_writer_pretty(&mut *out, &diagnoses)?;
        writeln!(out, "}}")?;
    } else if shown == 0 {
        bail!("no message matches");
    }
    Ok(inputs::finish(&summary))
}

/// Explains the messages of `frame` that no call holds; how many were shown.
fn explain_alone(
    captures: &[std::path::PathBuf],
    frame: u64,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut shown = 0;
    for m in view::lone::messages_of_frame(captures, frame)? {
        let Some(exp) = m.explain(lang) else { continue };
        if json {
            MessageJson::of(&exp, m.frame, m.ts, (m.src, m.dst), m.transport).write(shown, out)?;
        } else {
            writeln!(
                out,
                "── {} · frame {} · {} · {} → {} ({})",
                phrase(lang, "ui.in_no_call", &[]),
                m.frame,
                m.ts,
                m.src,
                m.dst,
                m.transport.as_str()
            )?;
            out.write_all(render_text(&exp, &m.raw).as_bytes())?;
            writeln!(out)?;
        }
        shown += 1;
    }
    Ok(shown)
}
