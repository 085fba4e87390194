//! SDP (RFC 8866) bodies: origin, connection, media descriptions and their attributes
//! (rtpmap, fmtp, ptime, direction), enough to announce which RTP streams a call opens.
//!
//! Parsing is lenient and line based: a line that does not read is recorded as a diagnostic
//! and skipped, the rest of the description is kept.

use std::net::IpAddr;

use super::error::{Error, ErrorKind};
use super::limits::MAX_SDP_LINES;
use super::span::Span;
use super::text::Text;

/// `o=`: who created the session, and its identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin<'a> {
    /// User name (`-` when none).
    pub username: Text<'a>,
    /// Session identifier.
    pub session_id: Text<'a>,
    /// Session version, incremented on each change.
    pub session_version: Text<'a>,
    /// Network type (`IN`).
    pub net_type: Text<'a>,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: Text<'a>,
    /// Address of the originator.
    pub address: Text<'a>,
}

/// `c=`: where media should be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connection<'a> {
    /// Network type (`IN`).
    pub net_type: Text<'a>,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: Text<'a>,
    /// The address as written (may carry `/ttl/count` for multicast).
    pub address: Text<'a>,
}

impl Connection<'_> {
    /// The address as an IP address, `/ttl` suffixes removed; `None` for names.
    pub fn ip(&self) -> Option<IpAddr> {
        let a = self.address.to_str()?;
        a.split('/').next()?.parse().ok()
    }
}

/// `b=`: a bandwidth limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bandwidth<'a> {
    /// Modifier (`AS`, `CT`, `TIAS`).
    pub kind: Text<'a>,
    /// Value in kbit/s (bit/s for TIAS).
    pub value: Option<u64>,
}

/// `a=`: an attribute, `name` or `name:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attribute<'a> {
    /// Attribute name.
    pub name: Text<'a>,
    /// Value after the colon.
    pub value: Option<Text<'a>>,
    /// Where the line sits.
    pub span: Span,
}

/// An `a=rtpmap:` attribute: payload type to codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RtpMap<'a> {
    /// Payload type number.
    pub payload_type: u8,
    /// Encoding name (`PCMU`, `opus`, `telephone-event`).
    pub encoding: Text<'a>,
    /// Clock rate in Hz (missing in some broken offers, such as RFC 4475's `a=rtpmap:31 LPC`).
    pub clock_rate: Option<u32>,
    /// Encoding parameters (channels for audio).
    pub params: Option<Text<'a>>,
}

/// Media direction attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `a=sendrecv` (the default).
    SendRecv,
    /// `a=sendonly`
    SendOnly,
    /// `a=recvonly`
    RecvOnly,
    /// `a=inactive`
    Inactive,
}

impl Direction {
    fn from_attr(name: &Text<'_>) -> Option<Direction> {
        Some(match name.as_bytes() {
            b"sendrecv" => Direction::SendRecv,
            b"sendonly" => Direction::SendOnly,
            b"recvonly" => Direction::RecvOnly,
            b"inactive" => Direction::Inactive,
            _ => return None,
        })
    }
}

/// `m=` and the lines that follow it: one media stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Media<'a> {
    /// Media type (`audio`, `video`, `application`...).
    pub kind: Text<'a>,
    /// Transport port (0 means the stream is refused or disabled).
    pub port: u16,
    /// Number of ports (`49170/2`).
    pub port_count: Option<u16>,
    /// Transport protocol (`RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`).
    pub protocol: Text<'a>,
    /// Formats (payload types for RTP), as written.
    pub formats: Vec<Text<'a>>,
    /// Media-level `c=`.
    pub connection: Option<Connection<'a>>,
    /// Media-level `b=` lines.
    pub bandwidths: Vec<Bandwidth<'a>>,
    /// Media-level `a=` lines.
    pub attributes: Vec<Attribute<'a>>,
    /// Where the media description sits (from `m=` to its last line).
    pub span: Span,
}

