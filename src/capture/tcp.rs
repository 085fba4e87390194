//! TCP stream reassembly for SIP: segments in sequence order, duplicates and overlaps dropped,
//! out-of-order segments held until the hole fills, messages framed by Content-Length.
//!
//! Only streams that carry SIP are buffered: a stream is adopted when a segment that starts at
//! a message boundary begins with a SIP start line, so a capture full of HTTPS costs nothing
//! but a glance at each segment. A hole that never fills is reported as a gap: the message
//! across it is lost, and framing resumes at the next start line. A hole is known to be lost
//! as soon as the other side acknowledges bytes beyond it (the receiver got what the capture
//! missed), else after [`GAP_TIMEOUT_NANOS`], at FIN/RST, or at the end of the capture.
//!
//! Each message keeps the frame and time of the segment that completed it, even when it was
//! held out of order, so ladders show it where it happened.

use std::collections::{BTreeMap, VecDeque};

use rustc_hash::FxHashMap as HashMap;
use std::net::SocketAddr;

use crate::sip::framing::{self, Awaiting, ContentLength, StreamFraming};

use super::websocket::{self, FrameRead};

use super::time::Timestamp;
use super::warning::WarningKind;

/// Bytes held out of order per stream before the hole is declared a gap.
pub const MAX_OUT_OF_ORDER_BYTES: usize = 1 << 20;
/// Out-of-order segments held per stream.
pub const MAX_OUT_OF_ORDER_SEGMENTS: usize = 256;
/// A hole still open this long after the first segment beyond it arrived is a gap.
pub const GAP_TIMEOUT_NANOS: i64 = 5_000_000_000;
/// Streams followed at once; beyond this the least recently active ones are dropped.
pub const MAX_STREAMS: usize = 200_000;
/// Streams dropped at once when [`MAX_STREAMS`] is reached: finding the least recently active
/// costs a pass over all streams, so it is done for a batch, not for every new stream (which
/// made a capture of endless new connections quadratic).
pub const EVICTION_BATCH: usize = MAX_STREAMS / 16;
/// Bytes held over all streams (framing buffers, out-of-order segments, WebSocket messages).
/// Each stream is bounded on its own (a header section, a body, the out-of-order window), but
/// [`MAX_STREAMS`] times that is not; beyond this the streams holding most are emptied until
/// an eighth is free, with a warning, and followed again from their next start line.
pub const MAX_BUFFERED_BYTES: usize = 256 << 20;
/// An idle stream with nothing buffered is forgotten after this long.
pub const IDLE_TIMEOUT_NANOS: i64 = 300_000_000_000;

/// One direction of a TCP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamKey {
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
}

impl StreamKey {
    /// The other direction of the same connection.
    pub fn reverse(self) -> StreamKey {
        StreamKey {
            src: self.dst,
            dst: self.src,
        }
    }
}

/// A TCP segment as the reassembler needs it.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    /// Which direction.
    pub key: StreamKey,
    /// Sequence number of the first payload byte.
    pub seq: u32,
    /// The acknowledgment number, when the ACK flag is set.
    pub ack: Option<u32>,
    /// SYN flag (the sequence number is the ISN; data starts one later).
    pub syn: bool,
    /// FIN or RST: nothing more will come.
    pub fin_or_rst: bool,
    /// Payload bytes.
    pub payload: &'a [u8],
}

/// A SIP message framed on a stream, handed to the caller.
#[derive(Debug)]
pub struct StreamMessage<'a> {
    /// Which direction.
    pub key: StreamKey,
    /// The earliest frame that carried any of its bytes.
    pub first_frame: u64,
    /// The frame whose segment completed the message.
    pub frame: u64,
    /// The capture time of that segment.
    pub ts: Timestamp,
    /// The message bytes.
    pub bytes: &'a [u8],
    /// How it was framed.
    pub framed: framing::Framed<'a>,
    /// It came in a WebSocket message rather than directly on the stream.
    pub websocket: bool,
}

/// Where one segment's bytes end in the stream, to date the messages they complete.
#[derive(Clone, Copy, Debug)]
struct SegmentMark {
    /// Absolute stream offset just after the segment's last byte.
    end: u64,
    frame: u64,
    ts: Timestamp,
}

