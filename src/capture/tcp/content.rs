//! What the in-order bytes of a stream carry, and the SIP messages framed in them: directly
//! by Content-Length, or inside WebSocket frames after an HTTP upgrade (RFC 7118).
//!
//! A stream is recognised at a message boundary, so bytes of anything else are looked at,
//! not kept.

use std::collections::VecDeque;

use crate::sip::framing::{self, Awaiting, ContentLength, StreamFraming};

use super::super::time::Timestamp;
use super::super::warning::WarningKind;
use super::super::websocket::{self, FrameRead};
use super::{StreamKey, StreamMessage};

/// Where one segment's bytes end in the stream, to date the messages they complete.
#[derive(Clone, Copy, Debug)]
struct SegmentMark {
    /// Absolute stream offset just after the segment's last byte.
    end: u64,
    frame: u64,
    ts: Timestamp,
}

/// What a stream carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    /// Nothing recognised yet: bytes are looked at, not kept.
    #[default]
    Candidate,
    /// SIP messages back to back, framed by Content-Length.
    Sip,
    /// An HTTP exchange that may upgrade the connection to WebSocket.
    Http,
    /// WebSocket frames carrying SIP messages (RFC 7118).
    WebSocket,
}

/// The framing state of one direction's in-order bytes.
#[derive(Debug, Default)]
pub struct Content {
    /// Contiguous bytes not yet framed.
    buf: Vec<u8>,
    /// Absolute stream offset of `buf[0]` (bytes appended to the buffer so far, minus its len).
    buf_start: u64,
    /// Segment ends within `buf`, oldest first.
    marks: VecDeque<SegmentMark>,
    /// What the stream carries, as far as it is known.
    mode: Mode,
    /// The WebSocket message being assembled (unmasked), and where it started in the stream.
    ws_message: Vec<u8>,
    ws_start: u64,
    /// SIP messages framed on it so far: until the first, a stream is only a candidate.
    messages: u64,
    /// After a gap or damage, skip to the next start line.
    resync: bool,
    /// What the incomplete message at the front of the buffer waits for (see [`Awaiting`]).
    awaiting: Option<Awaiting>,
    /// When the stream last carried a segment.
    pub(super) last_seen: Timestamp,
    /// The bytes are the plaintext of TLS records.
    pub(super) tls: bool,
}

impl Content {
    /// Takes in-order bytes carried by `frame`; a stream not recognised yet is adopted, or
    /// kept ignored, when they start at a message boundary.
    pub fn append(&mut self, fresh: &[u8], frame: u64, ts: Timestamp) {
        if self.buf.is_empty() && self.mode == Mode::Candidate {
            let start = fresh
                .iter()
                .position(|b| *b != b'\r' && *b != b'\n')
                .unwrap_or(fresh.len());
            let rest = fresh.get(start..).unwrap_or_default();
            self.mode = adopt(rest);
            if self.mode == Mode::Candidate {
                return;
            }
        }
        self.buf.extend_from_slice(fresh);
        self.marks.push_back(SegmentMark {
            end: self.buf_start + self.buf.len() as u64,
            frame,
            ts,
        });
    }

