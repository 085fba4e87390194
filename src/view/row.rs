//! A call as one row of a list: the columns of `calls`, as text, with the numbers they sort
//! by.

use crate::correlate::CallSummary;
use crate::correlate::diagnosis::Described;
use crate::render::html::clean;
use crate::sip::reason_phrase;

/// One call, registration or other exchange, as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRow {
    /// Its number (the one `calls` and `--call N` use).
    pub id: usize,
    /// call, registration, subscription, message, options or other.
    pub kind: String,
    /// Start time (RFC 3339).
    pub start: String,
    /// The From URI, control characters replaced.
    pub from: String,
    /// The To URI, control characters replaced.
    pub to: String,
    /// Its state (`completed`, `failed`...).
    pub state: String,
    /// Final status with its reason (`486 Busy Here`), `-` when none.
    pub status: String,
    /// The final status code, 0 when none (for sorting).
    pub status_code: u16,
    /// Messages.
    pub messages: u32,
    /// Retransmissions among them.
    pub retransmissions: u32,
    /// Copies taken twice by the capture.
    pub duplicates: u32,
    /// Setup time as text.
    pub setup: String,
    /// Setup time in ms (for sorting).
    pub setup_ms: Option<u64>,
    /// Duration as text.
    pub duration: String,
    /// Duration in ms (for sorting).
    pub duration_ms: Option<u64>,
    /// The codes of its errors and warnings, comma-separated.
    pub problems: String,
    /// Every Call-ID of its legs.
    pub call_ids: Vec<String>,
    /// Its participants (`ip:port`).
    pub participants: Vec<String>,
}

impl CallRow {
    /// The row of a call, with the codes of the problems among `findings` (its diagnosis).
    pub fn new(call: &CallSummary, findings: &[Described]) -> CallRow {
        CallRow {
            id: call.id,
            kind: call.kind.to_string(),
            start: call.start.clone(),
            from: clean(&call.from),
            to: clean(&call.to),
            state: call.state.to_string(),
            status: call
                .final_status
                .map_or("-".to_string(), |code| match reason_phrase(code) {
                    Some(r) => format!("{code} {r}"),
                    None => code.to_string(),
                }),
            status_code: call.final_status.unwrap_or(0),
            messages: call.messages,
            retransmissions: call.retransmissions,
            duplicates: call.duplicates,
            setup: millis(call.setup_ms),
            setup_ms: call.setup_ms,
            duration: millis(call.duration_ms),
            duration_ms: call.duration_ms,
            problems: findings
                .iter()
                .filter(|d| d.is_problem())
                .map(|d| d.code)
                .collect::<Vec<_>>()
                .join(", "),
            call_ids: call.call_ids.iter().map(|c| clean(c)).collect(),
            participants: call.participants.clone(),
        }
    }

    /// The time of day it started, to the millisecond (`19:11:10.123`).
    pub fn start_time(&self) -> &str {
        self.start.get(11..23).unwrap_or(&self.start)
    }
}

/// Milliseconds as the report and the browser show them: `850 ms`, `2.5 s`.
pub fn millis(ms: Option<u64>) -> String {
    ms.map_or("-".to_string(), |ms| {
        if ms < 1000 {
            format!("{ms} ms")
        } else {
            format!("{:.1} s", ms as f64 / 1000.0)
        }
    })
}
