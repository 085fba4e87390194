//! Splitting a header section into fields: line endings (CRLF or bare LF), folded lines,
//! names, raw values. This is the hot loop of the parser: it uses `memchr` and allocates only
//! the vector it fills.

use memchr::memchr;

use super::charset::{is_lws, is_token, is_ws};
use super::diagnostic::{Diagnostic, DiagnosticKind};
use super::header::{Header, HeaderName};
use super::limits::{MAX_HEADERS, MAX_LINE};
use super::span::Span;
use super::text::Text;

/// Where a header section ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEnd {
    /// Offset of the first body byte (after the empty line), or the buffer length when the
    /// section was not terminated.
    pub body_start: usize,
    /// True when an empty line closed the section.
    pub terminated: bool,
}

/// Reads header fields from `buf[start..]` into `headers` until an empty line.
pub fn parse_header_section<'a>(
    buf: &'a [u8],
    start: usize,
    headers: &mut Vec<Header<'a>>,
    diags: &mut Vec<Diagnostic<'a>>,
) -> SectionEnd {
    let len = buf.len();
    let mut pos = start;
    let mut bare_lf = false;
    let mut too_many = false;
    loop {
        let Some(rest) = buf.get(pos..).filter(|r| !r.is_empty()) else {
            diags.push(Diagnostic::new(
                DiagnosticKind::HeadersNotTerminated,
                len,
                None,
            ));
            return SectionEnd {
                body_start: len,
                terminated: false,
            };
        };
        match rest {
            [b'\r', b'\n', ..] => {
                return SectionEnd {
                    body_start: pos + 2,
                    terminated: true,
                };
            }
            [b'\n', ..] => {
                return SectionEnd {
                    body_start: pos + 1,
                    terminated: true,
                };
            }
            _ => {}
        }
        // Read the name: token characters, optional white space, then the colon.
        let name_len = rest
            .iter()
            .position(|b| !is_token(*b))
            .unwrap_or(rest.len());
        let after_name = rest.get(name_len..).unwrap_or_default();
        let colon = name_len
            + after_name
                .iter()
                .position(|b| !is_ws(*b))
                .unwrap_or(after_name.len());
        let has_colon = name_len > 0 && rest.get(colon) == Some(&b':');
        // Find the end of the logical line, following folded continuations.
        let search_from = if has_colon { pos + colon } else { pos };
        let mut eol = match buf.get(search_from..).and_then(|r| memchr(b'\n', r)) {
            Some(p) => search_from + p,
            None => len,
        };
        while eol < len && buf.get(eol + 1).is_some_and(|b| is_ws(*b)) {
            eol = match buf.get(eol + 1..).and_then(|r| memchr(b'\n', r)) {
                Some(p) => eol + 1 + p,
                None => len,
            };
        }
        let next = (eol + 1).min(len);
        let mut end = eol;
        if end > pos && buf.get(end - 1) == Some(&b'\r') {
            end -= 1;
        } else if eol < len && !bare_lf {
            bare_lf = true;
            diags.push(Diagnostic::new(DiagnosticKind::BareLf, eol, None));
        }
        let line = buf.get(pos..end).unwrap_or_default();
        if line.len() > MAX_LINE {
            diags.push(Diagnostic::new(DiagnosticKind::LineTooLong, pos, None));
            pos = next;
            continue;
        }
        if headers.len() >= MAX_HEADERS {
            if !too_many {
                too_many = true;
                diags.push(Diagnostic::new(DiagnosticKind::TooManyHeaders, pos, None));
            }
            pos = next;
            continue;
        }
        if !has_colon {
            let kind = if memchr(b':', line).is_some() {
                DiagnosticKind::InvalidHeaderName
            } else {
                DiagnosticKind::MissingColon
            };
            diags.push(Diagnostic::new(kind, pos, None));
            pos = next;
            continue;
        }
        let raw_name = line.get(..name_len).unwrap_or_default();
        let value_part = line.get(colon + 1..).unwrap_or_default();
        let lead = value_part.iter().take_while(|b| is_lws(**b)).count();
        let trail = value_part.iter().rev().take_while(|b| is_lws(**b)).count();
        let value = value_part
            .get(lead..value_part.len().saturating_sub(trail).max(lead))
            .unwrap_or_default();
        let name = HeaderName::from_bytes(raw_name);
        let value_start = pos + colon + 1 + lead;
        headers.push(Header {
            name,
            raw_name: Text(raw_name),
            value,
            span: Span::new(pos, end),
            value_span: Span::new(value_start, value_start + value.len()),
        });
        pos = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(buf: &[u8]) -> (Vec<Header<'_>>, Vec<DiagnosticKind>, SectionEnd) {
        let mut h = Vec::new();
        let mut d = Vec::new();
        let end = parse_header_section(buf, 0, &mut h, &mut d);
        (h, d.into_iter().map(|d| d.kind).collect(), end)
    }

    #[test]
    fn folding_compact_and_case() {
        let buf = b"TO :\r\n sip:vivekg@example.com ;tag=1\r\nv: SIP/2.0/UDP h\r\ns :\r\n\r\nbody";
        let (h, d, end) = parse(buf);
        assert!(d.is_empty());
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].name, HeaderName::To);
        assert_eq!(h[0].raw_name, "TO");
        assert_eq!(h[0].value, b"sip:vivekg@example.com ;tag=1");
        assert_eq!(h[1].name, HeaderName::Via);
        assert_eq!(h[2].name, HeaderName::Subject);
        assert_eq!(h[2].value, b"");
        assert_eq!(
            end,
            SectionEnd {
                body_start: buf.len() - 4,
                terminated: true
            }
        );
        assert_eq!(h[0].value_span.slice(buf).unwrap(), h[0].value);
    }

    #[test]
    fn bare_lf_and_errors() {
        let buf = b"Call-ID: a\nno colon here\nBad Name: x\n: empty\n\n";
        let (h, d, end) = parse(buf);
        assert_eq!(h.len(), 1);
        assert_eq!(
            d,
            vec![
                DiagnosticKind::BareLf,
                DiagnosticKind::MissingColon,
                DiagnosticKind::InvalidHeaderName,
                DiagnosticKind::InvalidHeaderName
            ]
        );
        assert!(end.terminated);
        let (_, d, end) = parse(b"Call-ID: a\r\n");
        assert_eq!(d, vec![DiagnosticKind::HeadersNotTerminated]);
        assert!(!end.terminated);
    }
}
