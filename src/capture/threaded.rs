//! The read loop on two cores: one thread reads and decodes frames, the calling thread hands
//! the events to the sink (correlation, statistics). Events cross in batches whose bytes sit in
//! one buffer per batch, so the crossing costs a copy of the SIP messages (a few percent of a
//! capture, RTP being most of it) and no allocation per message. Emptied batches go back to
//! the reading thread to be filled again, so their memory is allocated once.
//!
//! Most frames of a capture are RTP: a frame and its RTP packet cross as one small item, and
//! the rarer, larger SIP and ICMP events sit in lists of their own.
//!
//! The sink's work on SIP messages (parsing them, see [`EventSink::preparer`]) is shared: when
//! every batch slot is full, the sink is the slower side, and the reading thread, which would
//! wait, prepares the messages of the batch it fills. The two threads so even out on their own,
//! whatever the mix of SIP and media.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::sip::framing::{ContentLength, Framed, StartLine};

use super::decode::{Event, IcmpQuote, SipPayload, Transport};
use super::encap::OuterLayer;
use super::merge::MergedReader;
use super::pipeline::{EventSink, Prepare, Prepared, ReadSummary, read_all};
use super::rtp::RtpPacket;
use super::time::Timestamp;
use super::warning::Warning;

/// Events per batch.
const BATCH_EVENTS: usize = 8192;
/// Bytes of SIP per batch.
const BATCH_BYTES: usize = 4 << 20;
/// Batches in flight between the threads (bounds the memory the crossing takes).
const BATCHES_IN_FLIGHT: usize = 2;

#[derive(Clone, Copy, Debug)]
enum Start {
    Request(usize, usize),
    Response(u16),
}

/// One step of the replay, in capture order.
#[derive(Debug)]
enum Item {
    /// A frame that yielded no RTP packet first (its events, if any, follow).
    Frame(Timestamp),
    /// A frame and the RTP packet it carried.
    FrameRtp(Rtp),
    /// An RTP packet of the frame announced before.
    Rtp(Rtp),
    /// The SIP message at this index of [`Batch::sips`].
    Sip(u32),
    /// The ICMP error at this index of [`Batch::icmps`].
    Icmp(u32),
    /// The warning at this index of [`Batch::warnings`].
    Warning(u32),
}

/// An RTP packet as it crosses: packed when both addresses are IPv4 (nearly always), which
/// halves the size of every item of a batch.
#[derive(Clone, Copy, Debug)]
enum Rtp {
    V4(RtpV4),
    /// At this index of [`Batch::rtp`].
    Other(u32),
}

#[derive(Clone, Copy, Debug)]
struct RtpV4 {
    frame: u64,
    ts: Timestamp,
    src: u32,
    dst: u32,
    ssrc: u32,
    rtp_ts: u32,
    len: u32,
    src_port: u16,
    dst_port: u16,
    seq: u16,
    payload_type: u8,
    marker: bool,
}

impl RtpV4 {
    fn pack(p: &RtpPacket) -> Option<RtpV4> {
        let (SocketAddr::V4(src), SocketAddr::V4(dst)) = (p.src, p.dst) else {
            return None;
        };
        Some(RtpV4 {
            frame: p.frame,
            ts: p.ts,
            src: src.ip().to_bits(),
            dst: dst.ip().to_bits(),
            ssrc: p.ssrc,
            rtp_ts: p.rtp_ts,
            len: u32::try_from(p.len).ok()?,
            src_port: src.port(),
            dst_port: dst.port(),
            seq: p.seq,
            payload_type: p.payload_type,
            marker: p.marker,
        })
    }

    fn unpack(&self) -> RtpPacket {
        let addr = |ip: u32, port| SocketAddr::new(IpAddr::V4(Ipv4Addr::from_bits(ip)), port);
        RtpPacket {
            frame: self.frame,
            ts: self.ts,
            src: addr(self.src, self.src_port),
            dst: addr(self.dst, self.dst_port),
            ssrc: self.ssrc,
            seq: self.seq,
            rtp_ts: self.rtp_ts,
            payload_type: self.payload_type,
            marker: self.marker,
            len: self.len as usize,
        }
    }
}

struct SipItem {
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
    /// The sink's work on it, when the reading thread did it.
    prepared: Option<Prepared>,
}

