//! The read loop on two cores: one thread reads and decodes frames, the calling thread hands
//! the events to the sink (correlation, statistics). Events cross in batches whose bytes sit in
//! one buffer per batch, so the crossing costs a copy of the SIP messages (a few percent of a
//! capture, RTP being most of it) and no allocation per message.

use std::net::{IpAddr, SocketAddr};
use std::ops::Range;
use std::sync::mpsc::{SyncSender, sync_channel};

use crate::sip::framing::{ContentLength, Framed, StartLine};

use super::decode::{Event, IcmpQuote, SipPayload, Transport};
use super::encap::OuterLayer;
use super::merge::MergedReader;
use super::pipeline::{EventSink, ReadSummary, read_all};
use super::rtp::RtpPacket;
use super::time::Timestamp;
use super::warning::Warning;

/// Events per batch.
const BATCH_EVENTS: usize = 8192;
/// Bytes of SIP per batch.
const BATCH_BYTES: usize = 4 << 20;
/// Batches in flight between the threads (bounds the memory the crossing takes).
const BATCHES_IN_FLIGHT: usize = 4;

#[derive(Clone, Copy, Debug)]
enum Start {
    Request(usize, usize),
    Response(u16),
}

#[derive(Debug)]
enum Item {
    Frame(Timestamp),
    Sip {
        frame: u64,
        first_frame: u64,
        ts: Timestamp,
        src: SocketAddr,
        dst: SocketAddr,
        transport: Transport,
        bytes: Range<usize>,
        start: Start,
        header_len: usize,
        content_length: ContentLength,
        body_short: bool,
        outer: Range<usize>,
    },
    Icmp {
        frame: u64,
        ts: Timestamp,
        reporter: IpAddr,
        reason: &'static str,
        src: SocketAddr,
        dst: SocketAddr,
        start: Start,
        bytes: Range<usize>,
    },
    Rtp(RtpPacket),
    Warning(Warning),
}

#[derive(Debug, Default)]
struct Batch {
    items: Vec<Item>,
    arena: Vec<u8>,
    outers: Vec<OuterLayer>,
    /// Bytes of the inputs read when the batch was sent.
    read: u64,
}

impl Batch {
    fn bytes(&mut self, b: &[u8]) -> Range<usize> {
        let start = self.arena.len();
        self.arena.extend_from_slice(b);
        start..self.arena.len()
    }

    fn start(&mut self, s: StartLine<'_>) -> Start {
        match s {
            StartLine::Request { method } => {
                let r = self.bytes(method.as_bytes());
                Start::Request(r.start, r.end)
            }
            StartLine::Response { code } => Start::Response(code),
        }
    }
}

/// Packs events into batches on the reading thread.
struct Sender {
    batch: Batch,
    channel: SyncSender<(Batch, u64)>,
}

/// Told, between batches, how many bytes of the inputs have been read.
pub trait Progress {
    /// Bytes read so far (decompressed).
    fn read(&self, bytes: u64);
}

impl Sender {
    fn push(&mut self, item: Item) {
        self.batch.items.push(item);
        if self.batch.items.len() >= BATCH_EVENTS || self.batch.arena.len() >= BATCH_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.batch.items.is_empty() {
            // A closed channel means the receiving side is gone: nothing left to do.
            let bytes = self.batch.read;
            let _ = self.channel.send((std::mem::take(&mut self.batch), bytes));
        }
    }
}

impl EventSink for Sender {
    fn frame(&mut self, ts: Timestamp) {
        self.push(Item::Frame(ts));
    }

    fn progress(&mut self, bytes: u64) {
        self.batch.read = bytes;
    }

    fn event(&mut self, event: Event<'_>) {
        let item = match event {
            Event::Sip(p) => {
                let bytes = self.batch.bytes(p.bytes);
                let start = self.batch.start(p.framed.start);
                let first = self.batch.outers.len();
                self.batch.outers.extend_from_slice(p.outer);
                Item::Sip {
                    frame: p.frame,
                    first_frame: p.first_frame,
                    ts: p.ts,
                    src: p.src,
                    dst: p.dst,
                    transport: p.transport,
                    bytes,
                    start,
                    header_len: p.framed.header_len,
                    content_length: p.framed.content_length,
                    body_short: p.framed.body_short,
                    outer: first..self.batch.outers.len(),
                }
            }
            Event::IcmpError(q) => {
                let bytes = self.batch.bytes(q.bytes);
                let start = self.batch.start(q.start);
                Item::Icmp {
                    frame: q.frame,
                    ts: q.ts,
                    reporter: q.reporter,
                    reason: q.reason,
                    src: q.src,
                    dst: q.dst,
                    start,
                    bytes,
                }
            }
            Event::Rtp(p) => Item::Rtp(p),
            Event::Warning(w) => Item::Warning(w),
        };
        self.push(item);
    }
}

