//! What decoding hands on: the frames read, the SIP payloads, ICMP errors and RTP packets
//! found in them (one [`Event`] each), and the decoder's counters and held state.

use std::net::{IpAddr, SocketAddr};

use crate::sip::framing::{Framed, StartLine};

#[cfg(doc)]
use super::Decoder;
use super::encap::OuterLayer;
use super::rtp::{RtcpPacket, RtpPacket};
use super::time::Timestamp;
use super::warning::Warning;

/// One frame as read from the capture.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based number across all inputs, in reading order.
    pub number: u64,
    /// When it was captured.
    pub ts: Timestamp,
    /// LINKTYPE_ of its interface.
    pub linktype: i32,
    /// Length on the wire.
    pub orig_len: u32,
    /// The captured bytes.
    pub data: &'a [u8],
}

/// The transport a SIP message travelled on, named as in a Via header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Transport {
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// TCP.
    #[serde(rename = "TCP")]
    Tcp,
    /// SCTP (RFC 4168).
    #[serde(rename = "SCTP")]
    Sctp,
    /// WebSocket over TCP (RFC 7118).
    #[serde(rename = "WS")]
    Ws,
    /// TLS over TCP (RFC 3261 §26.2), read with a key log.
    #[serde(rename = "TLS")]
    Tls,
    /// WebSocket over TLS (RFC 7118), read with a key log.
    #[serde(rename = "WSS")]
    Wss,
}

impl Transport {
    /// The name as written in a Via header.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Sctp => "SCTP",
            Transport::Ws => "WS",
            Transport::Tls => "TLS",
            Transport::Wss => "WSS",
        }
    }
}

/// A SIP message found in the capture, borrowed from the frame or the stream buffer.
#[derive(Clone, Copy, Debug)]
pub struct SipPayload<'a> {
    /// The frame that completed it (the last segment or fragment).
    pub frame: u64,
    /// The frame where it started (differs for TCP, SCTP and fragments).
    pub first_frame: u64,
    /// Capture time of the completing frame (the original time for HEP).
    pub ts: Timestamp,
    /// Sender (the innermost addresses when tunnelled).
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Transport.
    pub transport: Transport,
    /// The message bytes, body included.
    pub bytes: &'a [u8],
    /// How it was framed (start line, header length, Content-Length).
    pub framed: Framed<'a>,
    /// The encapsulations it was found under, outermost first (empty when carried directly).
    pub outer: &'a [OuterLayer],
}

/// An ICMP error that quotes a SIP datagram: the datagram was not delivered.
#[derive(Clone, Copy, Debug)]
pub struct IcmpQuote<'a> {
    /// The frame of the ICMP error.
    pub frame: u64,
    /// Its capture time.
    pub ts: Timestamp,
    /// Who sent the error.
    pub reporter: IpAddr,
    /// What kind of error ("port unreachable"...).
    pub reason: &'static str,
    /// The quoted datagram's sender.
    pub src: SocketAddr,
    /// The quoted datagram's destination (the one that could not be reached).
    pub dst: SocketAddr,
    /// The quoted start line.
    pub start: StartLine<'a>,
    /// The quoted bytes (may be cut short).
    pub bytes: &'a [u8],
}

/// What decoding a frame produces.
#[derive(Debug)]
pub enum Event<'a> {
    /// A SIP message.
    Sip(SipPayload<'a>),
    /// An ICMP error quoting a SIP datagram.
    IcmpError(IcmpQuote<'a>),
    /// A UDP datagram that is not SIP but has an RTP header (media, or a look-alike).
    Rtp(RtpPacket),
    /// An RTCP packet and its bytes (the whole compound), only from a decoder made
    /// [`Decoder::with_rtcp`] (export copying media).
    Rtcp(RtcpPacket, &'a [u8]),
    /// Something worth telling the user.
    Warning(Warning),
}

/// Per-layer counts kept while decoding.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DecodeCounters {
    /// Frames given to the decoder.
    pub frames: u64,
    /// Frames whose link type is not decoded.
    pub unsupported_link: u64,
    /// IP packets (after the link layer; inner packets of tunnels counted too).
    pub ip_packets: u64,
    /// UDP datagrams, reassembled ones counted once.
    pub udp_datagrams: u64,
    /// TCP segments.
    pub tcp_segments: u64,
    /// SCTP packets.
    pub sctp_packets: u64,
    /// UDP datagrams with an RTP header (not SIP).
    pub rtp_packets: u64,
    /// Packets found inside an encapsulation (tunnel, mirror, HEP).
    pub encapsulated: u64,
    /// IP fragments seen.
    pub ip_fragments: u64,
    /// Datagrams rebuilt from fragments.
    pub reassembled_datagrams: u64,
    /// TCP segments that only repeated bytes already seen.
    pub tcp_retransmitted_segments: u64,
    /// TCP segments that arrived ahead of a hole.
    pub tcp_out_of_order_segments: u64,
    /// TLS connections (ClientHello seen).
    pub tls_streams: u64,
    /// Bytes of TLS streams, both directions.
    pub tls_bytes: u64,
    /// Application data bytes decrypted from them.
    pub tls_decrypted_bytes: u64,
    /// TLS connections that could not be read (no key, wrong key, suite, no handshake).
    pub tls_unreadable: u64,
}

/// What a [`Decoder`] holds between frames (see [`Decoder::held`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Incomplete IP datagrams (at most [`super::MAX_PENDING_DATAGRAMS`]).
    pub ip_datagrams: usize,
    /// Their bytes (at most [`super::MAX_PENDING_BYTES`]).
    pub ip_bytes: usize,
    /// TCP streams followed (at most [`super::MAX_STREAMS`]).
    pub tcp_streams: usize,
    /// Bytes buffered on them (framing buffers, out-of-order segments, WebSocket messages).
    pub tcp_bytes: usize,
    /// SCTP association streams with fragments held.
    pub sctp_streams: usize,
}
