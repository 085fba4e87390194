//! Multipart bodies (RFC 2046): `multipart/mixed` with SDP and ISUP parts, for instance.
//!
//! Parts are found by searching the delimiter `CRLF--boundary` as bytes, so binary parts that
//! contain line feeds are framed correctly.

use memchr::memmem;

use super::diagnostic::Diagnostic;
use super::error::{Error, ErrorKind};
use super::header::{Header, HeaderName, MediaType};
use super::header_section::parse_header_section;
use super::limits::MAX_PARTS;
use super::span::Span;
use super::text::Text;

/// One body part: its own header fields and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The part's header fields (Content-Type, Content-Disposition...).
    pub headers: Vec<Header<'a>>,
    /// The part's body.
    pub body: &'a [u8],
    /// Where the whole part (headers and body) sits.
    pub span: Span,
}

impl<'a> Part<'a> {
    /// The part's Content-Type (default `text/plain` is not filled in).
    pub fn content_type(&self) -> Option<MediaType<'a>> {
        let h = self
            .headers
            .iter()
            .find(|h| h.name == HeaderName::ContentType)?;
        MediaType::from_slice(h.value).ok()
    }
}

/// A multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart<'a> {
    /// The boundary.
    pub boundary: Text<'a>,
    /// The parts in order.
    pub parts: Vec<Part<'a>>,
    /// Problems in part headers.
    pub diagnostics: Vec<Diagnostic<'a>>,
}

impl<'a> Multipart<'a> {
    /// Splits `body` (a sub-slice of `base`) on `boundary`; spans and errors count from
    /// `base`. A body without a first delimiter or a closing delimiter is an error.
    pub fn parse(
        base: &'a [u8],
        body: &'a [u8],
        boundary: &'a [u8],
    ) -> Result<Multipart<'a>, Error> {
        let origin = Span::of(base, body).start;
        let err = |what, at: usize| Error {
            kind: ErrorKind::Expected(what),
            offset: origin + at,
        };
        if boundary.is_empty() || boundary.len() > 200 {
            return Err(err("a boundary of 1 to 200 characters", 0));
        }
        let mut dash = Vec::with_capacity(boundary.len() + 4);
        dash.extend_from_slice(b"\r\n--");
        dash.extend_from_slice(boundary);
        let finder = memmem::Finder::new(&dash);
        // The first delimiter may open the body without a preceding CRLF.
        let first = if body.starts_with(dash.get(2..).unwrap_or_default()) {
            0
        } else {
            finder
                .find(body)
                .map(|p| p + 2)
                .ok_or_else(|| err("a first boundary delimiter", 0))?
        };
        let mut pos = first + dash.len() - 2;
        let mut parts = Vec::new();
        let mut diagnostics = Vec::new();
        loop {
            let rest = body.get(pos..).unwrap_or_default();
            if rest.starts_with(b"--") {
                return Ok(Multipart {
                    boundary: Text(boundary),
                    parts,
                    diagnostics,
                });
            }
            // Skip transport padding up to the end of the delimiter line.
            let Some(nl) = rest.iter().position(|b| *b == b'\n') else {
                return Err(err("a line break after the boundary", pos));
            };
            let part_start = pos + nl + 1;
            let Some(next) = body.get(part_start..).and_then(|r| finder.find(r)) else {
                return Err(err("a closing boundary delimiter", body.len()));
            };
            let part_end = part_start + next;
            if parts.len() >= MAX_PARTS {
                return Err(err("fewer body parts", part_start));
            }
            let part = body.get(part_start..part_end).unwrap_or_default();
            let mut headers = Vec::new();
            let abs = origin + part_start;
            // Part headers are parsed in the part slice; shift their spans to `base`.
            let end = parse_header_section(part, 0, &mut headers, &mut diagnostics);
            for h in &mut headers {
                h.span = h.span.shifted(abs);
                h.value_span = h.value_span.shifted(abs);
            }
            for d in diagnostics.iter_mut() {
                d.offset = d.offset.saturating_add(abs);
            }
            let part_body = if end.terminated {
                part.get(end.body_start..).unwrap_or_default()
            } else {
                part
            };
            parts.push(Part {
                headers,
                body: part_body,
                span: Span::new(abs, origin + part_end),
            });
            pos = part_end + dash.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdp_and_binary_parts() {
        let body: &[u8] = b"--b1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n\r\n--b1\r\nContent-Type: application/ISUP; version=itu-t92+\r\n\r\n\x01\n\x00\x0a\r\n--b1--\r\n";
        let m = Multipart::parse(body, body, b"b1").unwrap();
        assert_eq!(m.parts.len(), 2);
        assert!(m.parts[0].content_type().unwrap().is_sdp());
        assert_eq!(m.parts[0].body, b"v=0\r\n");
        assert_eq!(m.parts[1].body, b"\x01\n\x00\x0a");
        assert_eq!(
            m.parts[1].headers[0].value_span.slice(body).unwrap(),
            b"application/ISUP; version=itu-t92+"
        );
        assert!(Multipart::parse(body, body, b"zz").is_err());
        assert!(Multipart::parse(body, &body[..40], b"b1").is_err());
    }
}
