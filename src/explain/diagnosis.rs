//! A call's diagnosis in words: its findings ([`crate::correlate::diagnosis`]) told with the
//! catalog's sentences (`[diagnosis]` in `fr.toml` and `en.toml`), those of its legs and those
//! of its media streams together, errors first. Every output that shows a diagnosis (calls,
//! flow, explain, the report) takes it from here, so they all say the same.

use crate::correlate::diagnosis::{self, Described, Finding};
use crate::correlate::{CallSummary, MediaByCall, MediaStream};

use super::Lang;
use super::catalog::catalog;

/// The diagnosis of `call`, whose media streams are `streams` (when `media_followed`; a
/// reading that followed no media says nothing of it).
pub fn describe(
    call: &CallSummary,
    streams: &[&MediaStream],
    media_followed: bool,
    lang: Lang,
) -> Vec<Described> {
    let mut findings: Vec<&Finding> = call.findings.iter().collect();
    let media = if media_followed {
        diagnosis::of_media(call, streams)
    } else {
        Vec::new()
    };
    findings.extend(media.iter());
    findings.sort_by_key(|f| f.severity);
    findings.into_iter().map(|f| tell(f, lang)).collect()
}

/// One finding in words.
pub fn tell(f: &Finding, lang: Lang) -> Described {
    let mut args: Vec<(&str, &str)> = f.facts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let labels = f.labels.join(", ");
    args.push(("labels", &labels));
    // An attack's exchanges say which attack, in a line of its own.
    let (line, shape) = match f.code {
        "scan" | "brute-force" => (
            super::attack::line_of_facts(&f.facts, lang),
            super::attack::shape_of_facts(&f.facts, lang),
        ),
        _ => (String::new(), String::new()),
    };
    // Before the facts: the shape told in words, not its code.
    args.splice(0..0, [("line", line.as_str()), ("shape", shape.as_str())]);
    let cat = catalog(lang);
    // A variant for a missing fact (no Retry-After, a CANCEL by someone else than the caller).
    let variant = match f.code {
        "server-error" if f.facts.iter().any(|(k, v)| *k == "retry" && !v.is_empty()) => {
            Some("diagnosis.server-error-retry")
        }
        "no-answer" if f.facts.iter().any(|(k, v)| *k == "sends" && v == "1") => {
            Some("diagnosis.no-answer-once")
        }
        "codec-mismatch" if f.facts.iter().any(|(k, _)| *k == "answer") => {
            Some("diagnosis.codec-mismatch-answer")
        }
        "cancelled" if f.facts.iter().any(|(k, v)| *k == "who" && v == "caller") => {
            Some("diagnosis.cancelled-by-caller")
        }
        _ => None,
    };
    let key = format!("diagnosis.{}", f.code);
    let text = match variant {
        Some(v) => cat.first_of(&[v, &key], &args),
        None => cat.text(&key, &args),
    };
    Described {
        code: f.code,
        severity: f.severity,
        text,
        labels: f.labels.clone(),
    }
}

/// Fills the diagnosis of every call, in one pass over the streams.
pub fn describe_all(
    calls: &mut [CallSummary],
    media: &[MediaStream],
    media_followed: bool,
    lang: Lang,
) {
    let by_call = MediaByCall::gather(media);
    for call in calls {
        let streams = by_call.of(call);
        call.diagnosis = Some(describe(call, streams, media_followed, lang));
    }
}
