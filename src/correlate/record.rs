//! One SIP message as correlation keeps it: the few fields that identify its transaction,
//! dialog and call, its place in the capture, and what a ladder or a summary shows of it.
//! Parsed once from the message; owned, so the capture's buffers can move on.

use std::net::{IpAddr, SocketAddr};

use compact_str::CompactString;
use serde::Serialize;

use crate::capture::{OuterLayer, SipPayload, Timestamp, Transport};
use crate::sip::{HeaderName, Message, Method, StartLine};

/// Longest string kept from a header value; the rest is cut (a 64 KB User-Agent stays cheap).
const MAX_FIELD: usize = 256;

/// The start line, kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Start {
    /// A request.
    Request {
        /// The method as written.
        method: CompactString,
        /// The Request-URI as written.
        uri: CompactString,
    },
    /// A response.
    Response {
        /// The status code.
        code: u16,
        /// The reason phrase as written.
        reason: CompactString,
    },
}

/// A From or To address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    /// The URI as written.
    pub uri: CompactString,
    /// Its user part, when it has one.
    pub user: Option<CompactString>,
    /// The display name, unquoted.
    pub display: Option<CompactString>,
    /// The tag parameter (the dialog half chosen by that side).
    pub tag: Option<CompactString>,
}

/// A media stream announced in an SDP body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediaOffer {
    /// `audio`, `video`...
    pub kind: String,
    /// Where the sender wants to receive it.
    pub address: Option<IpAddr>,
    /// The port (0 refuses the stream).
    pub port: u16,
    /// Payload types with their encoding name and clock rate, first preferred.
    pub codecs: Vec<Codec>,
    /// sendrecv, sendonly, recvonly or inactive.
    pub direction: &'static str,
}

/// A payload type of an SDP media line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Codec {
    /// RTP payload type.
    pub payload_type: u8,
    /// Encoding name (`PCMA`...), from rtpmap or the static table.
    pub name: String,
    /// RTP clock rate.
    pub clock_rate: u32,
}

/// One SIP message, as correlated.
#[derive(Clone, Debug, Serialize)]
pub struct MessageRecord {
    /// 0-based position among the capture's SIP messages.
    pub index: usize,
    /// The frame that completed it.
    pub frame: u64,
    /// The frame where it started.
    pub first_frame: u64,
    /// When it was captured.
    pub ts: Timestamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Transport.
    pub transport: Transport,
    /// Encapsulations it was found under.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outer: Vec<OuterLayer>,
    /// Its start line.
    pub start: Start,
    /// Call-ID (empty when missing).
    pub call_id: CompactString,
    /// CSeq number.
    pub cseq: Option<u32>,
    /// CSeq method (for responses: the method answered).
    pub cseq_method: CompactString,
    /// From.
    pub from: Party,
    /// To.
    pub to: Party,
    /// Top Via branch.
    pub branch: Option<CompactString>,
    /// Top Via sent-by (host:port as written).
    pub sent_by: CompactString,
    /// How many Via values (hops the request went through).
    pub vias: usize,
    /// User-Agent of a request, Server of a response.
    pub agent: Option<CompactString>,
    /// Media announced in an SDP body (SDP inside multipart included).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaOffer>,
    /// It has an SDP body.
    pub has_sdp: bool,
    /// Expires header, or the smallest Contact expires parameter.
    pub expires: Option<u32>,
    /// It carries Authorization or Proxy-Authorization.
    pub has_credentials: bool,
    /// The digest challenge a 401/407 issues, or the one a request's credentials answer:
    /// realm and nonce (an authentication retry under a new Call-ID echoes them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<Box<DigestKey>>,
    /// The user of P-Asserted-Identity, when present (the caller a back-to-back agent asserts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asserted_user: Option<CompactString>,
    /// Call-IDs of other legs named in X-Call-ID-like headers (B2BUA correlation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub linked_call_ids: Vec<String>,
    /// Retry-After of a 5xx or 3xx response, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// Subscription-State value, for NOTIFY.
    pub subscription_state: Option<CompactString>,
    /// Bytes of the message.
    pub len: usize,
    /// Problems the parser found.
    pub diagnostics: usize,
    /// Set by correlation: the same message was seen before in its transaction.
    pub retransmission: bool,
    /// Set by correlation: a copy of a message seen an instant before with the same bytes on
    /// the same path (a mirror port, or a capture at two points), not sent again by anyone.
    pub duplicate: bool,
    /// A hash of its addresses and bytes, which its copies share (see [`MessageRecord::duplicate`]);
    /// computed with the parsing, off the correlating thread.
    #[serde(skip)]
    pub copy_key: u64,
    /// Set by correlation: the frame where its exchange (leg) began, which names the exchange
    /// across two readings of the capture.
    pub exchange: u64,
    /// Set by correlation: its transaction.
    pub transaction: usize,
    /// Set by correlation: an ICMP error said it was not delivered (reason).
    pub icmp: Option<String>,
    /// The message bytes, when asked for.
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
}