#[derive(Debug)]
struct IcmpItem {
    frame: u64,
    ts: Timestamp,
    reporter: IpAddr,
    reason: &'static str,
    src: SocketAddr,
    dst: SocketAddr,
    start: Start,
    bytes: Range<usize>,
}

#[derive(Default)]
struct Batch {
    items: Vec<Item>,
    sips: Vec<SipItem>,
    icmps: Vec<IcmpItem>,
    warnings: Vec<Warning>,
    /// RTP packets that could not be packed.
    rtp: Vec<RtpPacket>,
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

    /// Packs an RTP packet, or keeps it aside.
    fn rtp(&mut self, p: &RtpPacket) -> Rtp {
        match RtpV4::pack(p) {
            Some(packed) => Rtp::V4(packed),
            None => {
                let index = index_of(&self.rtp);
                self.rtp.push(*p);
                Rtp::Other(index)
            }
        }
    }

    fn unpack(&self, rtp: &Rtp) -> Option<RtpPacket> {
        match rtp {
            Rtp::V4(packed) => Some(packed.unpack()),
            Rtp::Other(i) => self.rtp.get(*i as usize).copied(),
        }
    }

    /// Empties the batch, keeping its memory.
    fn clear(&mut self) {
        self.items.clear();
        self.sips.clear();
        self.icmps.clear();
        self.warnings.clear();
        self.rtp.clear();
        self.arena.clear();
        self.outers.clear();
        self.read = 0;
    }
}

/// An index into one of a batch's lists (a batch holds far fewer than 2^32 events).
fn index_of<T>(list: &[T]) -> u32 {
    u32::try_from(list.len()).unwrap_or(u32::MAX)
}

/// Packs events into batches on the reading thread.
struct Sender<'a> {
    batch: Batch,
    channel: SyncSender<Batch>,
    /// Batches sent and not yet taken by the sink.
    in_flight: &'a AtomicUsize,
    prepare: Option<Prepare>,
    /// Emptied batches coming back from the other thread.
    recycled: Receiver<Batch>,
    /// The frame read last, until it is known whether an RTP packet comes with it.
    pending_frame: Option<Timestamp>,
}

/// Told, between batches, how many bytes of the inputs have been read.
pub trait Progress {
    /// Bytes read so far (decompressed).
    fn read(&self, bytes: u64);
}

impl Sender<'_> {
    fn push(&mut self, item: Item) {
        self.batch.items.push(item);
        if self.batch.items.len() >= BATCH_EVENTS || self.batch.arena.len() >= BATCH_BYTES {
            self.flush();
        }
    }

    /// Sends the pending frame on its own.
    fn push_pending_frame(&mut self) {
        if let Some(ts) = self.pending_frame.take() {
            self.push(Item::Frame(ts));
        }
    }

    fn flush(&mut self) {
        if self.batch.items.is_empty() {
            return;
        }
        let next = match self.recycled.try_recv() {
            Ok(mut batch) => {
                batch.clear();
                batch
            }
            Err(_) => Batch::default(),
        };
        let full = std::mem::replace(&mut self.batch, next);
        // The next batch goes on from the bytes read so far.
        self.batch.read = full.read;
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        // A closed channel means the receiving side is gone: nothing left to do.
        let _ = self.channel.send(full);
    }

    /// Sends what is left.
    fn finish(&mut self) {
        self.push_pending_frame();
        self.flush();
    }
}

