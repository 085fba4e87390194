//! The first line of a message: a request line or a status line.
//!
//! Recognition is liberal (extra spaces, a missing reason phrase, another SIP version are
//! accepted with a diagnostic) so that every SIP-looking packet can still be shown; a line that
//! is not SIP at all is refused.

use std::fmt;

use super::charset::{is_token, is_ws};
use super::diagnostic::{Diagnostic, DiagnosticKind};
use super::error::ErrorKind;
use super::method::Method;
use super::span::Span;
use super::text::Text;

/// A SIP protocol version (`SIP/2.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    /// Major number.
    pub major: u16,
    /// Minor number.
    pub minor: u16,
}

impl Version {
    /// SIP/2.0, the only version in use.
    pub const SIP_2_0: Version = Version { major: 2, minor: 0 };

    /// Parses `SIP/x.y` ("SIP" in any case).
    pub fn from_slice(i: &[u8]) -> Option<Version> {
        let rest = i
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case(b"SIP/"))
            .and(i.get(4..))?;
        let dot = rest.iter().position(|b| *b == b'.')?;
        let num = |d: &[u8]| -> Option<u16> {
            if d.is_empty() || d.len() > 4 || !d.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(d).ok()?.parse().ok()
        };
        Some(Version {
            major: num(rest.get(..dot)?)?,
            minor: num(rest.get(dot + 1..)?)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIP/{}.{}", self.major, self.minor)
    }
}

/// The start line of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StartLine<'a> {
    /// `Method SP Request-URI SP SIP-Version`.
    Request {
        /// The method.
        method: Method<'a>,
        /// The Request-URI as written (parse it with [`Uri::from_slice`](super::Uri::from_slice)).
        uri: Text<'a>,
        /// The version.
        version: Version,
    },
    /// `SIP-Version SP Status-Code SP Reason-Phrase`.
    Response {
        /// The version.
        version: Version,
        /// The status code.
        code: u16,
        /// The reason phrase (may be empty, may hold UTF-8).
        reason: Text<'a>,
    },
    /// A line that looks like SIP but cannot be read (a status code of ten digits...).
    Malformed {
        /// The line as written.
        line: Text<'a>,
    },
}

impl<'a> StartLine<'a> {
    /// True for requests.
    pub fn is_request(&self) -> bool {
        matches!(self, StartLine::Request { .. })
    }

    /// True for responses.
    pub fn is_response(&self) -> bool {
        matches!(self, StartLine::Response { .. })
    }
}

fn split_ws(i: &[u8]) -> Option<(&[u8], &[u8], usize)> {
    let end = i.iter().position(|b| is_ws(*b))?;
    let rest = i.get(end..)?;
    let n = rest.iter().take_while(|b| is_ws(**b)).count();
    Some((i.get(..end)?, rest.get(n..)?, n))
}

/// Reads a start line (without its line break) found at `offset` in the buffer. Returns
/// `None` when the line is not a SIP start line at all; otherwise the line, with problems
/// appended to `diags`.
pub fn parse_start_line<'a>(
    line: &'a [u8],
    offset: usize,
    diags: &mut Vec<Diagnostic<'a>>,
) -> Option<StartLine<'a>> {
    let diag = |d: &mut Vec<Diagnostic<'a>>, kind, at: &[u8]| {
        d.push(Diagnostic::new(
            kind,
            offset + Span::of(line, at).start,
            None,
        ));
    };
    if line
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"SIP/"))
    {
        let Some((v, rest, spaces)) = split_ws(line) else {
            return Some(malformed(line, offset, diags));
        };
        let version = Version::from_slice(v);
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let code_bytes = rest.get(..n).unwrap_or_default();
        let after = rest.get(n..).unwrap_or_default();
        if n != 3 || !(after.is_empty() || after.first().is_some_and(|b| is_ws(*b))) {
            diag(diags, DiagnosticKind::BadStatusCode, rest);
            return Some(StartLine::Malformed { line: Text(line) });
        }
        let code = code_bytes
            .iter()
            .fold(0u16, |a, d| a * 10 + u16::from(d - b'0'));
        if spaces > 1 {
            diag(diags, DiagnosticKind::StartLineWhitespace, rest);
        }
        let reason = match after.split_first() {
            Some((_, r)) => r,
            None => after,
        };
        let Some(version) = version else {
            diag(
                diags,
                DiagnosticKind::Syntax(ErrorKind::Expected("a SIP version")),
                line,
            );
            return Some(StartLine::Malformed { line: Text(line) });
        };
        if version != Version::SIP_2_0 {
            diag(diags, DiagnosticKind::UnsupportedVersion, line);
        }
        return Some(StartLine::Response {
            version,
            code,
            reason: Text(reason),
        });
    }
    // Request: Method SP Request-URI SP SIP-Version
    let (m, rest, spaces) = split_ws(line)?;
    if m.is_empty() || !m.iter().all(|b| is_token(*b)) {
        return None;
    }
    let trimmed_len = rest.iter().rposition(|b| !is_ws(*b)).map_or(0, |p| p + 1);
    let body = rest.get(..trimmed_len)?;
    let vstart = body.iter().rposition(|b| is_ws(*b))? + 1;
    let v = body.get(vstart..)?;
    if !v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case(b"SIP/")) {
        return None;
    }
    let uri_part = body.get(..vstart)?;
    let uri_end = uri_part
        .iter()
        .rposition(|b| !is_ws(*b))
        .map_or(0, |p| p + 1);
    let uri = uri_part.get(..uri_end)?;
    let method = Method::from_token(std::str::from_utf8(m).ok()?);
    if spaces > 1 || uri_part.len() - uri_end > 1 || trimmed_len != rest.len() {
        diag(diags, DiagnosticKind::StartLineWhitespace, rest);
    }
    if uri.is_empty() {
        diag(
            diags,
            DiagnosticKind::Syntax(ErrorKind::Expected("a Request-URI")),
            rest,
        );
    } else if uri.iter().any(|b| is_ws(*b)) {
        diag(diags, DiagnosticKind::RequestUriWhitespace, uri);
    } else if uri.first() == Some(&b'<') {
        diag(diags, DiagnosticKind::RequestUriBrackets, uri);
    }
    let version = match Version::from_slice(v) {
        Some(ver) => {
            if ver != Version::SIP_2_0 {
                diag(diags, DiagnosticKind::UnsupportedVersion, v);
            }
            ver
        }
        None => {
            diag(
                diags,
                DiagnosticKind::Syntax(ErrorKind::Expected("a SIP version")),
                v,
            );
            return Some(StartLine::Malformed { line: Text(line) });
        }
    };
    Some(StartLine::Request {
        method,
        uri: Text(uri),
        version,
    })
}