impl MessageRecord {
    /// Builds the record of a captured message.
    pub fn new(index: usize, payload: &SipPayload<'_>, msg: &Message<'_>, keep_raw: bool) -> Self {
        let start = match msg.start_line {
            StartLine::Request { method, uri, .. } => Start::Request {
                method: CompactString::from(method.as_str()),
                uri: clip(&uri.to_string_lossy()),
            },
            StartLine::Response { code, reason, .. } => Start::Response {
                code,
                reason: clip(&reason.to_string_lossy()),
            },
            StartLine::Malformed { line } => Start::Request {
                method: "?".into(),
                uri: clip(&line.to_string_lossy()),
            },
        };
        let cseq = msg.cseq();
        let via = msg.top_via();
        let is_request = msg.is_request();
        let agent_header = if is_request {
            HeaderName::UserAgent
        } else {
            HeaderName::Server
        };
        // Bodies and Contact expiries are read only where they matter (most messages have
        // neither an SDP body nor a registration to time).
        let sdp = if msg.body.is_empty() { None } else { msg.sdp() };
        let media = sdp.as_ref().map(media_offers).unwrap_or_default();
        let registering = cseq
            .as_ref()
            .is_some_and(|c| matches!(c.method, Method::Register | Method::Subscribe));
        let expires = msg.expires().or_else(|| {
            registering
                .then(|| msg.contacts().filter_map(|c| c.address()?.expires()).min())
                .flatten()
        });
        let has_credentials = is_request
            && (msg.header(HeaderName::Authorization).is_some()
                || msg.header(HeaderName::ProxyAuthorization).is_some());
        MessageRecord {
            copy_key: crate::correlate::duplicate::Duplicates::key(payload),
            index,
            frame: payload.frame,
            first_frame: payload.first_frame,
            ts: payload.ts,
            src: payload.src,
            dst: payload.dst,
            transport: payload.transport,
            outer: payload.outer.to_vec(),
            start,
            call_id: call_id_of(msg),
            cseq: cseq.as_ref().map(|c| c.seq),
            cseq_method: cseq
                .as_ref()
                .map(|c| CompactString::from(c.method.as_str()))
                .unwrap_or_default(),
            from: party(msg.from()),
            to: party(msg.to()),
            branch: via
                .as_ref()
                .and_then(|v| v.branch())
                .map(|b| clip(&b.to_string_lossy())),
            sent_by: via
                .as_ref()
                .map(|v| clip(&v.sent_by().to_string_lossy()))
                .unwrap_or_default(),
            // Counting values does not need each one parsed.
            vias: msg.count_values(HeaderName::Via),
            agent: msg
                .header(agent_header)
                .map(|h| clip(&h.text().to_string_lossy())),
            has_sdp: sdp.is_some(),
            media,
            expires,
            has_credentials,
            digest: digest_key(msg, is_request, has_credentials),
            asserted_user: if is_request {
                msg.addresses(HeaderName::PAssertedIdentity)
                    .next()
                    .and_then(|a| a.uri.user.map(|u| clip(&u.to_string_lossy())))
            } else {
                None
            },
            linked_call_ids: linked_call_ids(msg),
            retry_after: msg
                .status_code()
                .filter(|c| *c >= 300)
                .and_then(|_| msg.header(HeaderName::RetryAfter))
                .and_then(|h| {
                    let text = h.text().to_string_lossy();
                    let digits: String = text
                        .trim()
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    digits.parse().ok()
                }),
            subscription_state: msg
                .header(HeaderName::SubscriptionState)
                .map(|h| clip(&h.text().to_string_lossy())),
            len: payload.bytes.len(),
            diagnostics: msg.diagnostics.len(),
            retransmission: false,
            duplicate: false,
            exchange: 0,
            transaction: 0,
            icmp: None,
            raw: keep_raw.then(|| payload.bytes.to_vec()),
        }
    }

