//! The ladder model: participants (columns), arrows (messages), media lines and notes, built
//! once from a correlated call and drawn by every renderer. Renderers read only this model.

use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use crate::capture::Timestamp;
use crate::correlate::diagnosis::Described;
use crate::correlate::{CallSummary, MediaStream, MessageRecord, Start};
use crate::explain::{Lang, phrase};

use super::{columns, media};

/// How arrow times are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TimeMode {
    /// Wall-clock time of day (UTC), to the microsecond.
    Abs,
    /// Seconds since the first message of the flow.
    #[default]
    Rel,
    /// Seconds since the previous message.
    Delta,
    /// No times.
    None,
}

/// Names given to addresses with `--alias ip[:port]=name`.
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    by_address: Vec<(SocketAddr, String)>,
    by_ip: Vec<(IpAddr, String)>,
}

impl Aliases {
    /// Reads `ip=name`, `ip:port=name` or `[ipv6]:port=name`.
    pub fn parse(specs: &[String]) -> Result<Aliases, String> {
        let mut aliases = Aliases::default();
        for spec in specs {
            let (address, name) = spec
                .split_once('=')
                .ok_or_else(|| format!("--alias {spec:?}: expected ADDRESS=NAME"))?;
            if name.trim().is_empty() {
                return Err(format!("--alias {spec:?}: the name is empty"));
            }
            if let Ok(sa) = address.parse::<SocketAddr>() {
                aliases.by_address.push((sa, name.trim().to_string()));
            } else if let Ok(ip) = address.trim_matches(['[', ']']).parse::<IpAddr>() {
                aliases.by_ip.push((ip, name.trim().to_string()));
            } else {
                return Err(format!(
                    "--alias {spec:?}: {address:?} is not an IP address or IP:port"
                ));
            }
        }
        Ok(aliases)
    }

    /// The name given to an address, the exact address first.
    pub fn name_of(&self, address: SocketAddr) -> Option<&str> {
        self.by_address
            .iter()
            .find(|(a, _)| *a == address)
            .map(|(_, n)| n.as_str())
            .or_else(|| {
                self.by_ip
                    .iter()
                    .find(|(ip, _)| *ip == address.ip())
                    .map(|(_, n)| n.as_str())
            })
    }
}

/// What kind of message an arrow carries (renderers colour by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArrowClass {
    /// A request.
    Request,
    /// 1xx.
    Provisional,
    /// 2xx.
    Success,
    /// 3xx.
    Redirect,
    /// 4xx-6xx.
    Failure,
}

/// What a column is, when the messages show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// It relayed a request (received it and sent it on with one more Via), or re-issued one
    /// it was serving as its own UAC (the course's F4).
    Proxy,
    /// A back-to-back user agent: it answered one leg and placed the other.
    B2bua,
    /// Only media reaches it: an address the call's SDP announced that sent or received no
    /// SIP message of the call.
    Media,
}

impl Role {
    /// The key of its name in the catalog's `ladder` section.
    fn key(self) -> &'static str {
        match self {
            Role::Proxy => "ladder.role.proxy",
            Role::B2bua => "ladder.role.b2bua",
            Role::Media => "ladder.role.media",
        }
    }
}

/// One column.
#[derive(Clone, Debug, Serialize)]
pub struct Participant {
    /// The address (`ip:port`), or the addresses merged under one alias.
    pub address: String,
    /// What the column is called: an alias, else the User-Agent or Server of a message the
    /// node itself originated, else the address.
    pub label: String,
    /// What the column is (`proxy`, `media`), when evident; `null` otherwise.
    pub role: Option<Role>,
    /// Addresses merged into this column.
    #[serde(skip)]
    pub addresses: Vec<SocketAddr>,
}

/// One message between two columns.
#[derive(Clone, Debug, Serialize)]
pub struct Arrow {
    /// `F1`, `F2`... as the seed numbers them.
    pub label: String,
    /// Column of the sender.
    pub from: usize,
    /// Column of the receiver.
    pub to: usize,
    /// Capture time (RFC 3339).
    pub time: String,
    /// The first line, shortened: `REGISTER sip:REALM`, `401 Unauthorized`.
    pub summary: String,
    /// Frame number in the capture.
    pub frame: u64,
    /// A retransmission of an earlier message.
    pub retransmission: bool,
    /// Transport when not UDP (`TCP`, `WS`...).
    pub transport: Option<String>,
    /// Request or response class.
    pub class: ArrowClass,
    /// An ICMP error said it was not delivered.
    pub icmp: Option<String>,
    /// Time for ordering and relative times.
    #[serde(skip)]
    pub ts: Timestamp,
    /// Index of the message record.
    #[serde(skip)]
    pub message: usize,
}

