//! The TCP streams of a capture: each direction's segments through its [`Sequencer`], then
//! through TLS when its first bytes are a TLS record, into its [`Content`]; and the caps that
//! keep them bounded together (streams followed at once, bytes held over all of them, idle
//! streams forgotten).

use rustc_hash::FxHashMap as HashMap;

use super::super::time::Timestamp;
use super::super::tls::{self, Plain, TlsConnections, TlsReader};
use super::super::warning::WarningKind;
use super::content::Content;
use super::sequence::{Arrival, Sequencer};
use super::{
    EVICTION_BATCH, GAP_TIMEOUT_NANOS, IDLE_TIMEOUT_NANOS, MAX_BUFFERED_BYTES, MAX_STREAMS,
    Segment, StreamKey, StreamMessage,
};

/// One direction of a connection: its sequence, TLS when there is, then what its bytes carry.
#[derive(Debug, Default)]
pub(super) struct Stream {
    sequence: Sequencer,
    layer: Layer,
    pub(super) content: Content,
}

/// What sits between the in-order bytes and the content.
#[derive(Debug, Default)]
struct Layer {
    /// The first in-order bytes were looked at.
    started: bool,
    /// TLS, when they were a TLS record.
    tls: Option<Box<TlsReader>>,
}

impl Layer {
    /// Hands in-order bytes to TLS when the stream is TLS (deciding it at its first bytes),
    /// else straight to the content.
    #[allow(clippy::too_many_arguments)]
    fn deliver(
        &mut self,
        key: StreamKey,
        bytes: &[u8],
        frame: u64,
        ts: Timestamp,
        content: &mut Content,
        connections: &mut TlsConnections,
        warnings: &mut Vec<WarningKind>,
    ) {
        if !self.started {
            self.started = true;
            if tls::looks_like_tls(bytes) {
                self.tls = Some(Box::new(TlsReader::new(key.src, key.dst)));
                content.tls = true;
            }
        }
        let Some(reader) = self.tls.as_mut() else {
            content.append(bytes, frame, ts);
            return;
        };
        let mut data = false;
        reader.read(
            bytes,
            connections,
            &mut |plain| match plain {
                Plain::Bytes(b) => {
                    data |= b.iter().any(|c| *c != b'\r' && *c != b'\n');
                    content.append(b, frame, ts);
                }
                Plain::Lost => content.lose_bytes(),
            },
            &mut |w| warnings.push(w),
        );
        if data && !content.recognised() {
            // Not SIP inside (HTTPS in a browser's key log): no use decrypting the rest.
            reader.stop();
        }
    }
}

impl Stream {
    /// Bytes held: out-of-order segments, a TLS record, the framing buffer, a WebSocket
    /// message.
    pub(super) fn footprint(&self) -> usize {
        self.sequence.held_bytes()
            + self.layer.tls.as_ref().map_or(0, |t| t.footprint())
            + self.content.footprint()
    }

    fn last_seen(&self) -> Timestamp {
        self.content.last_seen
    }

    /// Lets go of every byte held (a cap was reached); framing resumes at the next start line.
    fn drop_held_bytes(&mut self) {
        self.sequence.drop_held();
        self.content.drop_held_bytes();
    }

    /// Declares the hole before the first held segment lost, and resumes after it.
    fn jump_gap(
        &mut self,
        key: StreamKey,
        connections: &mut TlsConnections,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        let Some(bytes) = self.sequence.skip_hole() else {
            return;
        };
        on_warning(WarningKind::TcpGap {
            src: key.src,
            dst: key.dst,
            bytes,
        });
        self.content.lose_bytes();
        if let Some(reader) = self.layer.tls.as_mut() {
            // Record boundaries and sequence numbers are lost with the bytes.
            reader.stop();
        }
        let Stream {
            sequence,
            layer,
            content,
        } = self;
        let now = content.last_seen;
        let mut warnings = Vec::new();
        sequence.resume(now, &mut |bytes, frame, ts| {
            layer.deliver(key, bytes, frame, ts, content, connections, &mut warnings);
        });
        warnings.into_iter().for_each(on_warning);
    }
}

/// Follows every TCP stream of a capture.
#[derive(Default)]
pub struct TcpReassembler {
    pub(super) streams: HashMap<StreamKey, Stream>,
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
    /// TLS connections: keys, handshakes, counts.
    pub tls: TlsConnections,
}

impl TcpReassembler {
    /// A reassembler that reads TLS with these secrets.
    pub fn with_tls(tls: TlsConnections) -> TcpReassembler {
        TcpReassembler {
            tls,
            ..TcpReassembler::default()
        }
    }

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
        stream.content.last_seen = ts;
        let Stream {
            sequence,
            layer,
            content,
        } = stream;
        let connections = &mut self.tls;
        let mut warnings = Vec::new();
        let key = segment.key;
        let arrival = sequence.push(
            segment.seq,
            segment.syn,
            segment.payload,
            frame,
            ts,
            &mut |bytes, frame, ts| {
                layer.deliver(key, bytes, frame, ts, content, connections, &mut warnings);
            },
            on_warning,
        );
        warnings.into_iter().for_each(&mut *on_warning);
        match arrival {
            Arrival::Ahead => self.out_of_order_segments += 1,
            Arrival::Repeated { .. } => self.retransmitted_segments += 1,
            Arrival::Empty | Arrival::InOrder => {}
        }
        if stream.sequence.hole_older_than(ts, GAP_TIMEOUT_NANOS)
            || (segment.fin_or_rst && stream.sequence.has_held())
        {
            stream.jump_gap(segment.key, &mut self.tls, on_warning);
        }
        stream.content.frame(segment.key, on_message, on_warning);
        if segment.fin_or_rst {
            if let Some(stream) = self.streams.remove(&segment.key) {
                stream.content.flush_leftover(segment.key, on_warning);
            }
            if !self.streams.contains_key(&segment.key.reverse()) {
                self.tls.forget(segment.key.src, segment.key.dst);
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
        let Some(next) = stream.sequence.next_seq() else {
            return;
        };
        if !stream.sequence.has_held() || (ack.wrapping_sub(next) as i32) <= 0 {
            return;
        }
        stream.jump_gap(key, &mut self.tls, on_warning);
        stream.content.frame(key, on_message, on_warning);
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
                while stream.sequence.has_held() {
                    stream.jump_gap(key, &mut self.tls, on_warning);
                    stream.content.frame(key, on_message, on_warning);
                }
                stream.content.flush_leftover(key, on_warning);
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
            let idle = s.content.is_empty()
                && !s.sequence.has_held()
                && now.nanos_since(s.last_seen()) > IDLE_TIMEOUT_NANOS;
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
            .map(|(k, s)| (s.last_seen(), *k))
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
