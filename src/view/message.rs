//! A call's messages as they are shown: time, path, first line, the raw text and what each
//! header means, in both languages (the reader switches between them).

use crate::correlate::{CallSummary, MessageRecord};
use crate::explain::{Explanation, Lang};
use crate::render::html::{ExplanationView, HeaderView, MessageView, clean, raw_text};
use crate::render::model::LadderModel;

use super::annotate::annotate;

/// The messages of a call whose ladder is `model`, each explained in French and English;
/// `prefix` starts their anchors (`c3-` gives `c3-m5` for F5 of call 3).
pub fn message_views(
    call: &CallSummary,
    messages: &[&MessageRecord],
    model: &LadderModel,
    prefix: &str,
) -> Vec<MessageView> {
    let first = messages.first().map(|m| m.ts).unwrap_or_default();
    let mut explained: Vec<Vec<ExplanationView>> = vec![Vec::new(); messages.len()];
    for lang in [Lang::Fr, Lang::En] {
        for (slot, a) in explained
            .iter_mut()
            .zip(annotate(call, messages, model, lang))
        {
            if let Some(exp) = a.explanation {
                slot.push(explanation_view(exp));
            }
        }
    }
    messages
        .iter()
        .zip(explained)
        .enumerate()
        .map(|(i, (m, explanations))| MessageView {
            anchor: format!("{prefix}m{}", i + 1),
            label: format!("F{}", i + 1),
            time: m.ts.to_string(),
            relative: format!("{:.3}", m.ts.nanos_since(first) as f64 / 1e9),
            path: format!("{} → {}", m.src, m.dst),
            transport: m.transport.as_str().to_string(),
            frame: m.frame,
            first_line: clean(&m.summary()),
            retransmission: m.retransmission,
            icmp: m.icmp.as_deref().map(clean),
            raw: m.raw.as_deref().map(raw_text).unwrap_or_default(),
            explanations,
        })
        .collect()
}

/// An explanation as it is shown: header lines with their parameters, and the SDP body
/// explained line by line after the headers.
pub fn explanation_view(exp: Explanation) -> ExplanationView {
    let mut headers: Vec<HeaderView> = exp
        .headers
        .into_iter()
        .map(|h| {
            let mut lines = h.lines;
            lines.extend(h.params.into_iter().map(|p| match p.value {
                Some(v) if v.chars().count() <= 24 => format!("{}={v} : {}", p.name, p.explanation),
                _ => format!("{} : {}", p.name, p.explanation),
            }));
            HeaderView {
                name: clean(&h.name),
                value: clean(&h.value),
                lines: lines.iter().map(|l| clean(l)).collect(),
            }
        })
        .collect();
    if let Some(body) = exp.body {
        for line in body.lines {
            headers.push(HeaderView {
                name: clean(&body.content_type),
                value: clean(&line.line),
                lines: line.explanation.iter().map(|l| clean(l)).collect(),
            });
        }
    }
    ExplanationView {
        lang: exp.lang.code(),
        summary: clean(&exp.summary),
        first_line: exp
            .first_line_explanation
            .iter()
            .map(|l| clean(l))
            .collect(),
        headers,
        notes: exp.notes.iter().map(|n| clean(n)).collect(),
    }
}
