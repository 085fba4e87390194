/*!
Redaction: what the capture says of people and secrets, replaced by stand-ins before anything
reads it, so that every output of a run (tables, ladders, explanations, report, JSON, exported
captures) tells the same story without them.

Replaced, consistently within a run (the same original always gets the same stand-in, two
originals never share one, so the ladder keeps its shape and distinct hosts stay distinct):
- IPv4 and IPv6 addresses, in packet headers and in SIP and SDP text: by documentation
  addresses (192.0.2.x, 198.51.100.x, 203.0.113.x, then 198.18.0.0/15; 2001:db8::/32);
- the user part of SIP, SIPS and tel URIs, Digest `username`: phone numbers by numbers of the
  same length (a leading `+` kept; two spellings of one number keep their common last nine
  digits), other users by `u` and seven hex digits;
- display names, Subject and Organization, SDP's owner name, `e=`, `p=`, `i=`, `u=`;
- passwords in URIs, Digest `response`, `nonce`, `cnonce`, `opaque`, `nextnonce`, `rspauth`,
  other schemes' credentials, SDP keys (`a=crypto` inline keys, `k=`, ICE credentials,
  MIKEY), device identifiers (`urn:uuid:`): by hex of the same length;
- free-text bodies (`text/plain` chats) blanked, binary bodies (ISUP...) zeroed;
- in exported captures, RTP payloads zeroed and RTCP's SDES, BYE and APP text blanked.

Kept: domain names, realms, tags, branches, Call-IDs (less their addresses), User-Agent and
Server, ports, times, codecs, status codes: what the diagnosis needs and names no one.

The stand-ins derive from a key: a random one by default (nothing links two runs), or one the
user gives to get the same stand-ins from run to run.
*/

mod body;
mod frames;
mod message;
mod pseudonym;
mod scan;
mod sink;

use std::net::{IpAddr, SocketAddr};

use crate::capture::{OuterLayer, Warning, WarningKind};

pub use frames::FrameBuilder;
pub use sink::RedactingSink;

/// The stand-ins of one run.
pub struct Redactor {
    pseudonyms: pseudonym::Pseudonyms,
}

impl Redactor {
    /// A redactor whose stand-ins derive from `key`, or from a random key when `None`.
    pub fn new(key: Option<&str>) -> Redactor {
        Redactor {
            pseudonyms: pseudonym::Pseudonyms::new(key.map(str::as_bytes)),
        }
    }

    /// An address's stand-in.
    pub fn ip(&mut self, ip: IpAddr) -> IpAddr {
        self.pseudonyms.ip(ip)
    }

    /// A socket address with its address replaced (ports stay).
    pub fn socket(&mut self, addr: SocketAddr) -> SocketAddr {
        SocketAddr::new(self.ip(addr.ip()), addr.port())
    }

    /// A SIP message (start line, headers, body) redacted; Content-Length follows the body.
    pub fn message(&mut self, bytes: &[u8]) -> Vec<u8> {
        message::redact(bytes, &mut self.pseudonyms)
    }

    /// An RTCP compound packet with its SDES, BYE and APP text blanked (its length kept).
    pub fn rtcp(&self, bytes: &[u8]) -> Vec<u8> {
        frames::rtcp(bytes)
    }

    /// Free text (a warning, a value given on the command line) with its URIs' users and its
    /// addresses replaced.
    pub fn text(&mut self, text: &str) -> String {
        let uris = scan::uris(text.as_bytes(), &mut self.pseudonyms);
        String::from_utf8_lossy(&scan::addresses(&uris, &mut self.pseudonyms)).into_owned()
    }

    /// A value meant to match a user or number: bare (`alice`, `+33612345678`), or inside a
    /// URI or address.
    pub fn user_or_text(&mut self, text: &str) -> String {
        if text.contains([':', '@']) || text.parse::<IpAddr>().is_ok() {
            self.text(text)
        } else {
            scan::person(text.as_bytes(), &mut self.pseudonyms)
        }
    }

    /// An encapsulation with its carrying addresses replaced.
    pub fn outer(&mut self, layer: &OuterLayer) -> OuterLayer {
        OuterLayer {
            src: layer.src.map(|ip| self.ip(ip)),
            dst: layer.dst.map(|ip| self.ip(ip)),
            ..*layer
        }
    }

    /// A warning with the addresses it names replaced.
    pub fn warning(&mut self, warning: Warning) -> Warning {
        let kind = match warning.kind {
            WarningKind::TcpGap { src, dst, bytes } => WarningKind::TcpGap {
                src: self.socket(src),
                dst: self.socket(dst),
                bytes,
            },
            WarningKind::TcpUnframed {
                src,
                dst,
                bytes,
                reason,
            } => WarningKind::TcpUnframed {
                src: self.socket(src),
                dst: self.socket(dst),
                bytes,
                reason,
            },
            WarningKind::TlsUnreadable {
                client,
                server,
                reason,
            } => WarningKind::TlsUnreadable {
                client: self.socket(client),
                server: self.socket(server),
                reason: self.text(&reason),
            },
            WarningKind::TlsRecordDamaged {
                src,
                dst,
                bytes,
                reason,
            } => WarningKind::TlsRecordDamaged {
                src: self.socket(src),
                dst: self.socket(dst),
                bytes,
                reason,
            },
            WarningKind::DamagedPacket { detail } => WarningKind::DamagedPacket {
                detail: self.text(&detail),
            },
            WarningKind::BadContentLength { detail } => WarningKind::BadContentLength {
                detail: self.text(&detail),
            },
            WarningKind::LimitReached { detail } => WarningKind::LimitReached {
                detail: self.text(&detail),
            },
            WarningKind::BrokenStartLine { src, dst, line } => WarningKind::BrokenStartLine {
                src: self.socket(src),
                dst: self.socket(dst),
                line: self.text(&line),
            },
            WarningKind::WithoutCallId {
                messages,
                src,
                dst,
                line,
            } => WarningKind::WithoutCallId {
                messages,
                src: self.socket(src),
                dst: self.socket(dst),
                line: self.text(&line),
            },
            // The others name files, counts and link types; a new kind that names an address
            // must be added above.
            other => other,
        };
        Warning { kind, ..warning }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_no_address() {
        let mut r = Redactor::new(None);
        let w = r.warning(Warning {
            frame: Some(3),
            kind: WarningKind::TcpGap {
                src: "10.0.0.1:5060".parse().unwrap(),
                dst: "10.0.0.2:5060".parse().unwrap(),
                bytes: 10,
            },
        });
        assert!(!w.to_string().contains("10.0.0."), "{w}");
    }

    #[test]
    fn filter_values_follow_the_stand_ins() {
        let mut r = Redactor::new(Some("k"));
        let user = r.user_or_text("alice");
        let message = r.message(b"OPTIONS sip:alice@10.0.0.1 SIP/2.0\r\n\r\n");
        assert!(String::from_utf8_lossy(&message).contains(&format!("sip:{user}@")));
        let host = r.user_or_text("10.0.0.1");
        assert!(String::from_utf8_lossy(&message).contains(&host));
    }
}
