/*!
TCP streams for SIP, in layers that follow the bytes:

```text
segments ─ sequence ─▶ in-order bytes ─ content ─▶ SIP | HTTP → WebSocket ─▶ messages
```

- [`sequence`]: segments in sequence order, duplicates and overlaps dropped, out-of-order
  segments held until the hole fills. A hole is known to be lost as soon as the other side
  acknowledges bytes beyond it (the receiver got what the capture missed), else after
  [`GAP_TIMEOUT_NANOS`], at FIN/RST, or at the end of the capture.
- [`content`]: what the in-order bytes carry, recognised at a message boundary (so a capture
  full of HTTPS costs nothing but a glance at each segment), and SIP messages framed by
  Content-Length, directly or inside WebSocket frames. A hole that never fills is reported as
  a gap: the message across it is lost, and framing resumes at the next start line.
- [`reassembly`]: the streams of a capture, with the caps that keep memory bounded.

Each message keeps the frame and time of the segment that completed it, even when it was
held out of order, so ladders show it where it happened.
*/

pub mod content;
pub mod reassembly;
pub mod sequence;

use std::net::{IpAddr, SocketAddr};

use etherparse::{LaxNetSlice, TransportSlice};

use crate::sip::framing;

use super::decode::Frame;
use super::link;
use super::time::Timestamp;

pub use reassembly::TcpReassembler;

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
    /// The direction a frame's TCP segment travels in, when the frame is TCP over IP directly
    /// on its link (not tunnelled).
    pub fn of_frame(frame: &Frame<'_>) -> Option<StreamKey> {
        let layer = link::classify(frame.linktype, frame.data).ok()?;
        let sliced = link::slice(layer).ok()??;
        let (src, dst) = match sliced.net? {
            LaxNetSlice::Ipv4(ip) => (
                IpAddr::from(ip.header().source_addr()),
                IpAddr::from(ip.header().destination_addr()),
            ),
            LaxNetSlice::Ipv6(ip) => (
                IpAddr::from(ip.header().source_addr()),
                IpAddr::from(ip.header().destination_addr()),
            ),
            _ => return None,
        };
        let TransportSlice::Tcp(tcp) = sliced.transport? else {
            return None;
        };
        Some(StreamKey {
            src: SocketAddr::new(src, tcp.source_port()),
            dst: SocketAddr::new(dst, tcp.destination_port()),
        })
    }

    /// The connection it belongs to, the same for both directions.
    pub fn connection(self) -> (SocketAddr, SocketAddr) {
        (self.src.min(self.dst), self.src.max(self.dst))
    }

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
    /// It came in TLS records (decrypted with the key log).
    pub tls: bool,
}

#[cfg(test)]
mod tests;
