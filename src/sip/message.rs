//! A SIP message: start line, header fields in order, body, and what was wrong with it.
//!
//! [`Message::parse`] is the fast path: it splits the start line and the header fields and
//! records spans, allocating only the header vector. Typed values (Via, CSeq, From...) are
//! parsed when asked for; [`Message::diagnose`] checks every header against its grammar.

use memchr::memchr;

use super::diagnostic::{Diagnostic, DiagnosticKind};
use super::error::{Error, ErrorKind};
use super::header::{
    Auth, CSeq, CallId, Contact, ContentLength, Expires, Header, HeaderName, MaxForwards,
    MediaType, Via, check_value,
};
use super::header_section::parse_header_section;
use super::lexical::quoted_string;
use super::limits::{MAX_BODY, MAX_LINE};
use super::method::Method;
use super::multipart::Multipart;
use super::name_addr::{NameAddr, parse_name_addr};
use super::params::find_header_param;
use super::sdp::Sdp;
use super::span::Span;
use super::start_line::{StartLine, parse_start_line};
use super::text::Text;
use super::uri::Uri;

use super::header::list::List;

/// A parsed SIP message, borrowing the buffer it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    /// The buffer given to [`Message::parse`]; every span counts from its start.
    pub buf: &'a [u8],
    /// Where this message sits in `buf` (leading blank lines skipped, trailing bytes excluded).
    pub span: Span,
    /// The start line.
    pub start_line: StartLine<'a>,
    /// Where the start line sits (without its line break).
    pub start_line_span: Span,
    /// The header fields, in order.
    pub headers: Vec<Header<'a>>,
    /// The body, as delimited by Content-Length (or the rest of the buffer without one).
    pub body: &'a [u8],
    /// Where the body sits.
    pub body_span: Span,
    /// Structural problems found while splitting the message.
    pub diagnostics: Vec<Diagnostic<'a>>,
}