fn attr_values<'s, 'a>(
    attrs: &'s [Attribute<'a>],
    name: &'s str,
) -> impl Iterator<Item = Text<'a>> + 's {
    attrs
        .iter()
        .filter(move |a| a.name == name)
        .filter_map(|a| a.value)
}

impl<'a> Media<'a> {
    /// The `a=rtpmap` attributes.
    pub fn rtpmaps(&self) -> impl Iterator<Item = RtpMap<'a>> + '_ {
        attr_values(&self.attributes, "rtpmap").filter_map(parse_rtpmap)
    }

    /// The rtpmap of payload type `pt`.
    pub fn rtpmap(&self, pt: u8) -> Option<RtpMap<'a>> {
        self.rtpmaps().find(|r| r.payload_type == pt)
    }

    /// The `a=fmtp` parameters of payload type `pt`.
    pub fn fmtp(&self, pt: u8) -> Option<Text<'a>> {
        attr_values(&self.attributes, "fmtp").find_map(|v| {
            let s = v.as_bytes();
            let sp = s.iter().position(|b| *b == b' ').unwrap_or(s.len());
            let n: u8 = std::str::from_utf8(s.get(..sp)?).ok()?.parse().ok()?;
            (n == pt).then(|| Text(s.get(sp + 1..).unwrap_or_default()))
        })
    }

    /// The `a=ptime` packet duration in milliseconds.
    pub fn ptime(&self) -> Option<u32> {
        attr_values(&self.attributes, "ptime").find_map(|v| v.to_str()?.trim().parse().ok())
    }

    /// The media-level direction attribute, if any.
    pub fn direction_attr(&self) -> Option<Direction> {
        self.attributes
            .iter()
            .rev()
            .find_map(|a| Direction::from_attr(&a.name))
    }
}

