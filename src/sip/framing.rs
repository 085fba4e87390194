//! Recognising SIP messages by content and framing them by Content-Length.
//!
//! This is all the capture layer needs of SIP: is this payload a SIP message (a request line
//! or a status line, on any port), and where does each message of a TCP stream end. It reads
//! only the start line and the header names, so non-SIP payloads (RTP is most of a capture)
//! are rejected after a byte or two. Full parsing lives in the rest of [`crate::sip`].

use memchr::memchr;

/// Longest start line considered; a longer first line is not SIP.
pub const MAX_START_LINE: usize = 8 * 1024;
/// Largest header section framed on a stream; beyond it the bytes are skipped with a warning.
pub const MAX_HEADER_SECTION: usize = 256 * 1024;
/// Largest body accepted on a stream; a larger Content-Length is treated as damage.
pub const MAX_BODY: usize = 16 << 20;

/// The start line of a message, as far as framing needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartLine<'a> {
    /// A request and its method as written (case kept: `REGIStER` is not `REGISTER`).
    Request {
        /// The method token.
        method: &'a str,
    },
    /// A response and its status code.
    Response {
        /// The three-digit status code.
        code: u16,
    },
}

/// What the Content-Length header said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentLength {
    /// A valid length.
    Valid(usize),
    /// No Content-Length header (allowed over UDP, not over TCP).
    Missing,
    /// A value that is not a number.
    Invalid,
    /// A number larger than [`MAX_BODY`].
    TooLarge,
}

/// One framed message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framed<'a> {
    /// Its start line.
    pub start: StartLine<'a>,
    /// Bytes of start line plus headers plus the empty line (all of them if the empty line is
    /// missing).
    pub header_len: usize,
    /// Bytes of the whole message, body included.
    pub len: usize,
    /// The Content-Length as read.
    pub content_length: ContentLength,
    /// The body is shorter than Content-Length says (datagrams only).
    pub body_short: bool,
}

/// The outcome of framing the front of a byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFraming<'a> {
    /// A whole message is at the front of the buffer.
    Complete(Framed<'a>),
    /// A message starts here but more bytes are needed.
    Incomplete,
    /// The front of the buffer is not the start of a SIP message.
    NotSip,
    /// The header section exceeds [`MAX_HEADER_SECTION`].
    HeadersTooLong,
}

/// Recognises a SIP start line at the front of `bytes`; returns it and the length of the line
/// including its line ending.
pub fn start_line(bytes: &[u8]) -> Option<(StartLine<'_>, usize)> {
    // Fast rejection: every SIP message starts with a method token or "SIP/".
    if !bytes.first().is_some_and(|b| is_token_byte(*b)) {
        return None;
    }
    let window = bytes.get(..MAX_START_LINE).unwrap_or(bytes);
    // CRLF, LF, or (in damaged messages) a lone CR ends the line, as in Wireshark.
    let end = memchr::memchr2(b'\r', b'\n', window)?;
    let line = bytes.get(..end)?;
    let line_len = match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => end + 2,
        (Some(b'\r'), None) => return None, // the LF may still be on its way
        _ => end + 1,
    };
    // Control characters (a NUL in a mangled reason phrase...) are outside the grammar.
    if line.iter().any(|b| b.is_ascii_control() && *b != b'\t') {
        return None;
    }
    parse_start_line(line).map(|start| (start, line_len))
}

/// Could `bytes` be the beginning of a start line that has not fully arrived yet?
fn plausible_prefix(bytes: &[u8]) -> bool {
    bytes.len() < MAX_START_LINE
        && memchr(b'\n', bytes).is_none()
        && bytes.first().is_some_and(|b| is_token_byte(*b))
        && bytes
            .iter()
            .all(|b| b.is_ascii_graphic() || *b == b' ' || *b == b'\r')
}

fn parse_start_line(line: &[u8]) -> Option<StartLine<'_>> {
    if let Some(rest) = line.strip_prefix(b"SIP/") {
        let sp = memchr(b' ', rest)?;
        if !is_version_number(rest.get(..sp)?) {
            return None;
        }
        let code = rest.get(sp + 1..sp + 4)?;
        if !code.iter().all(u8::is_ascii_digit) || rest.get(sp + 4).is_some_and(|b| *b != b' ') {
            return None;
        }
        let code = code
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
        return Some(StartLine::Response { code });
    }
    let sp = memchr(b' ', line)?;
    let method = line.get(..sp)?;
    if method.is_empty() || !method.iter().all(|b| is_token_byte(*b)) {
        return None;
    }
    let rest = line.get(sp + 1..)?;
    let last_sp = memchr::memrchr(b' ', rest)?;
    let uri = rest.get(..last_sp)?;
    let version = rest.get(last_sp + 1..)?;
    if uri.is_empty() || uri.contains(&b' ') {
        return None;
    }
    let number = version.strip_prefix(b"SIP/")?;
    if !is_version_number(number) {
        return None;
    }
    let method = std::str::from_utf8(method).ok()?;
    Some(StartLine::Request { method })
}

