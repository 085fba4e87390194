/*!
Capture reading: pcap and pcapng files (plain or gzip, files or standard input, several merged
in time order), link layers, IP with fragment reassembly, UDP, TCP with stream reassembly, and
ICMP errors. It hands the next layer SIP payloads with their metadata, never packets.

Everything streams: memory holds one read buffer per input, incomplete IP datagrams and TCP
streams that carry SIP, each under a documented cap.
*/

pub mod decode;
pub mod defrag;
pub mod encap;
pub mod error;
pub mod event;
mod fast;
pub mod icmp;
mod legacy;
pub mod link;
pub mod merge;
pub mod pcapng_writer;
pub mod pipeline;
pub mod reader;
pub mod rtp;
pub mod sctp;
pub mod tcp;
pub mod threaded;
pub mod time;
pub mod tls;
pub mod warning;
pub mod websocket;
pub mod writer;

pub use decode::{DecodeCounters, Decoder, Event, Frame, Held, IcmpQuote, SipPayload, Transport};
pub use defrag::{FRAGMENT_TIMEOUT_NANOS, MAX_PENDING_BYTES, MAX_PENDING_DATAGRAMS};
pub use encap::{EncapKind, OuterLayer};
pub use error::CaptureError;
pub use merge::{FrameWindow, MergedReader, SeekPoint};
pub use pcapng_writer::PcapNgWriter;
pub use pipeline::{EventSink, Prepare, Prepared, ReadSummary, read_all};
pub use reader::{CaptureReader, RawFrame};
pub use rtp::{RtcpPacket, RtpPacket};
pub use tcp::{GAP_TIMEOUT_NANOS, MAX_OUT_OF_ORDER_BYTES, MAX_STREAMS};
pub use threaded::{Progress, read_all_threaded, read_all_threaded_with};
pub use time::Timestamp;
pub use warning::{Warning, WarningKind, linktype_name};
pub use writer::PcapWriter;