    /// The request method, for requests.
    pub fn method(&self) -> Option<&str> {
        match &self.start {
            Start::Request { method, .. } => Some(method),
            Start::Response { .. } => None,
        }
    }

    /// The status code, for responses.
    pub fn code(&self) -> Option<u16> {
        match self.start {
            Start::Response { code, .. } => Some(code),
            Start::Request { .. } => None,
        }
    }

    /// The first line as a ladder shows it: `REGISTER sip:REALM`, `401 Unauthorized`,
    /// `INVITE sip:bob@REALM (SDP)`.
    pub fn summary(&self) -> String {
        let sdp = if self.has_sdp { " (SDP)" } else { "" };
        match &self.start {
            Start::Request { method, uri } => format!("{method} {uri}{sdp}"),
            Start::Response { code, reason } => format!("{code} {reason}{sdp}"),
        }
    }

    /// The Request-URI's user part, for requests.
    pub fn request_user(&self) -> Option<String> {
        match &self.start {
            Start::Request { uri, .. } => crate::sip::Uri::from_slice(uri.as_bytes())
                .ok()
                .and_then(|u| u.user)
                .map(|u| u.to_string_lossy().into_owned()),
            Start::Response { .. } => None,
        }
    }

    /// Whether a request is initial (outside any dialog: no To tag).
    pub fn is_initial_request(&self) -> bool {
        self.method().is_some() && self.to.tag.is_none()
    }

    /// The method this message belongs to: the request's, or the CSeq method of a response.
    pub fn transaction_method(&self) -> &str {
        self.method().unwrap_or(&self.cseq_method)
    }

    /// Is this request's method `m`?
    pub fn is(&self, m: Method<'_>) -> bool {
        self.method() == Some(m.as_str())
    }
}

/// A digest challenge's realm and nonce.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct DigestKey {
    /// The realm.
    pub realm: CompactString,
    /// The nonce.
    pub nonce: CompactString,
}

/// The challenge of a 401/407, or the one a request's credentials answer. Only messages that
/// carry an authentication header pay for this.
fn digest_key(msg: &Message<'_>, is_request: bool, credentials: bool) -> Option<Box<DigestKey>> {
    if is_request && !credentials {
        return None;
    }
    let names = if is_request {
        [HeaderName::Authorization, HeaderName::ProxyAuthorization]
    } else {
        match msg.status_code() {
            Some(401 | 407) => [HeaderName::WwwAuthenticate, HeaderName::ProxyAuthenticate],
            _ => return None,
        }
    };
    let auth = names.into_iter().find_map(|n| msg.auth(n))?;
    let nonce = auth.nonce()?.to_string_lossy();
    let realm = auth
        .realm()
        .map(|r| r.to_string_lossy())
        .unwrap_or_default();
    Some(Box::new(DigestKey {
        realm: clip(&realm),
        nonce: clip(&nonce),
    }))
}