fn parse_rtpmap(v: Text<'_>) -> Option<RtpMap<'_>> {
    let s = v.as_bytes();
    let sp = s.iter().position(|b| *b == b' ')?;
    let pt: u8 = std::str::from_utf8(s.get(..sp)?).ok()?.parse().ok()?;
    let rest = s.get(sp + 1..)?;
    let mut parts = rest.splitn(3, |b| *b == b'/');
    let encoding = parts.next()?;
    let clock_rate = parts
        .next()
        .and_then(|c| std::str::from_utf8(c).ok()?.trim().parse().ok());
    Some(RtpMap {
        payload_type: pt,
        encoding: Text(encoding),
        clock_rate,
        params: parts.next().map(Text),
    })
}

/// A parsed session description.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sdp<'a> {
    /// The body as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// `v=`
    pub version: Option<Text<'a>>,
    /// `o=`
    pub origin: Option<Origin<'a>>,
    /// `s=`
    pub session_name: Option<Text<'a>>,
    /// Session-level `c=`.
    pub connection: Option<Connection<'a>>,
    /// Session-level `b=` lines.
    pub bandwidths: Vec<Bandwidth<'a>>,
    /// `t=` lines, as written.
    pub times: Vec<Text<'a>>,
    /// Session-level `a=` lines.
    pub attributes: Vec<Attribute<'a>>,
    /// Media descriptions in order.
    pub media: Vec<Media<'a>>,
    /// Other lines (`i=`, `u=`, `e=`, `p=`, `z=`, `k=`, `r=`...): type letter and value.
    pub other: Vec<(u8, Text<'a>)>,
    /// Lines that did not read, with offsets in the buffer.
    pub diagnostics: Vec<Error>,
}

impl<'a> Sdp<'a> {
    /// Parses a session description from a whole slice.
    pub fn parse(body: &'a [u8]) -> Sdp<'a> {
        Sdp::parse_in(body, body)
    }

    /// Parses `body`, a sub-slice of `base`; spans and diagnostic offsets count from `base`.
    pub fn parse_in(base: &'a [u8], body: &'a [u8]) -> Sdp<'a> {
        let mut sdp = Sdp {
            raw: Text(body),
            span: Span::of(base, body),
            version: None,
            origin: None,
            session_name: None,
            connection: None,
            bandwidths: Vec::new(),
            times: Vec::new(),
            attributes: Vec::new(),
            media: Vec::new(),
            other: Vec::new(),
            diagnostics: Vec::new(),
        };
        let bad = |what: &'static str, at: &[u8]| Error {
            kind: ErrorKind::Expected(what),
            offset: Span::of(base, at).start,
        };
        for (n, line) in body.split(|b| *b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if n >= MAX_SDP_LINES {
                sdp.diagnostics.push(bad("fewer SDP lines", line));
                break;
            }
            let (Some(&kind), Some(b'=')) = (line.first(), line.get(1)) else {
                sdp.diagnostics
                    .push(bad("an SDP line of the form x=value", line));
                continue;
            };
            let value = line.get(2..).unwrap_or_default();
            let words = || value.split(|b| *b == b' ').filter(|w| !w.is_empty());
            match kind {
                b'v' => sdp.version = Some(Text(value)),
                b'o' => match exactly(words()) {
                    Some([u, id, ver, nt, at, addr]) => {
                        sdp.origin = Some(Origin {
                            username: Text(u),
                            session_id: Text(id),
                            session_version: Text(ver),
                            net_type: Text(nt),
                            addr_type: Text(at),
                            address: Text(addr),
                        })
                    }
                    _ => sdp.diagnostics.push(bad("six fields in the o= line", line)),
                },
                b's' => sdp.session_name = Some(Text(value)),
                b'c' => {
                    let c = match exactly(words()) {
                        Some([nt, at, addr]) => Connection {
                            net_type: Text(nt),
                            addr_type: Text(at),
                            address: Text(addr),
                        },
                        _ => {
                            sdp.diagnostics
                                .push(bad("three fields in the c= line", line));
                            continue;
                        }
                    };
                    match sdp.media.last_mut() {
                        Some(m) => m.connection = Some(c),
                        None => sdp.connection = Some(c),
                    }
                }
                b'b' => {
                    let (k, v) = match value.iter().position(|b| *b == b':') {
                        Some(p) => (value.get(..p).unwrap_or_default(), value.get(p + 1..)),
                        None => {
                            sdp.diagnostics
                                .push(bad("a bandwidth of the form type:value", line));
                            continue;
                        }
                    };
                    let b = Bandwidth {
                        kind: Text(k),
                        value: v.and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok()),
                    };
                    match sdp.media.last_mut() {
                        Some(m) => m.bandwidths.push(b),
                        None => sdp.bandwidths.push(b),
                    }
                }
                b't' => sdp.times.push(Text(value)),
                b'a' => {
                    let (name, v) = match value.iter().position(|b| *b == b':') {
                        Some(p) => (
                            value.get(..p).unwrap_or_default(),
                            value.get(p + 1..).map(Text),
                        ),
                        None => (value, None),
                    };
                    let a = Attribute {
                        name: Text(name),
                        value: v,
                        span: Span::of(base, line),
                    };
                    match sdp.media.last_mut() {
                        Some(m) => {
                            m.attributes.push(a);
                            m.span.end = Span::of(base, line).end;
                        }
                        None => sdp.attributes.push(a),
                    }
                }
                b'm' => {
                    let mut w = words();
                    let (Some(kind), Some(port), Some(proto)) = (w.next(), w.next(), w.next())
                    else {
                        sdp.diagnostics
                            .push(bad("media, port and protocol in the m= line", line));
                        continue;
                    };
                    let (p, count) = match port.iter().position(|b| *b == b'/') {
                        Some(s) => (port.get(..s).unwrap_or_default(), port.get(s + 1..)),
                        None => (port, None),
                    };
                    let num = |d: &[u8]| {
                        std::str::from_utf8(d)
                            .ok()
                            .and_then(|s| s.parse::<u16>().ok())
                    };
                    let Some(port) = num(p) else {
                        sdp.diagnostics
                            .push(bad("a port number in the m= line", line));
                        continue;
                    };
                    sdp.media.push(Media {
                        kind: Text(kind),
                        port,
                        port_count: count.and_then(num),
                        protocol: Text(proto),
                        formats: w.map(Text).collect(),
                        connection: None,
                        bandwidths: Vec::new(),
                        // rtpmap, fmtp, ptime, direction... (grown once at most).
                        attributes: Vec::with_capacity(8),
                        span: Span::of(base, line),
                    });
                }
                k if k.is_ascii_lowercase() => sdp.other.push((k, Text(value))),
                _ => sdp
                    .diagnostics
                    .push(bad("a lower-case SDP line type", line)),
            }
        }
        if sdp.version.is_none() {
            sdp.diagnostics.push(bad("a v= line", body));
        }
        sdp
    }

    /// The session-level direction attribute, if any.
    pub fn direction_attr(&self) -> Option<Direction> {
        self.attributes
            .iter()
            .rev()
            .find_map(|a| Direction::from_attr(&a.name))
    }

    /// The direction of media stream `index`: its own attribute, else the session's, else
    /// sendrecv.
    pub fn direction(&self, index: usize) -> Direction {
        self.media
            .get(index)
            .and_then(Media::direction_attr)
            .or_else(|| self.direction_attr())
            .unwrap_or(Direction::SendRecv)
    }

    /// The connection address of media stream `index` (its own `c=`, else the session's).
    pub fn connection_of(&self, index: usize) -> Option<Connection<'a>> {
        self.media
            .get(index)
            .and_then(|m| m.connection)
            .or(self.connection)
    }
}