    /// Frames every complete message at the front of the buffer and hands it over.
    pub fn frame(
        &mut self,
        key: StreamKey,
        on_message: &mut dyn FnMut(StreamMessage<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        frame_buffered(self, key, on_message, on_warning);
    }

    /// The bytes were recognised as SIP, HTTP or WebSocket.
    pub fn recognised(&self) -> bool {
        self.mode != Mode::Candidate || self.messages > 0
    }

    /// Nothing is waiting to be framed.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Bytes held: the framing buffer and a WebSocket message.
    pub fn footprint(&self) -> usize {
        self.buf.len() + self.ws_message.len()
    }

    /// Forgets the bytes before a gap: framing resumes at the next start line.
    pub fn lose_bytes(&mut self) {
        self.clear_buffer();
        self.resync = true;
    }

    /// Lets go of every byte held (a cap was reached); framing resumes at the next start line.
    pub fn drop_held_bytes(&mut self) {
        self.lose_bytes();
        self.ws_message.clear();
    }

    /// The segments that carried bytes `start..end` (absolute offsets): the first frame, and
    /// the last one to arrive (when the message became complete in the capture).
    fn arrival(&self, start: u64, end: u64) -> Option<(u64, SegmentMark)> {
        let mut first: Option<u64> = None;
        let mut last: Option<SegmentMark> = None;
        for mark in self.marks.iter().filter(|m| m.end > start) {
            first = Some(first.map_or(mark.frame, |f| f.min(mark.frame)));
            if last.is_none_or(|l| mark.frame > l.frame) {
                last = Some(*mark);
            }
            if mark.end >= end {
                break;
            }
        }
        Some((first?, last?))
    }

    fn clear_buffer(&mut self) {
        self.buf_start += self.buf.len() as u64;
        self.buf.clear();
        self.marks.clear();
        self.awaiting = None;
    }

    /// Reports bytes left in a stream that ends in the middle of a message.
    pub fn flush_leftover(&self, key: StreamKey, on_warning: &mut dyn FnMut(WarningKind)) {
        if self.buf.iter().any(|b| *b != b'\r' && *b != b'\n') {
            on_warning(WarningKind::TcpUnframed {
                src: key.src,
                dst: key.dst,
                bytes: self.buf.len() as u64,
                reason: "the stream ends in the middle of a message",
            });
        }
    }
}

/// What the first bytes of a stream (at a boundary) say it carries.
fn adopt(rest: &[u8]) -> Mode {
    if rest.is_empty() {
        Mode::Candidate
    } else if websocket::looks_like_http(rest) {
        Mode::Http
    } else if framing::frame_stream(rest) != StreamFraming::NotSip {
        Mode::Sip
    } else if carries_sip_frame(rest) {
        // A WebSocket connection whose handshake was not captured.
        Mode::WebSocket
    } else {
        Mode::Candidate
    }
}

/// Does `bytes` start with a WebSocket data frame whose payload begins with a SIP start line?
fn carries_sip_frame(bytes: &[u8]) -> bool {
    let FrameRead::Header(h) = websocket::read_frame(bytes) else {
        return false;
    };
    if !matches!(h.opcode, 1 | 2) {
        return false;
    }
    let payload = bytes.get(h.header_len..).unwrap_or_default();
    let mut head = Vec::new();
    websocket::unmask_into(
        &mut head,
        payload
            .get(..payload.len().min(h.payload_len).min(256))
            .unwrap_or_default(),
        h.mask,
    );
    framing::frame_stream(&head) != StreamFraming::NotSip
}

/// Frames every complete message at the front of the buffer and hands it over.
fn frame_buffered(
    stream: &mut Content,
    key: StreamKey,
    on_message: &mut dyn FnMut(StreamMessage<'_>),
    on_warning: &mut dyn FnMut(WarningKind),
) {
    let mut pos = 0;
    loop {
        let mode = stream.mode;
        pos = match mode {
            Mode::Candidate => stream.buf.len(),
            Mode::Sip => frame_sip(stream, key, pos, on_message, on_warning),
            Mode::Http => read_http(stream, pos),
            Mode::WebSocket => frame_websocket(stream, key, pos, on_message, on_warning),
        };
        // An HTTP handshake that became WebSocket may have frames right behind it.
        if stream.mode == mode || pos >= stream.buf.len() {
            break;
        }
    }
    let consumed = pos.min(stream.buf.len());
    if consumed > 0 {
        stream.buf.drain(..consumed);
        stream.buf_start += consumed as u64;
        while stream
            .marks
            .front()
            .is_some_and(|m| m.end <= stream.buf_start)
        {
            stream.marks.pop_front();
        }
    }
    if stream.mode == Mode::Candidate {
        stream.clear_buffer();
    }
}

/// Largest HTTP header section read while waiting for a WebSocket upgrade.
const MAX_HTTP_HEADERS: usize = 16 * 1024;

/// Reads an HTTP header section; an Upgrade to WebSocket switches the stream to WebSocket,
/// anything else drops it.
fn read_http(stream: &mut Content, pos: usize) -> usize {
    let rest = stream.buf.get(pos..).unwrap_or_default();
    match memchr::memmem::find(rest, b"\r\n\r\n") {
        Some(end) => {
            let headers = rest.get(..end).unwrap_or_default();
            stream.mode = if websocket::is_upgrade(headers) {
                Mode::WebSocket
            } else {
                Mode::Candidate
            };
            pos + end + 4
        }
        None if rest.len() > MAX_HTTP_HEADERS => {
            stream.mode = Mode::Candidate;
            stream.buf.len()
        }
        None => pos,
    }
}

/// Reads WebSocket frames at `pos`; each complete message's SIP content is handed over.
fn frame_websocket(
    stream: &mut Content,
    key: StreamKey,
    mut pos: usize,
    on_message: &mut dyn FnMut(StreamMessage<'_>),
    on_warning: &mut dyn FnMut(WarningKind),
) -> usize {
    loop {
        let rest = stream.buf.get(pos..).unwrap_or_default();
        let header = match websocket::read_frame(rest) {
            FrameRead::Header(h) => h,
            FrameRead::Incomplete => break,
            FrameRead::Invalid => {
                on_warning(WarningKind::TcpUnframed {
                    src: key.src,
                    dst: key.dst,
                    bytes: rest.len() as u64,
                    reason: "not a WebSocket frame",
                });
                stream.mode = Mode::Candidate;
                stream.ws_message.clear();
                return stream.buf.len();
            }
        };
        let total = header.header_len + header.payload_len;
        let Some(payload) = rest.get(header.header_len..total) else {
            break; // the rest of the frame has not arrived
        };
        let frame_start = stream.buf_start + pos as u64;
        if matches!(header.opcode, 0..=2) {
            if stream.ws_message.is_empty() {
                stream.ws_start = frame_start;
            }
            if stream.ws_message.len() + payload.len() > websocket::MAX_MESSAGE {
                on_warning(WarningKind::LimitReached {
                    detail: format!(
                        "WebSocket message over 16 MiB on {} -> {}; dropped",
                        key.src, key.dst
                    ),
                });
                stream.ws_message.clear();
            } else {
                websocket::unmask_into(&mut stream.ws_message, payload, header.mask);
            }
            if header.fin {
                let end = frame_start + total as u64;
                emit_websocket_message(stream, key, end, on_message);
            }
        }
        pos += total;
    }
    pos
}

/// Hands over the SIP message(s) of a complete WebSocket message (one per message, RFC 7118;
/// several back to back are tolerated).
fn emit_websocket_message(
    stream: &mut Content,
    key: StreamKey,
    end: u64,
    on_message: &mut dyn FnMut(StreamMessage<'_>),
) {
    let (first_frame, last) = stream.arrival(stream.ws_start, end).unwrap_or((
        0,
        SegmentMark {
            end,
            frame: 0,
            ts: stream.last_seen,
        },
    ));
    let message = std::mem::take(&mut stream.ws_message);
    let mut rest = message.as_slice();
    while let Some(framed) = framing::frame_datagram(rest) {
        let (bytes, after) = rest.split_at(framed.len.min(rest.len()));
        on_message(StreamMessage {
            key,
            first_frame,
            frame: last.frame,
            ts: last.ts,
            bytes,
            framed,
            websocket: true,
            tls: stream.tls,
        });
        stream.messages += 1;
        let skip = after
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .unwrap_or(after.len());
        rest = after.get(skip..).unwrap_or_default();
        if framed.len == 0 {
            break;
        }
    }
    stream.ws_message = message;
    stream.ws_message.clear();
}

/// Frames the SIP messages at `pos` in the buffer; returns where it stopped.
fn frame_sip(
    stream: &mut Content,
    key: StreamKey,
    mut pos: usize,
    on_message: &mut dyn FnMut(StreamMessage<'_>),
    on_warning: &mut dyn FnMut(WarningKind),
) -> usize {
    loop {
        let rest = stream.buf.get(pos..).unwrap_or_default();
        // CRLF keep-alives (RFC 5626) between messages.
        let blank = rest
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .unwrap_or(rest.len());
        pos += blank;
        let rest = stream.buf.get(pos..).unwrap_or_default();
        if rest.is_empty() {
            break;
        }
        if stream.resync {
            match framing::next_start_line(rest) {
                Some(0) => stream.resync = false,
                Some(skip) => {
                    on_warning(skipped_after_gap(key, skip));
                    pos += skip;
                    stream.resync = false;
                    continue;
                }
                None => {
                    // Keep the last partial line: a start line may be arriving.
                    let keep = rest.len() - memchr::memrchr(b'\n', rest).map_or(0, |i| i + 1);
                    let dropped = rest.len() - keep;
                    if dropped > 0 {
                        on_warning(skipped_after_gap(key, dropped));
                    }
                    pos += dropped;
                    if keep > framing::MAX_START_LINE {
                        pos += keep;
                    }
                    break;
                }
            }
        }
        let rest = stream.buf.get(pos..).unwrap_or_default();
        if let Some(awaiting) = stream.awaiting.as_mut() {
            if !awaiting.ready(rest) {
                break;
            }
            stream.awaiting = None;
        }
        match framing::frame_stream(rest) {
            StreamFraming::Complete(framed) => {
                if let Some(warning) = content_length_warning(key, framed.content_length) {
                    on_warning(warning);
                }
                let start = stream.buf_start + pos as u64;
                let end = start + framed.len as u64;
                let (first_frame, last) = stream.arrival(start, end).unwrap_or((
                    0,
                    SegmentMark {
                        end,
                        frame: 0,
                        ts: stream.last_seen,
                    },
                ));
                let bytes = rest.get(..framed.len).unwrap_or(rest);
                on_message(StreamMessage {
                    key,
                    first_frame,
                    frame: last.frame,
                    ts: last.ts,
                    bytes,
                    framed,
                    websocket: false,
                    tls: stream.tls,
                });
                pos += framed.len.max(1);
                stream.messages += 1;
            }
            StreamFraming::Incomplete => {
                stream.awaiting = Awaiting::of(rest);
                break;
            }
            StreamFraming::NotSip if stream.messages == 0 => {
                // A candidate that turned out not to be SIP (a "GET /" looks like a request
                // line until its version arrives): forget it quietly.
                stream.mode = Mode::Candidate;
                pos = stream.buf.len();
                break;
            }
            StreamFraming::NotSip | StreamFraming::HeadersTooLong => {
                stream.resync = true;
                let skip = framing::next_start_line(rest.get(1..).unwrap_or_default())
                    .map_or(rest.len(), |i| i + 1);
                on_warning(WarningKind::TcpUnframed {
                    src: key.src,
                    dst: key.dst,
                    bytes: skip as u64,
                    reason: "not a SIP message (or a header section over 256 KiB)",
                });
                pos += skip;
            }
        }
    }
    pos
}

fn skipped_after_gap(key: StreamKey, bytes: usize) -> WarningKind {
    WarningKind::TcpUnframed {
        src: key.src,
        dst: key.dst,
        bytes: bytes as u64,
        reason: "bytes after a gap, before the next SIP start line",
    }
}

fn content_length_warning(key: StreamKey, content_length: ContentLength) -> Option<WarningKind> {
    let detail = match content_length {
        ContentLength::Valid(_) => return None,
        ContentLength::Missing => "has no Content-Length; assumed 0",
        ContentLength::Invalid | ContentLength::TooLarge => {
            "has an unusable Content-Length; the body was taken up to the next message"
        }
    };
    Some(WarningKind::BadContentLength {
        detail: format!("message on TCP {} -> {} {detail}", key.src, key.dst),
    })
}
