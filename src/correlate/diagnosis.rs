//! Why a call failed, or why its audio was bad: findings drawn from the facts its legs kept
//! ([`super::evidence`]) and from its media streams. A finding is a stable code, a severity,
//! the values its sentence needs and the messages it rests on; the sentence itself, in French
//! or English, comes from the catalogs (`explain::diagnosis`).
//!
//! Thresholds, for media (per stream, the worst one named):
//! - `media-loss`: 1 % of packets lost or more (error from 5 %);
//! - `media-jitter`: interarrival jitter of 30 ms or more (error from 60 ms);
//! - `media-low-mos`: an E-model MOS under 3.6 (error under 3.1), see [`super::quality`].

use serde::Serialize;

use super::group::CallSummary;
use super::leg::{Kind, Leg};
use super::media::MediaStream;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The exchange failed, or the media cannot be heard.
    Error,
    /// Something a user would notice or that will break elsewhere.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// Its name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing the diagnosis found.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable kebab-case code (`busy`, `no-answer`...).
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The values of its sentence's placeholders.
    #[serde(skip)]
    pub facts: Vec<(&'static str, String)>,
    /// The labels (F1...) of the messages it rests on.
    pub labels: Vec<String>,
}

impl Finding {
    pub(crate) fn new(code: &'static str, severity: Severity) -> Finding {
        Finding {
            code,
            severity,
            facts: Vec::new(),
            labels: Vec::new(),
        }
    }

    fn fact(mut self, name: &'static str, value: impl ToString) -> Finding {
        self.facts.push((name, value.to_string()));
        self
    }

    fn at(mut self, label: Option<String>) -> Finding {
        self.labels.extend(label);
        self
    }
}