fn start_line<'a>(arena: &'a [u8], s: Start) -> StartLine<'a> {
    match s {
        Start::Request(a, b) => StartLine::Request {
            method: arena
                .get(a..b)
                .and_then(|m| std::str::from_utf8(m).ok())
                .unwrap_or("?"),
        },
        Start::Response(code) => StartLine::Response { code },
    }
}

/// Hands a batch's events to the sink, in order.
fn replay(batch: &Batch, sink: &mut dyn EventSink) {
    let arena = batch.arena.as_slice();
    for item in &batch.items {
        match item {
            Item::Frame(ts) => sink.frame(*ts),
            Item::Sip {
                frame,
                first_frame,
                ts,
                src,
                dst,
                transport,
                bytes,
                start,
                header_len,
                content_length,
                body_short,
                outer,
            } => {
                let bytes = arena.get(bytes.clone()).unwrap_or_default();
                sink.event(Event::Sip(SipPayload {
                    frame: *frame,
                    first_frame: *first_frame,
                    ts: *ts,
                    src: *src,
                    dst: *dst,
                    transport: *transport,
                    bytes,
                    framed: Framed {
                        start: start_line(arena, *start),
                        header_len: *header_len,
                        len: bytes.len(),
                        content_length: *content_length,
                        body_short: *body_short,
                    },
                    outer: batch.outers.get(outer.clone()).unwrap_or_default(),
                }));
            }
            Item::Icmp {
                frame,
                ts,
                reporter,
                reason,
                src,
                dst,
                start,
                bytes,
            } => sink.event(Event::IcmpError(IcmpQuote {
                frame: *frame,
                ts: *ts,
                reporter: *reporter,
                reason,
                src: *src,
                dst: *dst,
                start: start_line(arena, *start),
                bytes: arena.get(bytes.clone()).unwrap_or_default(),
            })),
            Item::Rtp(p) => sink.event(Event::Rtp(*p)),
            Item::Warning(w) => sink.event(Event::Warning(w.clone())),
        }
    }
}

/// Like [`read_all`], with reading and decoding on a second thread.
pub fn read_all_threaded(inputs: &mut MergedReader, sink: &mut dyn EventSink) -> ReadSummary {
    read_all_threaded_with(inputs, sink, None)
}

/// Like [`read_all_threaded`], reporting the bytes read after each batch.
pub fn read_all_threaded_with(
    inputs: &mut MergedReader,
    sink: &mut dyn EventSink,
    progress: Option<&dyn Progress>,
) -> ReadSummary {
    let (channel, batches) = sync_channel::<(Batch, u64)>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut sender = Sender {
                batch: Batch::default(),
                channel,
            };
            let summary = read_all(inputs, &mut sender);
            sender.flush();
            summary
        });
        for (batch, bytes) in batches {
            replay(&batch, sink);
            if let Some(p) = progress {
                p.read(bytes);
            }
        }
        reader.join().unwrap_or_else(|_| ReadSummary {
            counters: Default::default(),
            damage: Vec::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureReader;

    #[derive(Default)]
    struct Log(Vec<String>);
    impl EventSink for Log {
        fn frame(&mut self, ts: Timestamp) {
            self.0.push(format!("frame {ts}"));
        }
        fn event(&mut self, event: Event<'_>) {
            self.0.push(match event {
                Event::Sip(p) => format!(
                    "sip {} {} {} {:?} {:?} {}",
                    p.frame,
                    p.src,
                    p.dst,
                    p.framed,
                    p.outer,
                    p.bytes.len()
                ),
                Event::IcmpError(q) => format!("icmp {} {:?}", q.frame, q.start),
                Event::Rtp(r) => format!("rtp {r:?}"),
                Event::Warning(w) => format!("warning {w}"),
            });
        }
    }

    fn open(sample: &str) -> MergedReader {
        let path = format!("{}/samples/{sample}", env!("CARGO_MANIFEST_DIR"));
        MergedReader::new(vec![
            CaptureReader::open(std::path::Path::new(&path)).unwrap(),
        ])
    }

    #[test]
    fn two_threads_see_what_one_sees() {
        for sample in [
            "lab-udp.pcap",
            "lab-tcp-ws.pcap",
            "icmp-unreachable.pcap",
            "lab-udp-nested.pcap",
            "invalid/truncated.pcap",
        ] {
            let mut one = Log::default();
            let a = read_all(&mut open(sample), &mut one);
            let mut two = Log::default();
            let b = read_all_threaded(&mut open(sample), &mut two);
            assert_eq!(one.0, two.0, "{sample}");
            assert_eq!(a.counters, b.counters);
            assert_eq!(a.damage, b.damage);
        }
    }
}