/// `1*DIGIT "." 1*DIGIT`
fn is_version_number(v: &[u8]) -> bool {
    match memchr(b'.', v) {
        Some(dot) => {
            let (major, minor) = (v.get(..dot), v.get(dot + 1..));
            matches!((major, minor), (Some(a), Some(b))
                if !a.is_empty() && !b.is_empty()
                    && a.iter().all(u8::is_ascii_digit) && b.iter().all(u8::is_ascii_digit))
        }
        None => false,
    }
}

/// RFC 3261 `token` characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The header section's lines after the start line: `(name, value)` pairs, names trimmed,
/// values as written on the first line of the header (folding is left to the full parser).
/// Stops at the empty line or after `limit` bytes.
pub struct HeaderLines<'a> {
    bytes: &'a [u8],
    pos: usize,
    limit: usize,
    /// Position just after the empty line, once reached.
    end: Option<usize>,
}

impl<'a> HeaderLines<'a> {
    /// Iterates the headers of `bytes`, which starts with a start line `start_len` bytes long.
    pub fn new(bytes: &'a [u8], start_len: usize, limit: usize) -> HeaderLines<'a> {
        HeaderLines {
            bytes,
            pos: start_len,
            limit,
            end: None,
        }
    }

    /// Where the header section ended (after the empty line), if it did.
    pub fn end(&self) -> Option<usize> {
        self.end
    }
}

impl<'a> Iterator for HeaderLines<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.end.is_some() || self.pos >= self.limit {
                return None;
            }
            let rest = self.bytes.get(self.pos..)?;
            let nl = memchr(b'\n', rest)?;
            let line = trim_cr(rest.get(..nl)?);
            self.pos += nl + 1;
            if line.is_empty() {
                self.end = Some(self.pos);
                return None;
            }
            if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                continue; // folded continuation of the previous header
            }
            let Some(colon) = memchr(b':', line) else {
                continue;
            };
            let name = line.get(..colon)?.trim_ascii();
            let value = line.get(colon + 1..)?.trim_ascii();
            return Some((name, value));
        }
    }
}

/// The first value of a header given its long and compact names (case-insensitive).
pub fn find_header<'a>(bytes: &'a [u8], long: &[u8], compact: Option<&[u8]>) -> Option<&'a [u8]> {
    let (_, start_len) = start_line(bytes)?;
    HeaderLines::new(bytes, start_len, bytes.len().min(MAX_HEADER_SECTION))
        .find(|(name, _)| {
            name.eq_ignore_ascii_case(long) || compact.is_some_and(|c| name.eq_ignore_ascii_case(c))
        })
        .map(|(_, value)| value)
}

/// Scans the header section; returns its end (if found) and the Content-Length.
fn scan_headers(bytes: &[u8], start_len: usize) -> (Option<usize>, ContentLength) {
    let mut lines = HeaderLines::new(bytes, start_len, bytes.len().min(MAX_HEADER_SECTION));
    let mut content_length = ContentLength::Missing;
    for (name, value) in lines.by_ref() {
        if content_length == ContentLength::Missing
            && (name.eq_ignore_ascii_case(b"content-length") || name.eq_ignore_ascii_case(b"l"))
        {
            content_length = parse_content_length(value);
        }
    }
    (lines.end(), content_length)
}

fn parse_content_length(value: &[u8]) -> ContentLength {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return ContentLength::Invalid;
    }
    let mut n: usize = 0;
    for d in value {
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(usize::from(d - b'0')))
        {
            Some(n) if n <= MAX_BODY => n,
            _ => return ContentLength::TooLarge,
        };
    }
    ContentLength::Valid(n)
}

/// Frames a message carried alone in a datagram (UDP, SCTP chunk, WebSocket frame): the
/// message ends at Content-Length when it is valid, else at the end of the datagram.
pub fn frame_datagram(bytes: &[u8]) -> Option<Framed<'_>> {
    let (start, start_len) = start_line(bytes)?;
    let (end, content_length) = scan_headers(bytes, start_len);
    let header_len = end.unwrap_or(bytes.len());
    let (len, body_short) = match content_length {
        ContentLength::Valid(n) => match header_len.checked_add(n) {
            Some(total) if total <= bytes.len() => (total, false),
            _ => (bytes.len(), true),
        },
        _ => (bytes.len(), false),
    };
    Some(Framed {
        start,
        header_len,
        len,
        content_length,
        body_short,
    })
}