/// The Call-ID as the grammar reads it or, when its value breaks the grammar (a control
/// character, a space), as written: still what ties the message to the others. Empty when the
/// message has none ([`super::uncorrelated`]).
fn call_id_of(msg: &Message<'_>) -> CompactString {
    if let Some(c) = msg.call_id() {
        return clip(&c.value.to_string_lossy());
    }
    msg.header(HeaderName::CallId)
        .map(|h| clip(String::from_utf8_lossy(h.value).trim()))
        .unwrap_or_default()
}

fn clip(s: &str) -> CompactString {
    if s.len() <= MAX_FIELD {
        return CompactString::from(s);
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    compact_str::format_compact!("{}…", s.get(..end).unwrap_or_default())
}

fn party(addr: Option<crate::sip::NameAddr<'_>>) -> Party {
    let Some(a) = addr else {
        return Party::default();
    };
    Party {
        uri: clip(&a.uri.raw.to_string_lossy()),
        user: a.uri.user.map(|u| clip(&u.to_string_lossy())),
        display: a
            .display_name_unquoted()
            .map(|d| clip(&d.to_string_lossy()))
            .filter(|d| !d.is_empty()),
        tag: a.tag().map(|t| clip(&t.to_string_lossy())),
    }
}

/// Headers by which back-to-back user agents name the Call-ID of the other leg.
const LINK_HEADERS: [&str; 5] = [
    "X-Call-ID",
    "X-CID",
    "X-Orig-Call-ID",
    "X-Original-Call-ID",
    "X-Leg-Call-ID",
];

fn linked_call_ids(msg: &Message<'_>) -> Vec<String> {
    msg.headers
        .iter()
        .filter(|h| {
            // Every name of the list starts with "X-": most headers are passed over at once.
            h.raw_name
                .0
                .first()
                .is_some_and(|c| *c == b'X' || *c == b'x')
                && LINK_HEADERS
                    .iter()
                    .any(|name| h.raw_name.eq_ignore_case(name))
        })
        .map(|h| clip(h.text().to_string_lossy().trim()).into_string())
        .collect()
}

fn media_offers(sdp: &crate::sip::Sdp<'_>) -> Vec<MediaOffer> {
    sdp.media
        .iter()
        .enumerate()
        .map(|(i, m)| MediaOffer {
            kind: m.kind.to_string_lossy().into_owned(),
            address: sdp.connection_of(i).and_then(|c| c.ip()),
            port: m.port,
            codecs: m
                .formats
                .iter()
                .filter_map(|f| f.to_str()?.parse::<u8>().ok())
                .map(|pt| codec(m, pt))
                .collect(),
            direction: match sdp.direction(i) {
                crate::sip::Direction::SendRecv => "sendrecv",
                crate::sip::Direction::SendOnly => "sendonly",
                crate::sip::Direction::RecvOnly => "recvonly",
                crate::sip::Direction::Inactive => "inactive",
            },
        })
        .collect()
}

/// A payload type's name and clock rate, from rtpmap or RFC 3551's static assignments.
fn codec(media: &crate::sip::Media<'_>, pt: u8) -> Codec {
    if let Some(map) = media.rtpmap(pt) {
        return Codec {
            payload_type: pt,
            name: map.encoding.to_string_lossy().into_owned(),
            clock_rate: map.clock_rate.unwrap_or(8000),
        };
    }
    let (name, clock_rate) = match pt {
        0 => ("PCMU", 8000),
        3 => ("GSM", 8000),
        4 => ("G723", 8000),
        8 => ("PCMA", 8000),
        9 => ("G722", 8000),
        13 => ("CN", 8000),
        18 => ("G729", 8000),
        26 => ("JPEG", 90000),
        31 => ("H261", 90000),
        34 => ("H263", 90000),
        _ => ("?", 8000),
    };
    Codec {
        payload_type: pt,
        name: name.to_string(),
        clock_rate,
    }
}