#[derive(Debug)]
struct HeldSegment {
    data: Vec<u8>,
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

#[derive(Default)]
struct Stream {
    /// Next expected sequence number, once known.
    next_seq: Option<u32>,
    /// Contiguous bytes not yet framed.
    buf: Vec<u8>,
    /// Absolute stream offset of `buf[0]` (bytes appended to the buffer so far, minus its len).
    buf_start: u64,
    /// Segment ends within `buf`, oldest first.
    marks: VecDeque<SegmentMark>,
    /// Segments beyond a hole, by sequence number.
    held: BTreeMap<u32, HeldSegment>,
    held_bytes: usize,
    /// When the oldest held segment arrived.
    held_since: Option<Timestamp>,
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
    last_seen: Timestamp,
}

impl Stream {
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

    /// Bytes held: the framing buffer, out-of-order segments, a WebSocket message.
    fn footprint(&self) -> usize {
        self.buf.len() + self.held_bytes + self.ws_message.len()
    }

    /// Lets go of every byte held (a cap was reached); framing resumes at the next start line.
    fn drop_held_bytes(&mut self) {
        self.clear_buffer();
        self.held.clear();
        self.held_bytes = 0;
        self.held_since = None;
        self.ws_message.clear();
        self.resync = true;
    }

    fn clear_buffer(&mut self) {
        self.buf_start += self.buf.len() as u64;
        self.buf.clear();
        self.marks.clear();
        self.awaiting = None;
    }
}

/// Follows every TCP stream of a capture.
#[derive(Default)]
pub struct TcpReassembler {
    streams: HashMap<StreamKey, Stream>,
    /// Segments that repeated bytes already seen (retransmissions).
    pub retransmitted_segments: u64,
    /// Segments that arrived ahead of a hole.
    pub out_of_order_segments: u64,
    /// Streams dropped because [`MAX_STREAMS`] was reached.
    pub evicted_streams: u64,
    last_sweep: Timestamp,
    /// Segments pushed since the last sweep (a sweep is a pass over all streams).
    pushes_since_sweep: usize,
    /// The most streams followed at once.
    peak_streams: usize,
    /// Bytes held over all streams (see [`MAX_BUFFERED_BYTES`]).
    buffered: usize,
    /// The most bytes held at once.
    peak_buffered: usize,
}

impl TcpReassembler {
    /// Takes one segment; calls `on_message` for each SIP message it completes and `on_warning`
    /// for gaps and skipped bytes.
    pub fn push(
        &mut self,
        segment: Segment<'_>,
        frame: u64,
        ts: Timestamp,
        on_message: &mut dyn FnMut(StreamMessage<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        self.sweep(ts);
        if !self.streams.contains_key(&segment.key)
            && (!segment.payload.is_empty() || segment.syn)
            && self.streams.len() >= MAX_STREAMS
        {
            self.evict_batch(on_warning);
        }
        let keys = [segment.key, segment.key.reverse()];
        let before: usize = keys.iter().map(|k| self.footprint(k)).sum();
        self.push_inner(segment, frame, ts, on_message, on_warning);
        let after: usize = keys.iter().map(|k| self.footprint(k)).sum();
        self.buffered = (self.buffered + after).saturating_sub(before);
        self.peak_buffered = self.peak_buffered.max(self.buffered);
        if self.buffered > MAX_BUFFERED_BYTES {
            self.shed(on_warning);
        }
    }

    /// Bytes held for one direction.
    fn footprint(&self, key: &StreamKey) -> usize {
        self.streams.get(key).map_or(0, Stream::footprint)
    }

    /// Empties the streams holding most until an eighth of [`MAX_BUFFERED_BYTES`] is free.
    fn shed(&mut self, on_warning: &mut dyn FnMut(WarningKind)) {
        let mut by_size: Vec<(usize, StreamKey)> = self
            .streams
            .iter()
            .map(|(k, s)| (s.footprint(), *k))
            .filter(|(size, _)| *size > 0)
            .collect();
        by_size.sort_unstable_by(|a, b| b.cmp(a));
        let target = MAX_BUFFERED_BYTES - MAX_BUFFERED_BYTES / 8;
        let (mut dropped, mut emptied) = (0usize, 0usize);
        for (size, key) in &by_size {
            if self.buffered <= target {
                break;
            }
            if let Some(stream) = self.streams.get_mut(key) {
                stream.drop_held_bytes();
                self.buffered = self.buffered.saturating_sub(*size);
                dropped += size;
                emptied += 1;
            }
        }
        if let Some((_, largest)) = by_size.first() {
            on_warning(WarningKind::LimitReached {
                detail: format!(
                    "more than {} MiB held over all TCP streams; dropped {dropped} bytes of {emptied} stream(s), the largest {} -> {}; their unfinished messages are lost",
                    MAX_BUFFERED_BYTES >> 20,
                    largest.src,
                    largest.dst
                ),
            });
        }
    }

    /// The most bytes held over all streams at once so far.
    pub fn peak_buffered_bytes(&self) -> usize {
        self.peak_buffered
    }

    fn push_inner(
        &mut self,
        segment: Segment<'_>,
        frame: u64,
        ts: Timestamp,
        on_message: &mut dyn FnMut(StreamMessage<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        if let Some(ack) = segment.ack {
            self.acknowledged(segment.key.reverse(), ack, on_message, on_warning);
        }
        if !self.streams.contains_key(&segment.key) && segment.payload.is_empty() && !segment.syn {
            return;
        }
        self.peak_streams = self.peak_streams.max(self.streams.len() + 1);
        let stream = self.streams.entry(segment.key).or_default();
        stream.last_seen = ts;
        let data_seq = if segment.syn {
            segment.seq.wrapping_add(1)
        } else {
            segment.seq
        };
        let next = *stream.next_seq.get_or_insert(data_seq);
        if segment.syn {
            stream.next_seq = Some(data_seq);
        }
        let payload = segment.payload;
        if !payload.is_empty() {
            let ahead = data_seq.wrapping_sub(next) as i32;
            if ahead > 0 {
                self.out_of_order_segments += 1;
                hold(stream, data_seq, payload, frame, ts, on_warning);
            } else {
                let skip = ahead.unsigned_abs() as usize;
                if skip >= payload.len() {
                    self.retransmitted_segments += 1;
                } else {
                    if skip > 0 {
                        self.retransmitted_segments += 1;
                    }
                    let fresh = payload.get(skip..).unwrap_or_default();
                    append(stream, fresh, frame, ts);
                    drain_held(stream);
                }
            }
        }
        if stream
            .held_since
            .is_some_and(|t| ts.nanos_since(t) > GAP_TIMEOUT_NANOS)
            || (segment.fin_or_rst && !stream.held.is_empty())
        {
            jump_gap(stream, segment.key, on_warning);
        }
        frame_buffered(stream, segment.key, on_message, on_warning);
        if segment.fin_or_rst {
            if let Some(stream) = self.streams.remove(&segment.key) {
                flush_leftover(&stream, segment.key, on_warning);
            }
        }
    }

    /// The receiver of `key` acknowledged everything before `ack`: a hole before that is lost
    /// from the capture, not late.
    fn acknowledged(
        &mut self,
        key: StreamKey,
        ack: u32,
        on_message: &mut dyn FnMut(StreamMessage<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        let Some(stream) = self.streams.get_mut(&key) else {
            return;
        };
        let Some(next) = stream.next_seq else { return };
        if stream.held.is_empty() || (ack.wrapping_sub(next) as i32) <= 0 {
            return;
        }
        jump_gap(stream, key, on_warning);
        frame_buffered(stream, key, on_message, on_warning);
    }

    /// Ends the capture: resolves holes and reports what could not be framed.
    pub fn finish(
        &mut self,
        on_message: &mut dyn FnMut(StreamMessage<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        let mut keys: Vec<StreamKey> = self.streams.keys().copied().collect();
        keys.sort();
        for key in keys {
            if let Some(mut stream) = self.streams.remove(&key) {
                while !stream.held.is_empty() {
                    jump_gap(&mut stream, key, on_warning);
                    frame_buffered(&mut stream, key, on_message, on_warning);
                }
                flush_leftover(&stream, key, on_warning);
            }
        }
        self.buffered = 0;
    }

    /// Streams followed right now.
    pub fn live_streams(&self) -> usize {
        self.streams.len()
    }

    /// The most streams followed at once so far.
    pub fn peak_streams(&self) -> usize {
        self.peak_streams
    }

    /// Bytes buffered right now over all streams: framing buffers, held segments and WebSocket
    /// messages being assembled.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered
    }

    /// Forgets idle streams with nothing pending, at most once per capture second, and only
    /// after as many segments as a quarter of the streams, so that its pass over all streams
    /// costs a bounded amount per segment however the timestamps jump.
    fn sweep(&mut self, now: Timestamp) {
        self.pushes_since_sweep += 1;
        if now.nanos_since(self.last_sweep) < 1_000_000_000
            || self.pushes_since_sweep < self.streams.len() / 4
        {
            return;
        }
        self.last_sweep = now;
        self.pushes_since_sweep = 0;
        let mut freed = 0;
        self.streams.retain(|_, s| {
            let idle = s.buf.is_empty()
                && s.held.is_empty()
                && now.nanos_since(s.last_seen) > IDLE_TIMEOUT_NANOS;
            if idle {
                freed += s.footprint();
            }
            !idle
        });
        self.buffered = self.buffered.saturating_sub(freed);
    }

    /// Drops the [`EVICTION_BATCH`] least recently active streams, with one warning.
    fn evict_batch(&mut self, on_warning: &mut dyn FnMut(WarningKind)) {
        let mut by_age: Vec<(Timestamp, StreamKey)> = self
            .streams
            .iter()
            .map(|(k, s)| (s.last_seen, *k))
            .collect();
        let n = EVICTION_BATCH.clamp(1, by_age.len().max(1));
        if by_age.len() > n {
            by_age.select_nth_unstable(n);
        }
        by_age.truncate(n);
        by_age.sort_unstable();
        for (_, key) in &by_age {
            if let Some(s) = self.streams.remove(key) {
                self.buffered = self.buffered.saturating_sub(s.footprint());
            }
        }
        self.evicted_streams += by_age.len() as u64;
        if let Some((_, oldest)) = by_age.first() {
            on_warning(WarningKind::LimitReached {
                detail: format!(
                    "more than {MAX_STREAMS} TCP streams at once; stopped following the {} least recently active (from {} -> {}); their unfinished messages are lost",
                    by_age.len(),
                    oldest.src,
                    oldest.dst
                ),
            });
        }
    }
}

fn append(stream: &mut Stream, fresh: &[u8], frame: u64, ts: Timestamp) {
    if stream.buf.is_empty() && stream.mode == Mode::Candidate {
        // Adopt the stream, or keep ignoring it, at a message boundary.
        let start = fresh
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .unwrap_or(fresh.len());
        let rest = fresh.get(start..).unwrap_or_default();
        stream.mode = adopt(rest);
        if stream.mode == Mode::Candidate {
            advance(stream, fresh.len());
            return;
        }
    }
    stream.buf.extend_from_slice(fresh);
    stream.marks.push_back(SegmentMark {
        end: stream.buf_start + stream.buf.len() as u64,
        frame,
        ts,
    });
    advance(stream, fresh.len());
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

fn advance(stream: &mut Stream, by: usize) {
    if let Some(next) = stream.next_seq.as_mut() {
        *next = next.wrapping_add(by as u32);
    }
}

fn hold(
    stream: &mut Stream,
    seq: u32,
    payload: &[u8],
    frame: u64,
    ts: Timestamp,
    on_warning: &mut dyn FnMut(WarningKind),
) {
    if stream.held.contains_key(&seq) {
        return;
    }
    if stream.held_bytes + payload.len() > MAX_OUT_OF_ORDER_BYTES
        || stream.held.len() >= MAX_OUT_OF_ORDER_SEGMENTS
    {
        on_warning(WarningKind::LimitReached {
            detail: format!(
                "more than {} KiB out of order on one TCP stream; the hole is treated as a gap",
                MAX_OUT_OF_ORDER_BYTES / 1024
            ),
        });
        stream.held_since = Some(Timestamp(i64::MIN));
    }
    stream.held_bytes += payload.len();
    stream.held.insert(
        seq,
        HeldSegment {
            data: payload.to_vec(),
            frame,
            ts,
        },
    );
    stream.held_since.get_or_insert(ts);
}

/// The held segment closest after `next` in sequence space (wrapping).
fn first_held(stream: &Stream, next: u32) -> Option<u32> {
    stream
        .held
        .keys()
        .copied()
        .min_by_key(|seq| seq.wrapping_sub(next))
}

/// Moves held segments that now continue the stream into the buffer.
fn drain_held(stream: &mut Stream) {
    while let Some(next) = stream.next_seq {
        let Some(seq) = first_held(stream, next) else {
            break;
        };
        let ahead = seq.wrapping_sub(next) as i32;
        if ahead > 0 {
            break;
        }
        let Some(held) = stream.held.remove(&seq) else {
            break;
        };
        stream.held_bytes -= held.data.len().min(stream.held_bytes);
        let skip = ahead.unsigned_abs() as usize;
        if let Some(fresh) = held.data.get(skip..) {
            if !fresh.is_empty() {
                append(stream, fresh, held.frame, held.ts);
            }
        }
    }
    if stream.held.is_empty() {
        stream.held_since = None;
        stream.held_bytes = 0;
    }
}

/// Declares the hole before the first held segment lost, and resumes after it.
fn jump_gap(stream: &mut Stream, key: StreamKey, on_warning: &mut dyn FnMut(WarningKind)) {
    let Some(next) = stream.next_seq else { return };
    let Some(seq) = first_held(stream, next) else {
        return;
    };
    on_warning(WarningKind::TcpGap {
        src: key.src,
        dst: key.dst,
        bytes: u64::from(seq.wrapping_sub(next)),
    });
    stream.clear_buffer();
    stream.resync = true;
    stream.next_seq = Some(seq);
    stream.held_since = None;
    drain_held(stream);
    if !stream.held.is_empty() {
        stream.held_since = Some(stream.last_seen);
    }
}

/// Frames every complete message at the front of the buffer and hands it over.
fn frame_buffered(
    stream: &mut Stream,
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
fn read_http(stream: &mut Stream, pos: usize) -> usize {
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
    stream: &mut Stream,
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
    stream: &mut Stream,
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
    stream: &mut Stream,
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

/// Reports bytes left in a stream that ends in the middle of a message.
fn flush_leftover(stream: &Stream, key: StreamKey, on_warning: &mut dyn FnMut(WarningKind)) {
    if stream.buf.iter().any(|b| *b != b'\r' && *b != b'\n') {
        on_warning(WarningKind::TcpUnframed {
            src: key.src,
            dst: key.dst,
            bytes: stream.buf.len() as u64,
            reason: "the stream ends in the middle of a message",
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[u8] = b"OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    const B: &[u8] =
        b"INVITE sip:b SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=-\r\n";

    fn key() -> StreamKey {
        StreamKey {
            src: "192.0.2.1:5060".parse().unwrap(),
            dst: "192.0.2.2:5060".parse().unwrap(),
        }
    }

    /// Feeds (seq, payload) segments; returns the messages and warnings. A segment with an
    /// empty payload stands for the SYN.
    /// A framed message: bytes, first frame, completing frame.
    type Got = (Vec<u8>, u64, u64);

    fn run(segments: &[(u32, &[u8])]) -> (Vec<Got>, Vec<WarningKind>) {
        let mut tcp = TcpReassembler::default();
        let mut msgs = Vec::new();
        let mut warns = Vec::new();
        for (i, (seq, payload)) in segments.iter().enumerate() {
            tcp.push(
                Segment {
                    key: key(),
                    seq: *seq,
                    ack: None,
                    syn: payload.is_empty(),
                    fin_or_rst: false,
                    payload,
                },
                i as u64 + 1,
                Timestamp(i as i64),
                &mut |m| msgs.push((m.bytes.to_vec(), m.first_frame, m.frame)),
                &mut |w| warns.push(w),
            );
            let actual: usize = tcp.streams.values().map(Stream::footprint).sum();
            assert_eq!(tcp.buffered_bytes(), actual, "running count of bytes held");
        }
        tcp.finish(
            &mut |m| msgs.push((m.bytes.to_vec(), m.first_frame, m.frame)),
            &mut |w| warns.push(w),
        );
        (msgs, warns)
    }

    fn both() -> Vec<u8> {
        [A, B].concat()
    }

    #[test]
    fn several_messages_in_one_segment() {
        let (msgs, warns) = run(&[(1000, &both())]);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[1].0, B);
        assert!(warns.is_empty(), "{warns:?}");
    }

    #[test]
    fn one_message_over_many_segments_in_any_order() {
        let all = both();
        // Every split point, delivered in order and in reverse order.
        for cut in 1..all.len() {
            let (x, y) = all.split_at(cut);
            let (msgs, _) = run(&[(7, x), (7 + cut as u32, y)]);
            assert_eq!(msgs.len(), 2, "in order, cut {cut}");
            let (msgs, warns) = run(&[(6, b""), (7 + cut as u32, y), (7, x)]);
            assert_eq!(msgs.len(), 2, "reversed, cut {cut}: {warns:?}");
        }
    }

    #[test]
    fn retransmissions_and_overlaps_are_dropped() {
        let all = both();
        let (msgs, warns) = run(&[
            (0, &all[..30]),
            (0, &all[..30]),
            (20, &all[20..60]),
            (60, &all[60..]),
            (60, &all[60..]),
        ]);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].0, A);
        assert_eq!(msgs[1].0, B);
        assert!(warns.is_empty());
    }

    #[test]
    fn sequence_numbers_wrap() {
        let all = both();
        let start = u32::MAX - 10;
        let (msgs, _) = run(&[(start, &all[..20]), (start.wrapping_add(20), &all[20..])]);
        assert_eq!(msgs.len(), 2);
    }

    #[test]
    fn a_gap_loses_one_message_and_framing_resumes() {
        let mut all = both();
        all.extend_from_slice(A);
        let b_start = A.len();
        let (msgs, warns) = run(&[
            (0, &all[..b_start + 10]),
            // bytes b_start+10 .. b_start+30 are never captured
            (b_start as u32 + 30, &all[b_start + 30..]),
        ]);
        assert_eq!(
            msgs.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
            vec![A.to_vec(), A.to_vec()]
        );
        assert!(
            warns
                .iter()
                .any(|w| matches!(w, WarningKind::TcpGap { bytes: 20, .. }))
        );
    }

    #[test]
    fn a_stream_that_only_looked_like_sip_is_dropped_quietly() {
        let (msgs, warns) = run(&[
            (0, b"GET /"),
            (5, b"index.html HTTP/1.1\r\nHost: x\r\n\r\n"),
        ]);
        assert!(msgs.is_empty());
        assert!(warns.is_empty(), "{warns:?}");
    }

    #[test]
    fn messages_keep_the_frames_that_carried_them() {
        let all = both();
        let cut = A.len() + 10;
        // Frame 2 brings the end of A and the start of B; frame 3 (out of order, before it)
        // the rest of B; frame 4 the start of A.
        let (msgs, _) = run(&[
            (6, b""),
            (7 + 20, &all[20..cut]),
            (7 + cut as u32, &all[cut..]),
            (7, &all[..20]),
        ]);
        assert_eq!(msgs.len(), 2);
        // A's bytes came in frames 4 and 2: complete when frame 4 arrived.
        assert_eq!(msgs[0], (A.to_vec(), 2, 4));
        // B's bytes came in frames 2 and 3.
        assert_eq!(msgs[1], (B.to_vec(), 2, 3));
    }

    #[test]
    fn an_acknowledged_hole_is_a_gap_at_once() {
        let all = both();
        let mut tcp = TcpReassembler::default();
        let mut msgs = Vec::new();
        let mut warns = Vec::new();
        let seg = |seq: u32, ack: Option<u32>, key: StreamKey, payload: &'static [u8]| Segment {
            key,
            seq,
            ack,
            syn: false,
            fin_or_rst: false,
            payload,
        };
        let all: &'static [u8] = Box::leak(all.into_boxed_slice());
        let mut push = |s: Segment<'static>, frame: u64| {
            tcp.push(
                s,
                frame,
                Timestamp(0),
                &mut |m| msgs.push((m.bytes.to_vec(), m.frame)),
                &mut |w| warns.push(w),
            );
        };
        push(seg(0, None, key(), &all[..10]), 1);
        // bytes 10..20 never captured; B starts at A.len()
        push(seg(20, None, key(), &all[20..]), 2);
        // The receiver acknowledges everything: the hole was delivered, the capture missed it.
        push(seg(500, Some(all.len() as u32), key().reverse(), b""), 3);
        assert!(
            warns
                .iter()
                .any(|w| matches!(w, WarningKind::TcpGap { bytes: 10, .. })),
            "{warns:?}"
        );
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].0, B);
        assert_eq!(msgs[0].1, 2, "B keeps the frame that carried it");
    }

    #[test]
    fn non_sip_streams_are_not_buffered() {
        let mut tcp = TcpReassembler::default();
        let mut n = 0;
        for i in 0..100u32 {
            tcp.push(
                Segment {
                    key: key(),
                    seq: i * 1000,
                    ack: None,
                    syn: false,
                    fin_or_rst: false,
                    payload: &[0x17; 1000],
                },
                u64::from(i),
                Timestamp(0),
                &mut |_| n += 1,
                &mut |_| {},
            );
        }
        assert_eq!(n, 0);
        let stream = tcp.streams.get(&key()).unwrap();
        assert!(stream.buf.is_empty());
    }

    /// A message fed one byte per segment used to be framed again from its start at every
    /// segment: time quadratic in the header section (minutes for 64 KiB of short lines).
    #[test]
    fn one_byte_segments_do_not_reframe_from_the_start() {
        let mut message = b"INVITE sip:b SIP/2.0\r\n".to_vec();
        while message.len() < 64 * 1024 {
            message.extend_from_slice(b"X: y\r\n");
        }
        message.extend_from_slice(b"Content-Length: 4\r\n\r\nv=0\n");
        let segments: Vec<(u32, &[u8])> = message
            .chunks(1)
            .enumerate()
            .map(|(i, b)| (i as u32 + 1, b))
            .collect();
        let (msgs, warns) = run(&segments);
        assert_eq!(msgs.len(), 1, "{warns:?}");
        assert_eq!(msgs[0].0, message);
    }

    /// Many streams each waiting for a large body: each is within its own caps, together they
    /// were not bounded. The streams holding most are emptied, with a warning.
    #[test]
    fn bytes_held_over_all_streams_stay_under_the_cap() {
        let mut tcp = TcpReassembler::default();
        let mut warnings = Vec::new();
        let head = b"MESSAGE sip:b SIP/2.0\r\nContent-Length: 16000000\r\n\r\n";
        let body = vec![b'x'; 60_000];
        for port in 0..40u16 {
            let k = StreamKey {
                src: SocketAddr::from(([192, 0, 2, 1], 10_000 + port)),
                dst: SocketAddr::from(([192, 0, 2, 2], 5060)),
            };
            let mut seq = 1u32;
            for i in 0..130u32 {
                let payload: &[u8] = if i == 0 { head } else { &body };
                tcp.push(
                    Segment {
                        key: k,
                        seq,
                        ack: None,
                        syn: false,
                        fin_or_rst: false,
                        payload,
                    },
                    u64::from(i),
                    Timestamp(0),
                    &mut |_| {},
                    &mut |w| warnings.push(w),
                );
                seq = seq.wrapping_add(payload.len() as u32);
                assert!(tcp.buffered_bytes() <= MAX_BUFFERED_BYTES);
            }
        }
        let actual: usize = tcp.streams.values().map(Stream::footprint).sum();
        assert_eq!(actual, tcp.buffered_bytes(), "the running count is exact");
        assert!(tcp.peak_buffered_bytes() <= MAX_BUFFERED_BYTES + 60_000);
        assert!(
            warnings.iter().any(
                |w| matches!(w, WarningKind::LimitReached { detail } if detail.contains("256 MiB"))
            ),
            "{warnings:?}"
        );
    }
}
