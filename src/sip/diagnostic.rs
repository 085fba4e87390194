//! Diagnostics: what was wrong with a message that still parsed.
//!
//! Malformed packets are data, not errors: the message is returned as far as it parsed and
//! each problem is recorded with the header it concerns, its byte offset and what the grammar
//! expected, so `explain` can show it beside the bytes.

use std::fmt;

use super::error::ErrorKind;
use super::text::Text;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing, harmless (bare LF line endings, ignored trailing bytes).
    Info,
    /// Tolerated by liberal receivers but not valid (extra spaces in the start line).
    Warning,
    /// Invalid: a strict receiver would answer 400 Bad Request or drop the message.
    Error,
}

/// What a diagnostic reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A value did not follow the grammar (the kind says what was expected).
    Syntax(ErrorKind),
    /// The start line has extra white space (several spaces, or spaces at the end).
    StartLineWhitespace,
    /// The Request-URI contains white space.
    RequestUriWhitespace,
    /// The Request-URI is enclosed in `<>`.
    RequestUriBrackets,
    /// The Request-URI carries `?headers`, which RFC 3261 §19.1.5 forbids there.
    RequestUriHeaders,
    /// The protocol version is not SIP/2.0.
    UnsupportedVersion,
    /// The status code is not three digits.
    BadStatusCode,
    /// A header line has no colon.
    MissingColon,
    /// A header name is empty or holds characters a token cannot.
    InvalidHeaderName,
    /// A line is longer than [`MAX_LINE`](super::limits::MAX_LINE).
    LineTooLong,
    /// More headers than [`MAX_HEADERS`](super::limits::MAX_HEADERS); the rest were skipped.
    TooManyHeaders,
    /// The header section does not end with an empty line.
    HeadersNotTerminated,
    /// Lines end with a bare LF instead of CRLF.
    BareLf,
    /// Content-Length announces more bytes than the packet holds.
    ContentLengthTooLarge {
        /// The announced length.
        declared: u64,
        /// The bytes actually present.
        available: usize,
    },
    /// The body is larger than [`MAX_BODY`](super::limits::MAX_BODY) and was cut.
    BodyTooLarge,
    /// Bytes follow the body announced by Content-Length (ignored, RFC 3261 §18.3).
    TrailingData {
        /// How many bytes were ignored.
        len: usize,
    },
    /// A header every message of this kind needs is missing.
    MissingHeader(&'static str),
    /// A header that may appear once appears several times.
    DuplicateHeader(&'static str),
    /// The CSeq method differs from the request method.
    CSeqMethodMismatch,
    /// The body could not be read as its Content-Type says.
    BadBody(ErrorKind),
}

/// One problem found in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Diagnostic<'a> {
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// Byte offset in the buffer the message was parsed from.
    pub offset: usize,
    /// The header concerned, by its name as written, if any.
    pub header: Option<Text<'a>>,
}

impl<'a> Diagnostic<'a> {
    /// A diagnostic at `offset`, about `header` if given.
    pub fn new(kind: DiagnosticKind, offset: usize, header: Option<Text<'a>>) -> Self {
        Diagnostic {
            kind,
            offset,
            header,
        }
    }

    /// How serious it is.
    pub fn severity(&self) -> Severity {
        match self.kind {
            DiagnosticKind::BareLf | DiagnosticKind::TrailingData { .. } => Severity::Info,
            DiagnosticKind::StartLineWhitespace | DiagnosticKind::TooManyHeaders => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiagnosticKind::Syntax(k) => write!(f, "{k}"),
            DiagnosticKind::StartLineWhitespace => {
                f.write_str("the start line has extra spaces between or after its elements")
            }
            DiagnosticKind::RequestUriWhitespace => {
                f.write_str("the Request-URI contains white space")
            }
            DiagnosticKind::RequestUriBrackets => f.write_str("the Request-URI is enclosed in <>"),
            DiagnosticKind::RequestUriHeaders => {
                f.write_str("the Request-URI carries escaped headers, which are not allowed there")
            }
            DiagnosticKind::UnsupportedVersion => f.write_str("the SIP version is not SIP/2.0"),
            DiagnosticKind::BadStatusCode => f.write_str("the status code is not three digits"),
            DiagnosticKind::MissingColon => f.write_str("the header line has no colon"),
            DiagnosticKind::InvalidHeaderName => {
                f.write_str("the header name is not a valid token")
            }
            DiagnosticKind::LineTooLong => f.write_str("the line is too long and was skipped"),
            DiagnosticKind::TooManyHeaders => {
                f.write_str("the message has too many headers; the rest were skipped")
            }
            DiagnosticKind::HeadersNotTerminated => {
                f.write_str("the headers do not end with an empty line")
            }
            DiagnosticKind::BareLf => f.write_str("lines end with LF instead of CRLF"),
            DiagnosticKind::ContentLengthTooLarge {
                declared,
                available,
            } => write!(
                f,
                "Content-Length announces {declared} bytes but only {available} follow the headers"
            ),
            DiagnosticKind::BodyTooLarge => f.write_str("the body is too large and was cut"),
            DiagnosticKind::TrailingData { len } => {
                write!(f, "{len} bytes after the body were ignored")
            }
            DiagnosticKind::MissingHeader(h) => write!(f, "the {h} header is missing"),
            DiagnosticKind::DuplicateHeader(h) => {
                write!(f, "the {h} header appears more than once")
            }
            DiagnosticKind::CSeqMethodMismatch => {
                f.write_str("the CSeq method differs from the request method")
            }
            DiagnosticKind::BadBody(k) => write!(f, "the body could not be read: {k}"),
        }
    }
}

impl fmt::Display for Diagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.header {
            Some(h) => write!(f, "Header {h}, byte {}: {}.", self.offset, self.kind),
            None => write!(f, "Byte {}: {}.", self.offset, self.kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences() {
        let d = Diagnostic::new(
            DiagnosticKind::Syntax(ErrorKind::Expected("a parameter name")),
            120,
            Some(Text(b"Via")),
        );
        assert_eq!(
            d.to_string(),
            "Header Via, byte 120: expected a parameter name."
        );
        assert_eq!(d.severity(), Severity::Error);
        let d = Diagnostic::new(DiagnosticKind::TrailingData { len: 3 }, 9, None);
        assert_eq!(
            d.to_string(),
            "Byte 9: 3 bytes after the body were ignored."
        );
    }
}