/// Headers that RFC 3261 allows only once per message.
const SINGLE: [(HeaderName<'static>, &str); 6] = [
    (HeaderName::CallId, "Call-ID"),
    (HeaderName::CSeq, "CSeq"),
    (HeaderName::From, "From"),
    (HeaderName::To, "To"),
    (HeaderName::MaxForwards, "Max-Forwards"),
    (HeaderName::ContentLength, "Content-Length"),
];

impl<'a> Message<'a> {
    /// Parses one message from the start of `buf`.
    ///
    /// Fails only when `buf` does not begin with a SIP start line (after optional blank
    /// lines). Everything else, however broken, gives a message plus diagnostics.
    pub fn parse(buf: &'a [u8]) -> Result<Message<'a>, Error> {
        let skip = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let rest = buf.get(skip..).unwrap_or_default();
        let line_end = memchr(b'\n', rest).map_or(buf.len(), |p| skip + p);
        let mut line_stop = line_end;
        if line_stop > skip && buf.get(line_stop - 1) == Some(&b'\r') {
            line_stop -= 1;
        }
        let line = buf.get(skip..line_stop).unwrap_or_default();
        let not_sip = Error {
            kind: ErrorKind::Expected("a SIP request or status line"),
            offset: skip,
        };
        if line.len() > MAX_LINE {
            return Err(not_sip);
        }
        let mut diagnostics = Vec::new();
        let start_line = parse_start_line(line, skip, &mut diagnostics).ok_or(not_sip)?;
        let mut headers = Vec::with_capacity(24);
        let section_start = (line_end + 1).min(buf.len());
        let end = if line_end >= buf.len() {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::HeadersNotTerminated,
                buf.len(),
                None,
            ));
            super::header_section::SectionEnd {
                body_start: buf.len(),
                terminated: false,
            }
        } else {
            parse_header_section(buf, section_start, &mut headers, &mut diagnostics)
        };
        let available = buf.get(end.body_start..).unwrap_or_default();
        let cl = headers
            .iter()
            .find(|h| h.name == HeaderName::ContentLength)
            .map(|h| (h, ContentLength::from_slice(h.value)));
        let mut body_len = available.len();
        match cl {
            Some((_, Ok(ContentLength(n)))) => {
                let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
                if n_usize > available.len() {
                    diagnostics.push(Diagnostic::new(
                        DiagnosticKind::ContentLengthTooLarge {
                            declared: n,
                            available: available.len(),
                        },
                        end.body_start,
                        Some(Text(b"Content-Length")),
                    ));
                } else {
                    body_len = n_usize;
                    let trailing = available.len() - n_usize;
                    if trailing > 0 {
                        diagnostics.push(Diagnostic::new(
                            DiagnosticKind::TrailingData { len: trailing },
                            end.body_start + n_usize,
                            None,
                        ));
                    }
                }
            }
            Some((h, Err(e))) => diagnostics.push(Diagnostic::new(
                DiagnosticKind::Syntax(e.kind),
                h.value_span.start + e.offset,
                Some(h.raw_name),
            )),
            None => {}
        }
        if body_len > MAX_BODY {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::BodyTooLarge,
                end.body_start,
                None,
            ));
            body_len = MAX_BODY;
        }
        let body_span = Span::new(end.body_start, end.body_start + body_len);
        Ok(Message {
            buf,
            span: Span::new(skip, body_span.end),
            start_line,
            start_line_span: Span::new(skip, line_stop),
            headers,
            body: body_span.slice(buf).unwrap_or_default(),
            body_span,
            diagnostics,
        })
    }

    /// The bytes of this message alone.
    pub fn raw(&self) -> &'a [u8] {
        self.span.slice(self.buf).unwrap_or_default()
    }

    /// True for requests.
    pub fn is_request(&self) -> bool {
        self.start_line.is_request()
    }

    /// True for responses.
    pub fn is_response(&self) -> bool {
        self.start_line.is_response()
    }

    /// The request method (requests only).
    pub fn method(&self) -> Option<Method<'a>> {
        match self.start_line {
            StartLine::Request { method, .. } => Some(method),
            _ => None,
        }
    }

    /// The status code (responses only).
    pub fn status_code(&self) -> Option<u16> {
        match self.start_line {
            StartLine::Response { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The Request-URI, parsed (requests only; `None` when malformed).
    pub fn request_uri(&self) -> Option<Uri<'a>> {
        match self.start_line {
            StartLine::Request { uri, .. } => Uri::from_slice(uri.as_bytes()).ok().map(|mut u| {
                u.span = u.span.shifted(Span::of(self.buf, uri.as_bytes()).start);
                u
            }),
            _ => None,
        }
    }

    /// The first header called `name`.
    pub fn header(&self, name: HeaderName<'_>) -> Option<&Header<'a>> {
        self.headers.iter().find(|h| h.name.matches(&name))
    }

    /// Every header called `name`, in order.
    pub fn headers_named<'s>(
        &'s self,
        name: HeaderName<'s>,
    ) -> impl Iterator<Item = &'s Header<'a>> + 's {
        self.headers.iter().filter(move |h| h.name.matches(&name))
    }

    /// Every value of `name`: list headers are split on commas, others give their whole value.
    pub fn values<'s>(&'s self, name: HeaderName<'s>) -> impl Iterator<Item = Text<'a>> + 's {
        let list = name.is_list();
        self.headers_named(name).flat_map(move |h| {
            let items: Box<dyn Iterator<Item = &'a [u8]>> = if list {
                Box::new(h.items())
            } else {
                Box::new(std::iter::once(h.value))
            };
            items.map(Text)
        })
    }

    /// How many values the headers of a name carry, as [`Message::values`] would yield them,
    /// without building them.
    pub fn count_values(&self, name: HeaderName<'_>) -> usize {
        let list = name.is_list();
        self.headers_named(name)
            .map(|h| if list { h.items().count() } else { 1 })
            .sum()
    }

    fn first_value(&self, name: HeaderName<'_>) -> Option<&'a [u8]> {
        self.header(name).map(|h| h.value)
    }

    /// The Call-ID.
    pub fn call_id(&self) -> Option<CallId<'a>> {
        CallId::from_slice_in(self.buf, self.first_value(HeaderName::CallId)?).ok()
    }

    /// The CSeq.
    pub fn cseq(&self) -> Option<CSeq<'a>> {
        CSeq::from_slice_in(self.buf, self.first_value(HeaderName::CSeq)?).ok()
    }

    /// The top Via value (the last hop that sent the message).
    pub fn top_via(&self) -> Option<Via<'a>> {
        Via::list(self.buf, self.first_value(HeaderName::Via)?)
            .next()?
            .ok()
    }

    /// Every Via value, top first, across Via lines; malformed values are skipped (see
    /// [`Message::diagnose`]).
    pub fn vias(&self) -> impl Iterator<Item = Via<'a>> + '_ {
        self.headers_named(HeaderName::Via)
            .flat_map(|h| Via::list(self.buf, h.value).flatten())
    }

    /// The `branch` of the top Via, read without parsing the rest of the Via.
    ///
    /// This is the correlation fast path: it only locates the first Via value's parameters.
    /// [`Message::top_via`] gives the fully checked value.
    pub fn branch(&self) -> Option<Text<'a>> {
        let v = self.first_value(HeaderName::Via)?;
        let semi = memchr(b';', v)?;
        if memchr(b',', v).is_some_and(|comma| comma < semi) {
            return None;
        }
        find_header_param(v.get(semi..)?, "branch").flatten()
    }

    /// The From `tag`, read without parsing the address (correlation fast path).
    pub fn from_tag(&self) -> Option<Text<'a>> {
        self.tag_of(HeaderName::From)
    }

    /// The To `tag`, read without parsing the address (correlation fast path).
    pub fn to_tag(&self) -> Option<Text<'a>> {
        self.tag_of(HeaderName::To)
    }

    fn tag_of(&self, name: HeaderName<'_>) -> Option<Text<'a>> {
        let v = self.first_value(name)?;
        // Skip a quoted display name, which may hold '<', '>' or ';'.
        let rest = match v.first() {
            Some(b'"') => quoted_string(v).ok()?.0,
            _ => v,
        };
        let params = match memchr(b'<', rest) {
            Some(open) => {
                let close = open + memchr(b'>', rest.get(open..)?)?;
                rest.get(close + 1..)?
            }
            None => rest.get(memchr(b';', rest)?..)?,
        };
        find_header_param(params, "tag").flatten()
    }

    /// The From address (with the caller's tag).
    pub fn from(&self) -> Option<NameAddr<'a>> {
        NameAddr::from_slice_in(self.buf, self.first_value(HeaderName::From)?).ok()
    }

    /// The To address (with the callee's tag once the dialog exists).
    pub fn to(&self) -> Option<NameAddr<'a>> {
        NameAddr::from_slice_in(self.buf, self.first_value(HeaderName::To)?).ok()
    }

    /// Every Contact value across Contact lines; malformed values are skipped.
    pub fn contacts(&self) -> impl Iterator<Item = Contact<'a>> + '_ {
        self.headers_named(HeaderName::Contact)
            .flat_map(|h| Contact::list(self.buf, h.value).flatten())
    }

    /// The addresses of every header called `name` (Route, Record-Route, Path,
    /// P-Asserted-Identity...), in order; malformed values are skipped.
    pub fn addresses<'s>(
        &'s self,
        name: HeaderName<'s>,
    ) -> impl Iterator<Item = NameAddr<'a>> + 's {
        self.headers_named(name)
            .flat_map(|h| List::new(self.buf, h.value, parse_name_addr).flatten())
    }

    /// The Route set, in order.
    pub fn routes(&self) -> impl Iterator<Item = NameAddr<'a>> + '_ {
        self.addresses(HeaderName::Route)
    }

    /// The Record-Route set, in order.
    pub fn record_routes(&self) -> impl Iterator<Item = NameAddr<'a>> + '_ {
        self.addresses(HeaderName::RecordRoute)
    }

    /// The Content-Length value.
    pub fn content_length(&self) -> Option<u64> {
        ContentLength::from_slice(self.first_value(HeaderName::ContentLength)?)
            .ok()
            .map(|c| c.0)
    }

    /// The Content-Type.
    pub fn content_type(&self) -> Option<MediaType<'a>> {
        let v = self.first_value(HeaderName::ContentType)?;
        MediaType::from_slice(v).ok().map(|mut m| {
            m.span = m.span.shifted(Span::of(self.buf, v).start);
            m
        })
    }

    /// The Max-Forwards value.
    pub fn max_forwards(&self) -> Option<u8> {
        MaxForwards::from_slice(self.first_value(HeaderName::MaxForwards)?)
            .ok()
            .map(|m| m.0)
    }

    /// The Expires value in seconds.
    pub fn expires(&self) -> Option<u32> {
        Expires::from_slice(self.first_value(HeaderName::Expires)?)
            .ok()
            .map(|e| e.0)
    }

    /// The first authentication header called `name` (WWW-Authenticate, Authorization,
    /// Proxy-Authenticate, Proxy-Authorization), parsed.
    pub fn auth(&self, name: HeaderName<'_>) -> Option<Auth<'a>> {
        let v = self.first_value(name)?;
        Auth::from_slice(v).ok().map(|mut a| {
            a.span = a.span.shifted(Span::of(self.buf, v).start);
            a
        })
    }

    /// The multipart body, when Content-Type is `multipart/*`.
    pub fn multipart(&self) -> Option<Multipart<'a>> {
        let ct = self.content_type()?;
        if !ct.is_multipart() {
            return None;
        }
        Multipart::parse(self.buf, self.body, ct.boundary()?.as_bytes()).ok()
    }

    /// The SDP body: the body itself when it is `application/sdp`, or the first
    /// `application/sdp` part of a multipart body.
    pub fn sdp(&self) -> Option<Sdp<'a>> {
        let ct = self.content_type()?;
        if ct.is_sdp() {
            return Some(Sdp::parse_in(self.buf, self.body));
        }
        let mp = self.multipart()?;
        let part = mp
            .parts
            .iter()
            .find(|p| p.content_type().is_some_and(|c| c.is_sdp()))?;
        Some(Sdp::parse_in(self.buf, part.body))
    }

    /// Every problem of the message: the structural diagnostics found by
    /// [`Message::parse`], each known header checked against its grammar, required and
    /// duplicated headers, CSeq/method agreement, Request-URI rules and the body.
    pub fn diagnose(&self) -> Vec<Diagnostic<'a>> {
        let mut out = self.diagnostics.clone();
        for h in &self.headers {
            if h.name == HeaderName::ContentLength {
                continue; // already checked while framing the body
            }
            if let Err(e) = check_value(h.name, self.buf, h.value) {
                out.push(Diagnostic::new(
                    DiagnosticKind::Syntax(e.kind),
                    e.offset,
                    Some(h.raw_name),
                ));
            }
        }
        let mut required: Vec<(HeaderName<'static>, &'static str)> = vec![
            (HeaderName::To, "To"),
            (HeaderName::From, "From"),
            (HeaderName::CallId, "Call-ID"),
            (HeaderName::CSeq, "CSeq"),
            (HeaderName::Via, "Via"),
        ];
        if self.is_request() {
            required.push((HeaderName::MaxForwards, "Max-Forwards"));
        }
        for (name, label) in required {
            if self.header(name).is_none() {
                out.push(Diagnostic::new(
                    DiagnosticKind::MissingHeader(label),
                    self.span.start,
                    None,
                ));
            }
        }
        for (name, label) in SINGLE {
            let mut it = self.headers_named(name);
            if let (Some(_), Some(second)) = (it.next(), it.next()) {
                out.push(Diagnostic::new(
                    DiagnosticKind::DuplicateHeader(label),
                    second.span.start,
                    Some(second.raw_name),
                ));
            }
        }
        if let StartLine::Request { method, uri, .. } = self.start_line {
            if let (Some(cseq), Some(h)) = (self.cseq(), self.header(HeaderName::CSeq)) {
                if cseq.method != method && method != Method::Ack && method != Method::Cancel {
                    out.push(Diagnostic::new(
                        DiagnosticKind::CSeqMethodMismatch,
                        h.value_span.start,
                        Some(h.raw_name),
                    ));
                }
            }
            let at = Span::of(self.buf, uri.as_bytes()).start;
            match Uri::from_slice(uri.as_bytes()) {
                Ok(u) if u.headers.is_some() => {
                    out.push(Diagnostic::new(DiagnosticKind::RequestUriHeaders, at, None));
                }
                Ok(_) => {}
                Err(e) => {
                    let already = out.iter().any(|d| {
                        matches!(
                            d.kind,
                            DiagnosticKind::RequestUriWhitespace
                                | DiagnosticKind::RequestUriBrackets
                        )
                    });
                    if !already {
                        out.push(Diagnostic::new(
                            DiagnosticKind::Syntax(e.kind),
                            at + e.offset,
                            None,
                        ));
                    }
                }
            }
        }
        if let Some(ct) = self.content_type() {
            if ct.is_sdp() {
                let sdp = Sdp::parse_in(self.buf, self.body);
                for d in sdp.diagnostics {
                    out.push(Diagnostic::new(
                        DiagnosticKind::BadBody(d.kind),
                        d.offset,
                        None,
                    ));
                }
            } else if ct.is_multipart() {
                let parsed = ct
                    .boundary()
                    .ok_or(Error {
                        kind: ErrorKind::Expected("a boundary parameter"),
                        offset: 0,
                    })
                    .and_then(|b| Multipart::parse(self.buf, self.body, b.as_bytes()));
                if let Err(e) = parsed {
                    out.push(Diagnostic::new(
                        DiagnosticKind::BadBody(e.kind),
                        e.offset,
                        None,
                    ));
                }
            }
        }
        out.sort_by_key(|d| d.offset);
        out
    }
}

#[cfg(test)]
mod tests;