/// Frames the message at the front of a stream buffer (TCP). A message without a usable
/// Content-Length ends where the next start line begins, or at the end of what has arrived.
pub fn frame_stream(bytes: &[u8]) -> StreamFraming<'_> {
    let Some((start, start_len)) = start_line(bytes) else {
        return if plausible_prefix(bytes) {
            StreamFraming::Incomplete
        } else {
            StreamFraming::NotSip
        };
    };
    let (end, content_length) = scan_headers(bytes, start_len);
    let Some(header_len) = end else {
        return if bytes.len() >= MAX_HEADER_SECTION {
            StreamFraming::HeadersTooLong
        } else {
            StreamFraming::Incomplete
        };
    };
    let len = match content_length {
        ContentLength::Valid(n) => {
            let total = header_len.saturating_add(n);
            if total > bytes.len() {
                return StreamFraming::Incomplete;
            }
            total
        }
        ContentLength::Missing => header_len,
        ContentLength::Invalid | ContentLength::TooLarge => {
            let body = bytes.get(header_len..).unwrap_or_default();
            header_len + next_start_line(body).unwrap_or(body.len())
        }
    };
    StreamFraming::Complete(Framed {
        start,
        header_len,
        len,
        content_length,
        body_short: false,
    })
}

/// What a message that [`frame_stream`] found incomplete is waiting for. A stream fed a few
/// bytes at a time would otherwise be framed again from its start at every segment, which
/// takes time quadratic in the message size: a hostile stream of one-byte segments and a
/// 256 KiB header section costs billions of steps. Checking [`Awaiting::ready`] costs only the
/// bytes that arrived since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaiting {
    /// The empty line that ends the header section, not in the first `scanned` bytes.
    HeaderEnd {
        /// Bytes already searched.
        scanned: usize,
    },
    /// The whole message: headers plus the body Content-Length announces.
    Length(usize),
}

impl Awaiting {
    /// What the incomplete message at the front of `bytes` waits for; `None` when its start line
    /// has not fully arrived (that wait is bounded by [`MAX_START_LINE`]).
    pub fn of(bytes: &[u8]) -> Option<Awaiting> {
        let (_, start_len) = start_line(bytes)?;
        match scan_headers(bytes, start_len) {
            (None, _) => Some(Awaiting::HeaderEnd {
                scanned: bytes.len(),
            }),
            (Some(header_len), ContentLength::Valid(n)) => {
                Some(Awaiting::Length(header_len.saturating_add(n)))
            }
            (Some(_), _) => None,
        }
    }

    /// Could [`frame_stream`] say something new about `bytes`, the same message with more
    /// bytes behind it? When not, the bytes are remembered as searched.
    pub fn ready(&mut self, bytes: &[u8]) -> bool {
        match self {
            Awaiting::Length(total) => bytes.len() >= *total,
            Awaiting::HeaderEnd { scanned } => {
                if bytes.len() >= MAX_HEADER_SECTION {
                    return true;
                }
                // An empty line ends with a line feed that arrived since (the two bytes before
                // may be old).
                let new = bytes.get(scanned.saturating_sub(2)..).unwrap_or_default();
                let found = memchr::memmem::find(new, b"\n\n").is_some()
                    || memchr::memmem::find(new, b"\n\r\n").is_some();
                *scanned = (*scanned).max(bytes.len());
                found
            }
        }
    }
}