/// The `N` words of a line that must have exactly `N` (`None` for fewer or more).
fn exactly<'a, const N: usize>(mut words: impl Iterator<Item = &'a [u8]>) -> Option<[&'a [u8]; N]> {
    let mut out = [&b""[..]; N];
    for slot in &mut out {
        *slot = words.next()?;
    }
    words.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\na=sendonly\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\nm=video 51372/2 RTP/AVP 31\r\nc=IN IP6 2001:db8::2\r\nb=AS:128\r\na=rtpmap:31 H261/90000\r\na=recvonly\r\n";

    #[test]
    fn audio_and_video() {
        let s = Sdp::parse(BODY);
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.origin.unwrap().username, "alice");
        assert_eq!(s.media.len(), 2);
        let a = &s.media[0];
        assert_eq!((a.kind, a.port), (Text(b"audio"), 49170));
        assert_eq!(a.formats.len(), 3);
        assert_eq!(a.rtpmap(0).unwrap().encoding, "PCMU");
        assert_eq!(a.rtpmap(101).unwrap().clock_rate, Some(8000));
        assert_eq!(a.fmtp(101).unwrap(), "0-16");
        assert_eq!(a.ptime(), Some(20));
        assert_eq!(s.direction(0), Direction::SendOnly);
        assert_eq!(s.direction(1), Direction::RecvOnly);
        let v = &s.media[1];
        assert_eq!(v.port_count, Some(2));
        assert_eq!(v.bandwidths[0].value, Some(128));
        assert_eq!(
            s.connection_of(1).unwrap().ip().unwrap().to_string(),
            "2001:db8::2"
        );
        assert_eq!(
            s.connection_of(0).unwrap().ip().unwrap().to_string(),
            "192.0.2.101"
        );
    }

    #[test]
    fn broken_lines_are_diagnostics() {
        let s = Sdp::parse(b"v=0\nm =video 3227 RTP/AVP 31\nm=audio x RTP/AVP 0\nc=IN\n");
        assert_eq!(s.diagnostics.len(), 3);
        assert!(s.media.is_empty());
        assert!(!Sdp::parse(b"garbage").diagnostics.is_empty());
    }
}