fn malformed<'a>(line: &'a [u8], offset: usize, diags: &mut Vec<Diagnostic<'a>>) -> StartLine<'a> {
    diags.push(Diagnostic::new(
        DiagnosticKind::Syntax(ErrorKind::Expected("a status code after the SIP version")),
        offset + line.len(),
        None,
    ));
    StartLine::Malformed { line: Text(line) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(l: &[u8]) -> (Option<StartLine<'_>>, Vec<DiagnosticKind>) {
        let mut d = Vec::new();
        let s = parse_start_line(l, 0, &mut d);
        (s, d.into_iter().map(|d| d.kind).collect())
    }

    #[test]
    fn requests() {
        let (s, d) = parse(b"REGISTER sip:192.0.2.10 SIP/2.0");
        assert_eq!(
            s,
            Some(StartLine::Request {
                method: Method::Register,
                uri: Text(b"sip:192.0.2.10"),
                version: Version::SIP_2_0
            })
        );
        assert!(d.is_empty());
        let (s, d) = parse(b"INVITE  sip:user@example.com  SIP/2.0");
        assert!(matches!(s, Some(StartLine::Request { uri, .. }) if uri == "sip:user@example.com"));
        assert_eq!(d, vec![DiagnosticKind::StartLineWhitespace]);
        let (_, d) = parse(b"OPTIONS sip:remote-target@example.com SIP/2.0  ");
        assert_eq!(d, vec![DiagnosticKind::StartLineWhitespace]);
        let (_, d) = parse(b"INVITE sip:user@example.com; lr SIP/2.0");
        assert_eq!(d, vec![DiagnosticKind::RequestUriWhitespace]);
        let (_, d) = parse(b"INVITE <sip:user@example.com> SIP/2.0");
        assert_eq!(d, vec![DiagnosticKind::RequestUriBrackets]);
        let (s, d) = parse(b"OPTIONS sip:t.watson@example.org SIP/7.0");
        assert!(matches!(
            s,
            Some(StartLine::Request {
                version: Version { major: 7, minor: 0 },
                ..
            })
        ));
        assert_eq!(d, vec![DiagnosticKind::UnsupportedVersion]);
        assert_eq!(parse(b"GET / HTTP/1.1").0, None);
        assert_eq!(parse(b"hello").0, None);
    }

    #[test]
    fn responses() {
        let (s, d) = parse(b"SIP/2.0 401 Unauthorized");
        assert_eq!(
            s,
            Some(StartLine::Response {
                version: Version::SIP_2_0,
                code: 401,
                reason: Text(b"Unauthorized")
            })
        );
        assert!(d.is_empty());
        let (s, _) = parse(b"SIP/2.0 100 ");
        assert!(
            matches!(s, Some(StartLine::Response { code: 100, reason, .. }) if reason.is_empty())
        );
        let (s, d) = parse(b"SIP/2.0 4294967301 better not break the receiver");
        assert!(matches!(s, Some(StartLine::Malformed { .. })));
        assert_eq!(d, vec![DiagnosticKind::BadStatusCode]);
        let (s, _) = parse(b"SIP/2.0");
        assert!(matches!(s, Some(StartLine::Malformed { .. })));
    }
}