/// The findings of a call's legs (`first` opened it, `lead` carries its outcome), in its
/// state at the end; `label` gives a message's F label.
pub fn of_legs(
    legs: &[&Leg],
    first: &Leg,
    lead: &Leg,
    state: &str,
    label: &dyn Fn(usize) -> Option<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let e = &lead.evidence;
    let method = e
        .asked()
        .map_or(first.method.as_str(), |o| o.method.as_str());
    let refused: u32 = legs.iter().map(|l| l.evidence.refused_credentials).sum();
    // The hop that gave the answer: in a later leg (past a B2BUA) when one got the same code.
    let outcome = e.outcome().map(|(_, got)| {
        let later = legs.iter().skip_while(|l| l.id != lead.id).skip(1);
        later
            .flat_map(|l| l.evidence.openings.iter())
            .filter_map(|o| o.final_seen.as_ref())
            .filter(|f| f.code == got.code)
            .last()
            .unwrap_or(got)
    });
    if let Some(f) = outcome {
        let hop = f.from.to_string();
        let base = |code, severity| {
            Finding::new(code, severity)
                .fact("hop", &hop)
                .fact("method", method)
                .fact("code", f.code)
                .fact("reason", &f.reason)
                .at(label(f.index))
        };
        let finding = match f.code {
            408 => Some(base("request-timeout", Severity::Error)),
            401 | 407 | 403 if refused > 0 => Some(
                base("auth-failed", Severity::Error)
                    .fact("rounds", refused)
                    .fact("user", first.from.user.as_deref().unwrap_or("?")),
            ),
            403 => Some(base("forbidden", Severity::Error)),
            404 | 604 => Some(base("not-found", Severity::Error)),
            480 => Some(base("unavailable", Severity::Error)),
            486 | 600 => Some(base("busy", Severity::Warning)),
            603 => Some(base("declined", Severity::Warning)),
            487 => e.more().and_then(|m| m.cancel).map(|(by, index)| {
                let who = if Some(by) == first.call.caller {
                    "caller"
                } else {
                    "other"
                };
                Finding::new("cancelled", Severity::Info)
                    .fact("by", by)
                    .fact("who", who)
                    .at(label(index))
                    .at(label(f.index))
            }),
            482 => Some(base("loop", Severity::Error)),
            483 => Some(base("too-many-hops", Severity::Error)),
            488 | 606 => Some(base("codec-mismatch", Severity::Error).fact(
                "offer",
                e.more().map(|m| m.offer.join(", ")).unwrap_or_default(),
            )),
            500..=599 => Some(base("server-error", Severity::Error).fact(
                "retry",
                f.retry_after.map_or(String::new(), |s| s.to_string()),
            )),
            300..=399 | 200..=299 | 401 | 407 => None,
            _ => Some(base("rejected", Severity::Error)),
        };
        out.extend(finding);
    }
    if let Some(o) = e.unanswered() {
        let quiet = matches!(state, "timed-out" | "failed" | "rejected");
        if o.sends > 1 || quiet {
            let secs = o.last_at.nanos_since(o.first_at) as f64 / 1e9;
            out.push(
                Finding::new("no-answer", Severity::Error)
                    .fact("method", &o.method)
                    .fact("hop", o.dst)
                    .fact("from", o.src)
                    .fact("sends", o.sends)
                    .fact("seconds", format!("{secs:.1}"))
                    .at(label(o.index)),
            );
        }
    }
    if let Some(i) = legs.iter().find_map(|l| l.evidence.more()?.icmp.as_ref()) {
        out.push(
            Finding::new("icmp-unreachable", Severity::Error)
                .fact("reporter", i.reporter)
                .fact("reason", i.reason)
                .fact("unreachable", i.unreachable)
                .fact("sender", i.sender)
                .at(label(i.index)),
        );
    }
    if first.kind == Kind::Call {
        call_findings(lead, state, label, &mut out);
    }
    if let Some(p) = legs
        .iter()
        .find_map(|l| l.evidence.more()?.private.as_ref())
    {
        out.push(
            Finding::new("nat-private-sdp", Severity::Warning)
                .fact("address", p.address)
                .fact("from", p.from)
                .fact("to", p.to)
                .at(label(p.index)),
        );
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What only an INVITE session shows: an unacknowledged 2xx, a call still up, an answer with
/// no codec of the offer.
fn call_findings(
    lead: &Leg,
    state: &str,
    label: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let e = &lead.evidence;
    let c = &lead.call;
    if c.answered_at.is_some() && c.ack_at.is_none() && e.ok_resends > 0 {
        let hop = e.outcome().map(|(_, f)| f.from.to_string());
        out.push(
            Finding::new("no-ack", Severity::Error)
                .fact("hop", hop.unwrap_or_default())
                .fact("resends", e.ok_resends)
                .at(e.ok_index.and_then(label)),
        );
    }
    if state == "established" {
        out.push(Finding::new("capture-ended", Severity::Info));
    }
    let Some(m) = e
        .more()
        .filter(|m| !m.offer.is_empty() && !m.answer.is_empty())
    else {
        return;
    };
    // Events, comfort noise and payload types without a name say nothing of the audio codec.
    let audio = |name: &&str| {
        !matches!(
            name.to_ascii_lowercase().as_str(),
            "telephone-event" | "cn" | "?"
        )
    };
    let offered: Vec<&str> = m.offer.iter().map(|c| c.as_str()).filter(audio).collect();
    let answered: Vec<&str> = m.answer.iter().map(|c| c.as_str()).filter(audio).collect();
    let common = answered
        .iter()
        .any(|a| offered.iter().any(|o| o.eq_ignore_ascii_case(a)));
    if !offered.is_empty() && !answered.is_empty() && !common {
        out.push(
            Finding::new("codec-mismatch", Severity::Error)
                .fact("offer", offered.join(", "))
                .fact("answer", answered.join(", "))
                .fact("hop", "")
                .at(m.answer_index.and_then(label)),
        );
    }
}

/// The findings of a call's media streams, when media was followed: none at all after an
/// answer with SDP, one way only, loss, jitter, a low MOS.
pub fn of_media(call: &CallSummary, streams: &[&MediaStream]) -> Vec<Finding> {
    let mut out = Vec::new();
    let answered = matches!(call.state, "completed" | "established");
    if call.kind != "call" || !answered || !call.sdp {
        return out;
    }
    if streams.is_empty() {
        out.push(Finding::new("no-media", Severity::Warning));
        return out;
    }
    // One way: no stream goes back to where another comes from.
    let back = streams
        .iter()
        .any(|s| streams.iter().any(|t| t.src == s.dst && t.dst == s.src));
    if !back {
        let s = streams.iter().max_by_key(|s| s.packets).copied();
        if let Some(s) = s {
            out.push(
                Finding::new("one-way-media", Severity::Warning)
                    .fact("src", &s.src)
                    .fact("dst", &s.dst)
                    .fact("packets", s.packets),
            );
        }
    }
    let worst = |key: fn(&MediaStream) -> f64| {
        streams
            .iter()
            .copied()
            .max_by(|a, b| key(a).total_cmp(&key(b)))
    };
    if let Some(s) = worst(|s| s.loss_percent).filter(|s| s.loss_percent >= 1.0) {
        let severity = if s.loss_percent >= 5.0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(stream_finding("media-loss", severity, s));
    }
    if let Some(s) = worst(|s| s.jitter_ms).filter(|s| s.jitter_ms >= 30.0) {
        let severity = if s.jitter_ms >= 60.0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(stream_finding("media-jitter", severity, s));
    }
    if let Some(s) = worst(|s| -s.mos.unwrap_or(5.0)).filter(|s| s.mos.is_some_and(|m| m < 3.6)) {
        let severity = if s.mos.is_some_and(|m| m < 3.1) {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(stream_finding("media-low-mos", severity, s));
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn stream_finding(code: &'static str, severity: Severity, s: &MediaStream) -> Finding {
    Finding::new(code, severity)
        .fact("src", &s.src)
        .fact("dst", &s.dst)
        .fact("codec", s.codec.as_deref().unwrap_or("RTP"))
        .fact("lost", s.lost)
        .fact("packets", s.packets + s.lost)
        .fact("loss", format!("{:.1}", s.loss_percent))
        .fact("jitter", format!("{:.1}", s.jitter_ms))
        .fact("mos", s.mos.map_or("-".to_string(), |m| format!("{m:.2}")))
}

/// A finding told in words: what `calls --json`, `flow`, `explain` and the report show.
#[derive(Clone, Debug, Serialize)]
pub struct Described {
    /// Stable kebab-case code.
    pub code: &'static str,
    /// error, warning or info.
    pub severity: Severity,
    /// One or two sentences in the chosen language.
    pub text: String,
    /// The labels (F1...) of the messages it rests on.
    pub labels: Vec<String>,
}

impl Described {
    /// An error or a warning: what `calls --problems` and the report's filter keep.
    pub fn is_problem(&self) -> bool {
        self.severity != Severity::Info
    }
}

#[cfg(test)]
#[path = "diagnosis_tests.rs"]
mod tests;