/// The offset of the first line of `bytes` (at its start or after a line feed) that is a SIP
/// start line; used to find the way back into a stream after damage or a gap.
pub fn next_start_line(bytes: &[u8]) -> Option<usize> {
    let mut pos = 0;
    loop {
        let rest = bytes.get(pos..)?;
        if start_line(rest).is_some() {
            return Some(pos);
        }
        pos += memchr(b'\n', rest)? + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: &[u8] = b"REGISTER sip:192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1\r\nCall-ID: abc\r\nl: 0\r\n\r\n";
    const INVITE: &[u8] = b"INVITE sip:bob@example.com SIP/2.0\nContent-Length: 4\ni: x\n\nv=0\n";

    #[test]
    fn recognises_requests_and_responses() {
        assert_eq!(
            start_line(REGISTER).map(|s| s.0),
            Some(StartLine::Request { method: "REGISTER" })
        );
        assert_eq!(
            start_line(b"SIP/2.0 401 Unauthorized\r\n").map(|s| s.0),
            Some(StartLine::Response { code: 401 })
        );
        assert_eq!(
            start_line(b"SIP/2.0 100\r\n").map(|s| s.0),
            Some(StartLine::Response { code: 100 })
        );
        assert_eq!(
            start_line(b"REGIStER sip:x SIP/2.0\r\n").map(|s| s.0),
            Some(StartLine::Request { method: "REGIStER" })
        );
        // A lone CR ends a damaged start line.
        assert_eq!(
            start_line(b"CANCEL sip:x SIP/2.0\r7Via: SIP/2.0/UDP h\r\n"),
            Some((StartLine::Request { method: "CANCEL" }, 21))
        );
    }

    #[test]
    fn rejects_what_is_not_sip() {
        for bad in [
            &b"\x80\x08\x00\x01rtp"[..],
            b"GET / HTTP/1.1\r\n",
            b"SIP/2.0 4O1 Bad\r\n",
            b"INVITE  SIP/2.0\r\n",
            b"INVITE sip:x SIP/2.0",
            b"",
            b"SIP/2.0 2000 OK\r\n",
            b"SIP/2.0 401 Unauthori%s\x00\r\n",
            b"INVITE sip:0%s\x0023@x SIP/2.0\r\n",
        ] {
            assert_eq!(start_line(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn frames_datagrams_by_content_length() {
        let f = frame_datagram(INVITE).unwrap();
        assert_eq!(f.len, INVITE.len());
        assert_eq!(f.content_length, ContentLength::Valid(4));
        let mut extra = INVITE.to_vec();
        extra.extend_from_slice(b"garbage");
        assert_eq!(frame_datagram(&extra).unwrap().len, INVITE.len());
        let short = &INVITE[..INVITE.len() - 2];
        let f = frame_datagram(short).unwrap();
        assert!(f.body_short);
        assert_eq!(f.len, short.len());
    }

    #[test]
    fn frames_streams_message_by_message() {
        let mut stream = REGISTER.to_vec();
        stream.extend_from_slice(INVITE);
        let StreamFraming::Complete(first) = frame_stream(&stream) else {
            panic!("first message not framed")
        };
        assert_eq!(first.len, REGISTER.len());
        let StreamFraming::Complete(second) = frame_stream(&stream[first.len..]) else {
            panic!("second message not framed")
        };
        assert_eq!(second.len, INVITE.len());
        for cut in 1..INVITE.len() {
            assert_eq!(
                frame_stream(&INVITE[..cut]),
                StreamFraming::Incomplete,
                "cut at {cut}"
            );
        }
        assert_eq!(frame_stream(b"\x16\x03\x01 tls"), StreamFraming::NotSip);
    }

    #[test]
    fn damaged_content_length_ends_at_the_next_message() {
        let bad = b"INVITE sip:a SIP/2.0\r\nContent-Length: xyz\r\n\r\nbodySIP/2.0 200 OK\r\n\r\n";
        let StreamFraming::Complete(f) = frame_stream(bad) else {
            panic!()
        };
        assert_eq!(f.content_length, ContentLength::Invalid);
        assert_eq!(f.len, bad.len());
        let two = b"INVITE sip:a SIP/2.0\r\nContent-Length: 99999999999999999999\r\n\r\nbody\r\nSIP/2.0 200 OK\r\n\r\n";
        let StreamFraming::Complete(f) = frame_stream(two) else {
            panic!()
        };
        assert_eq!(f.content_length, ContentLength::TooLarge);
        assert_eq!(&two[f.len..], b"SIP/2.0 200 OK\r\n\r\n");
    }

    #[test]
    fn finds_headers_and_the_way_back() {
        assert_eq!(
            find_header(REGISTER, b"call-id", Some(b"i")),
            Some(&b"abc"[..])
        );
        assert_eq!(find_header(INVITE, b"call-id", Some(b"i")), Some(&b"x"[..]));
        let junk = b"xx\r\nyy\nSIP/2.0 200 OK\r\n";
        assert_eq!(next_start_line(junk), Some(7));
        assert_eq!(next_start_line(b"nothing here"), None);
    }

    #[test]
    fn awaiting_agrees_with_framing_at_every_cut() {
        let mut stream = INVITE.to_vec();
        stream.extend_from_slice(REGISTER);
        let mut waiting: Option<Awaiting> = None;
        for cut in 1..=stream.len() {
            let bytes = &stream[..cut];
            let framed = frame_stream(bytes);
            if let Some(w) = waiting.as_mut() {
                if !w.ready(bytes) {
                    assert_eq!(framed, StreamFraming::Incomplete, "cut {cut}");
                    continue;
                }
            }
            waiting = match framed {
                StreamFraming::Incomplete => Awaiting::of(bytes),
                _ => None,
            };
        }
        assert_eq!(
            Awaiting::of(b"INVITE sip:a SIP/2.0\r\nl: 10\r\n\r\nab"),
            Some(Awaiting::Length(41))
        );
    }

    #[test]
    fn a_huge_header_line_is_bounded() {
        let mut big = b"INVITE sip:a SIP/2.0\r\nX: ".to_vec();
        big.resize(MAX_HEADER_SECTION + 10, b'a');
        assert_eq!(frame_stream(&big), StreamFraming::HeadersTooLong);
        assert!(frame_datagram(&big).is_some());
    }
}