/// A media session between two columns, as in the seed's "Media Session (proxied)".
#[derive(Clone, Debug, Serialize)]
pub struct MediaLine {
    /// One end.
    pub from: usize,
    /// The other end.
    pub to: usize,
    /// What it says: codec and packet counts.
    pub label: String,
    /// When it started.
    pub time: String,
    /// The streams it sums up.
    pub streams: Vec<MediaStream>,
    /// For ordering among arrows.
    #[serde(skip)]
    pub ts: Timestamp,
}

/// One step of a ladder, in time order.
#[derive(Clone, Copy, Debug)]
pub enum Step<'m> {
    /// Arrow `i` of [`LadderModel::arrows`].
    Arrow(usize, &'m Arrow),
    /// A media line.
    Media(&'m MediaLine),
}

impl Arrow {
    /// The arrow's text as diagram tools show it, number first:
    /// `F4 REGISTER sip:REALM [TCP] (retransmission)`.
    pub fn caption(&self) -> String {
        let mut text = format!("{} {}", self.label, self.summary);
        if let Some(t) = &self.transport {
            text.push_str(&format!(" [{t}]"));
        }
        if self.retransmission {
            text.push_str(" (retransmission)");
        }
        text
    }
}

/// The whole ladder of one call.
#[derive(Clone, Debug, Serialize)]
pub struct LadderModel {
    /// A line that says which call this is.
    pub title: String,
    /// Columns, left to right.
    pub participants: Vec<Participant>,
    /// Messages, in capture order.
    pub arrows: Vec<Arrow>,
    /// Media sessions.
    pub media: Vec<MediaLine>,
    /// What went wrong, in words (the same as `calls` says).
    pub diagnosis: Vec<Described>,
    /// How times are shown.
    #[serde(skip)]
    pub time_mode: TimeMode,
    /// Language of the title and of the roles under the columns' names.
    #[serde(skip)]
    pub lang: Lang,
}

/// How to build a ladder.
#[derive(Clone, Debug, Default)]
pub struct LadderOptions {
    /// Names for addresses.
    pub aliases: Aliases,
    /// Column order by label or address (others follow in order of appearance).
    pub order: Vec<String>,
    /// How times are shown.
    pub time_mode: TimeMode,
    /// Language of the title line.
    pub lang: Lang,
}

impl LadderModel {
    /// Builds the ladder of a call from its message records and media streams.
    pub fn build(
        call: &CallSummary,
        messages: &[&MessageRecord],
        media: &[&MediaStream],
        options: &LadderOptions,
    ) -> LadderModel {
        let diagnosis = crate::explain::diagnosis::describe(call, media, true, options.lang);
        let (mut participants, column_of) = columns::sip_columns(messages, &options.aliases);
        columns::name_and_role(&mut participants, &column_of, messages);
        columns::roles_from_joins(&mut participants, &call.joins);
        let sip_columns = participants.len();
        let (ends, media_only) = media::media_columns(
            media,
            messages,
            &mut participants,
            &column_of,
            &options.aliases,
        );
        let default = media::placed(sip_columns, &media_only);
        let order = columns::reorder(&participants, &default, &options.order);
        let new_index = |old: usize| order.iter().position(|&o| o == old).unwrap_or(old);
        let column =
            |address: &SocketAddr| column_of.get(address).map(|&c| new_index(c)).unwrap_or(0);
        let media = media::media_lines(media, &ends, new_index);
        let participants: Vec<Participant> = order
            .iter()
            .filter_map(|&old| participants.get(old).cloned())
            .collect();

        let arrows: Vec<Arrow> = messages
            .iter()
            .enumerate()
            .map(|(i, m)| Arrow {
                label: format!("F{}", i + 1),
                from: column(&m.src),
                to: column(&m.dst),
                time: m.ts.to_string(),
                summary: short_summary(m),
                frame: m.frame,
                retransmission: m.retransmission,
                transport: (m.transport != crate::capture::Transport::Udp)
                    .then(|| m.transport.as_str().to_string()),
                class: match &m.start {
                    Start::Request { .. } => ArrowClass::Request,
                    Start::Response { code, .. } => match code {
                        100..=199 => ArrowClass::Provisional,
                        200..=299 => ArrowClass::Success,
                        300..=399 => ArrowClass::Redirect,
                        _ => ArrowClass::Failure,
                    },
                },
                icmp: m.icmp.clone(),
                ts: m.ts,
                message: m.index,
            })
            .collect();
        LadderModel {
            title: title(call, options.lang),
            participants,
            arrows,
            media,
            diagnosis,
            time_mode: options.time_mode,
            lang: options.lang,
        }
    }

    /// The line under a column's name that says what it is, `(proxy)` or `(media)`, in the
    /// model's language; every format shows it there.
    pub fn role_line(&self, p: &Participant) -> Option<String> {
        p.role
            .map(|role| format!("({})", phrase(self.lang, role.key(), &[])))
    }

    /// Arrows and media lines in time order (a media line after the arrows of its instant).
    pub fn steps(&self) -> Vec<Step<'_>> {
        let mut steps: Vec<(Timestamp, usize, Step<'_>)> = self
            .arrows
            .iter()
            .enumerate()
            .map(|(i, a)| (a.ts, i, Step::Arrow(i, a)))
            .collect();
        steps.extend(
            self.media
                .iter()
                .map(|m| (m.ts, usize::MAX, Step::Media(m))),
        );
        steps.sort_by_key(|s| (s.0, s.1));
        steps.into_iter().map(|(_, _, s)| s).collect()
    }

    /// The time shown beside arrow `i`, in the model's time mode.
    pub fn time_of(&self, i: usize) -> Option<String> {
        let arrow = self.arrows.get(i)?;
        let first = self.arrows.first()?.ts;
        match self.time_mode {
            TimeMode::None => None,
            TimeMode::Abs => Some(arrow.time.get(11..26).unwrap_or(&arrow.time).to_string()),
            TimeMode::Rel => Some(seconds(arrow.ts.nanos_since(first))),
            TimeMode::Delta => {
                let previous = i
                    .checked_sub(1)
                    .and_then(|p| self.arrows.get(p))
                    .map_or(first, |a| a.ts);
                Some(format!("+{}", seconds(arrow.ts.nanos_since(previous))))
            }
        }
    }
}

fn seconds(nanos: i64) -> String {
    format!("{:.3}", nanos as f64 / 1e9)
}

/// The first line as a ladder shows it: the method and Request-URI, or the status, plus
/// `(SDP)` when a body offers or answers media.
fn short_summary(m: &MessageRecord) -> String {
    let sdp = if m.has_sdp { " (SDP)" } else { "" };
    match &m.start {
        Start::Request { method, uri } => {
            let uri = uri.split(';').next().unwrap_or(uri);
            format!("{method} {uri}{sdp}")
        }
        Start::Response { code, reason } => {
            // A 2xx says which request it accepts (200 OK for the INVITE or for the BYE?);
            // other codes speak for themselves.
            let method = if (200..300).contains(code) && !m.cseq_method.is_empty() {
                format!(" ({})", m.cseq_method)
            } else {
                String::new()
            };
            format!("{code} {reason}{method}{sdp}")
        }
    }
}

fn title(call: &CallSummary, lang: Lang) -> String {
    let status = call
        .final_status
        .map_or(String::new(), |code| format!(" {code}"));
    let count = call.messages.to_string();
    let messages = if call.messages == 1 {
        phrase(lang, "ladder.messages_one", &[])
    } else {
        phrase(lang, "ladder.messages_many", &[("count", &count)])
    };
    let id = call.id.to_string();
    phrase(
        lang,
        "ladder.title",
        &[
            ("id", &id),
            (
                "kind",
                &phrase(lang, &format!("ladder.kind.{}", call.kind), &[]),
            ),
            ("from", short_uri(&call.from)),
            ("to", short_uri(&call.to)),
            (
                "state",
                &phrase(lang, &format!("ladder.state.{}", call.state), &[]),
            ),
            ("status", &status),
            ("messages", &messages),
        ],
    )
}

fn short_uri(uri: &str) -> &str {
    uri.split(';').next().unwrap_or(uri)
}