impl EventSink for Sender<'_> {
    fn frame(&mut self, ts: Timestamp) {
        self.push_pending_frame();
        self.pending_frame = Some(ts);
    }

    fn progress(&mut self, bytes: u64) {
        self.batch.read = bytes;
    }

    fn event(&mut self, event: Event<'_>) {
        if let Event::Rtp(p) = event {
            if self.pending_frame.take_if(|ts| *ts == p.ts).is_some() {
                let rtp = self.batch.rtp(&p);
                return self.push(Item::FrameRtp(rtp));
            }
        }
        self.push_pending_frame();
        let item = match event {
            Event::Sip(p) => {
                // Every slot full: the sink is behind, and this thread has time to spare.
                let prepared = self
                    .prepare
                    .filter(|_| self.in_flight.load(Ordering::Relaxed) >= BATCHES_IN_FLIGHT)
                    .map(|prepare| prepare(&p));
                let bytes = self.batch.bytes(p.bytes);
                let start = self.batch.start(p.framed.start);
                let first = self.batch.outers.len();
                self.batch.outers.extend_from_slice(p.outer);
                let index = index_of(&self.batch.sips);
                let outer = first..self.batch.outers.len();
                self.batch.sips.push(SipItem {
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
                    outer,
                    prepared,
                });
                Item::Sip(index)
            }
            Event::IcmpError(q) => {
                let bytes = self.batch.bytes(q.bytes);
                let start = self.batch.start(q.start);
                let index = index_of(&self.batch.icmps);
                self.batch.icmps.push(IcmpItem {
                    frame: q.frame,
                    ts: q.ts,
                    reporter: q.reporter,
                    reason: q.reason,
                    src: q.src,
                    dst: q.dst,
                    start,
                    bytes,
                });
                Item::Icmp(index)
            }
            Event::Rtp(p) => Item::Rtp(self.batch.rtp(&p)),
            // Only a decoder made to report RTCP does, and this loop's does not.
            Event::Rtcp(..) => return,
            Event::Warning(w) => {
                let index = index_of(&self.batch.warnings);
                self.batch.warnings.push(w);
                Item::Warning(index)
            }
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
fn replay(batch: &mut Batch, sink: &mut dyn EventSink) {
    let arena = batch.arena.as_slice();
    let at = |i: &u32| *i as usize;
    for item in &batch.items {
        match item {
            Item::Frame(ts) => sink.frame(*ts),
            Item::FrameRtp(rtp) => {
                if let Some(p) = batch.unpack(rtp) {
                    sink.frame(p.ts);
                    sink.rtp(&p);
                }
            }
            Item::Rtp(rtp) => {
                if let Some(p) = batch.unpack(rtp) {
                    sink.rtp(&p);
                }
            }
            Item::Sip(i) => {
                let Some(s) = batch.sips.get_mut(at(i)) else {
                    continue;
                };
                let bytes = arena.get(s.bytes.clone()).unwrap_or_default();
                let payload = SipPayload {
                    frame: s.frame,
                    first_frame: s.first_frame,
                    ts: s.ts,
                    src: s.src,
                    dst: s.dst,
                    transport: s.transport,
                    bytes,
                    framed: Framed {
                        start: start_line(arena, s.start),
                        header_len: s.header_len,
                        len: bytes.len(),
                        content_length: s.content_length,
                        body_short: s.body_short,
                    },
                    outer: batch.outers.get(s.outer.clone()).unwrap_or_default(),
                };
                match s.prepared.take() {
                    Some(prepared) => sink.prepared_sip(payload, prepared),
                    None => sink.event(Event::Sip(payload)),
                }
            }
            Item::Icmp(i) => {
                let Some(q) = batch.icmps.get(at(i)) else {
                    continue;
                };
                sink.event(Event::IcmpError(IcmpQuote {
                    frame: q.frame,
                    ts: q.ts,
                    reporter: q.reporter,
                    reason: q.reason,
                    src: q.src,
                    dst: q.dst,
                    start: start_line(arena, q.start),
                    bytes: arena.get(q.bytes.clone()).unwrap_or_default(),
                }));
            }
            Item::Warning(i) => {
                if let Some(w) = batch.warnings.get(at(i)) {
                    sink.event(Event::Warning(w.clone()));
                }
            }
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
    let (channel, batches) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    // Room for every batch that can exist at once, so giving one back never blocks.
    let (give_back, recycled) = sync_channel::<Batch>(BATCHES_IN_FLIGHT + 2);
    let in_flight = AtomicUsize::new(0);
    let prepare = sink.preparer();
    std::thread::scope(|scope| {
        let in_flight = &in_flight;
        let reader = scope.spawn(move || {
            let mut sender = Sender {
                batch: Batch::default(),
                channel,
                in_flight,
                prepare,
                recycled,
                pending_frame: None,
            };
            let summary = read_all(inputs, &mut sender);
            sender.finish();
            summary
        });
        for mut batch in batches {
            in_flight.fetch_sub(1, Ordering::Relaxed);
            replay(&mut batch, sink);
            if let Some(p) = progress {
                p.read(batch.read);
            }
            let _ = give_back.try_send(batch);
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
                Event::Rtcp(r, _) => format!("rtcp {r:?}"),
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
            "lab-udp-ipv6.pcap",
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
