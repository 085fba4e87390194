//! The HTML report: one self-contained file (inline CSS and script, nothing loaded from
//! anywhere, a Content-Security-Policy that forbids it) with the capture's summary, a sortable
//! table of calls, and per call its SVG ladder linked to each message's details.
//!
//! Every text from the capture goes through askama's HTML escaping; the only markup inserted
//! as is comes from [`SvgRenderer`], which escapes every text it writes. The page is written
//! in parts ([`super::page`]).

use super::Renderer;
use super::model::LadderModel;
use super::svg::SvgRenderer;
use super::text::sanitize;

/// One line of the summary table.
#[derive(Clone, Debug)]
pub struct SummaryRow {
    /// What.
    pub label: String,
    /// How much.
    pub value: String,
}

/// One message, ready for the page.
#[derive(Clone, Debug)]
pub struct MessageView {
    /// Anchor id (`c3-m5` for F5 of call 3).
    pub anchor: String,
    /// `F5`.
    pub label: String,
    /// Capture time.
    pub time: String,
    /// Seconds since the call's first message.
    pub relative: String,
    /// Sender and receiver.
    pub path: String,
    /// Transport.
    pub transport: String,
    /// Frame number.
    pub frame: u64,
    /// The first line.
    pub first_line: String,
    /// It is a retransmission.
    pub retransmission: bool,
    /// ICMP error about it.
    pub icmp: Option<String>,
    /// The message as captured (text, control characters replaced).
    pub raw: String,
    /// Explanations, one per language offered.
    pub explanations: Vec<ExplanationView>,
}

/// The explanation of a message in one language.
#[derive(Clone, Debug)]
pub struct ExplanationView {
    /// `fr` or `en`.
    pub lang: &'static str,
    /// One sentence.
    pub summary: String,
    /// What the first line means.
    pub first_line: Vec<String>,
    /// Per header.
    pub headers: Vec<HeaderView>,
    /// Notes that depend on the context.
    pub notes: Vec<String>,
}

/// One header and what it means.
#[derive(Clone, Debug)]
pub struct HeaderView {
    /// Its name.
    pub name: String,
    /// Its value as written.
    pub value: String,
    /// Bullets.
    pub lines: Vec<String>,
}

/// A media stream line.
#[derive(Clone, Debug)]
pub struct MediaView {
    /// `src → dst`.
    pub path: String,
    /// Codec.
    pub codec: String,
    /// Packets.
    pub packets: u64,
    /// Lost packets.
    pub lost: u64,
    /// Loss in percent.
    pub loss: String,
    /// Jitter in ms.
    pub jitter: String,
    /// Largest gap in ms.
    pub max_delta: String,
    /// Duration.
    pub duration: String,
    /// Estimated MOS (E-model).
    pub mos: String,
}

/// One call, ready for the page.
#[derive(Clone, Debug)]
pub struct CallView {
    /// Its number.
    pub id: usize,
    /// Anchor prefix (`c3-`).
    pub prefix: String,
    /// Kind.
    pub kind: String,
    /// State.
    pub state: String,
    /// Final status with reason.
    pub status: String,
    /// Numeric status for sorting.
    pub status_code: u16,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Start time.
    pub start: String,
    /// Duration as text.
    pub duration: String,
    /// Duration in ms, for sorting.
    pub duration_ms: u64,
    /// Setup time as text.
    pub setup: String,
    /// Setup time in ms, for sorting.
    pub setup_ms: Option<u64>,
    /// Messages.
    pub messages: u32,
    /// Retransmissions.
    pub retransmissions: u32,
    /// Copies taken twice by the capture.
    pub duplicates: u32,
    /// Participants, joined.
    pub participants: String,
    /// Call-IDs.
    pub call_ids: String,
    /// How legs were joined.
    pub joined_by: Vec<String>,
    /// Its diagnosis, in both languages.
    pub diagnosis: Vec<FindingView>,
    /// The codes of its errors and warnings (the table's Diagnosis column).
    pub problems: String,
    /// The ladder (SVG markup from [`SvgRenderer`], which escapes every text).
    pub svg: String,
    /// Its messages, when detailed.
    pub messages_view: Vec<MessageView>,
    /// Its media streams.
    pub media: Vec<MediaView>,
    /// Jitter and loss of its streams (SVG markup from [`super::chart`], which escapes every
    /// text), empty without media or details.
    pub media_svg: String,
    /// Details are in the page (false beyond the size budget).
    pub detailed: bool,
    /// The number of the attack it is part of (the table shows an attack's exchanges as one
    /// row until asked for them one by one).
    pub attack: Option<usize>,
}

/// An attack (scan, flood, password guessing) in the report: one line, and its exchanges.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AttackView {
    /// Its number, which its exchanges' rows carry.
    pub number: usize,
    /// `scan` or `brute-force`.
    pub code: &'static str,
    /// What, from where, to where, answered how, in a line.
    pub line: String,
    /// Its shape in words.
    pub shape: String,
    /// Exchanges listed in the report.
    pub exchanges: usize,
    /// Their SIP messages.
    pub messages: u64,
    /// The number of the last one.
    pub last: usize,
    /// How many of them the table's data holds one by one (the first, up to a bound).
    pub listed: usize,
}

/// One finding of a call's diagnosis, in one language.
#[derive(Clone, Debug)]
pub struct FindingView {
    /// `fr` or `en`.
    pub lang: &'static str,
    /// error, warning or info.
    pub severity: &'static str,
    /// Its code.
    pub code: &'static str,
    /// Its sentence.
    pub text: String,
}

/// One chart of the dashboard.
#[derive(Clone, Debug)]
pub struct ChartView {
    /// Its anchor (`chart-setup`).
    pub id: String,
    /// Its heading.
    pub title: String,
    /// What it shows, in a sentence.
    pub caption: String,
    /// The chart (SVG markup from [`super::chart`], which escapes every text).
    pub svg: String,
}

/// The ladder of a call as SVG markup for the page, arrows linked to the message details.
pub fn ladder_svg(model: &LadderModel, prefix: &str, links: bool) -> String {
    let renderer = SvgRenderer {
        id_prefix: prefix.to_string(),
        links,
        embedded: true,
    };
    let mut out = Vec::new();
    if renderer.render(model, &mut out).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A message's bytes as page text: invalid UTF-8 and control characters (but line ends and
/// tabs) replaced.
pub fn raw_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| match c {
            '\r' => '\u{240d}',
            '\n' | '\t' => c,
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .replace('\u{240d}', "")
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` written as `\u` escapes,
/// so that no text from the capture can close the element or open a comment.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Text from the capture, for attributes and short fields.
pub fn clean(text: &str) -> String {
    sanitize(text)
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn json_from_the_capture_cannot_close_its_script() {
        let hostile = ["</script><script>alert(1)</script>", "<!-- a&b", "\u{2028}"];
        let json = serde_json::to_string(&hostile).unwrap_or_default();
        let safe = script_json(&json);
        assert!(!safe.contains(['<', '>', '&', '\u{2028}']), "{safe}");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, hostile);
    }
}
