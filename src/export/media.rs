//! `export --with-rtp` (and `e` in the browser): which frames carry the RTP of the exported calls.
//!
//! The correlation already attributed streams (sender, receiver, SSRC) to calls; the copy
//! loop decodes the frames it reads past and keeps an RTP packet when its stream is one of a
//! chosen call's and it arrived within that call's media window. Memory stays bounded by the
//! chosen calls' streams (one small entry each): no frame number is recorded per packet.
//! Concurrent calls sharing media addresses are told apart by the SSRC, as the correlation
//! does. A fragmented RTP datagram (rare: voice packets are small) is recognised on its last
//! fragment, which alone is copied. RTCP goes from the port above a stream's sender port to
//! the port above its receiver port, and names its sender by the SSRC that sender's RTP
//! stream has: an RTCP packet is kept when that stream, or its reverse, is a chosen one.

use std::net::SocketAddr;

use rustc_hash::FxHashMap as HashMap;

use crate::capture::{Decoder, Event, Frame, RtcpPacket, RtpPacket, Timestamp};
use crate::correlate::{CallSummary, Correlation};
use crate::reading::media_window;

/// A stream: sender, receiver, SSRC.
type StreamKey = (SocketAddr, SocketAddr, u32);

/// The streams of the chosen calls, each with the time its call's media may flow in.
pub struct MediaFrames {
    streams: HashMap<StreamKey, Vec<(Timestamp, Timestamp)>>,
    decoder: Decoder,
    /// The earliest instant any stream's packet may have.
    pub since: Timestamp,
    /// The latest instant any stream's packet may have.
    pub until: Timestamp,
    /// RTP frames kept.
    pub packets: u64,
    /// RTCP frames kept.
    pub rtcp: u64,
}

impl MediaFrames {
    /// The streams `correlation` attributes to `calls`; `None` when they have none.
    pub fn of(correlation: &Correlation, calls: &[&CallSummary]) -> Option<MediaFrames> {
        let window: HashMap<usize, (Timestamp, Timestamp)> =
            calls.iter().map(|c| (c.id, media_window(c))).collect();
        let mut streams: HashMap<StreamKey, Vec<(Timestamp, Timestamp)>> = HashMap::default();
        for m in &correlation.media {
            let Some(w) = m.call.and_then(|id| window.get(&id)) else {
                continue;
            };
            let (Ok(src), Ok(dst)) = (m.src.parse(), m.dst.parse()) else {
                continue;
            };
            let Some(ssrc) = m
                .ssrc
                .strip_prefix("0x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
            else {
                continue;
            };
            streams.entry((src, dst, ssrc)).or_default().push(*w);
        }
        let windows = || streams.values().flatten();
        let since = windows().map(|w| w.0).min()?;
        let until = windows().map(|w| w.1).max()?;
        Some(MediaFrames {
            streams,
            decoder: Decoder::with_rtcp(),
            since,
            until,
            packets: 0,
            rtcp: 0,
        })
    }

    /// Whether `frame` carries an RTP packet of one of the streams, in its call's window.
    pub fn wants(&mut self, frame: &Frame<'_>) -> bool {
        if frame.ts < self.since || frame.ts > self.until {
            return false;
        }
        let mut rtp = None;
        let mut rtcp = None;
        self.decoder.decode(frame, &mut |e| match e {
            Event::Rtp(p) => rtp = Some(p),
            Event::Rtcp(p, _) => rtcp = Some(p),
            _ => {}
        });
        rtp.is_some_and(|p| self.keeps_rtp(&p)) || rtcp.is_some_and(|p| self.keeps_rtcp(&p))
    }

    /// Whether `packet` is of one of the streams, in its call's window (counted when it is).
    pub fn keeps_rtp(&mut self, packet: &RtpPacket) -> bool {
        let kept = self.carries((packet.src, packet.dst, packet.ssrc), packet.ts);
        self.packets += u64::from(kept);
        kept
    }

    /// Whether `packet` reports on one of the streams, in its call's window (counted when it
    /// is).
    pub fn keeps_rtcp(&mut self, packet: &RtcpPacket) -> bool {
        let (Some(src), Some(dst)) = (port_below(packet.src), port_below(packet.dst)) else {
            return false;
        };
        let kept = self.carries((src, dst, packet.ssrc), packet.ts)
            || self.carries((dst, src, packet.ssrc), packet.ts);
        self.rtcp += u64::from(kept);
        kept
    }

    /// Whether `key` is a chosen stream whose call's window holds `ts`.
    fn carries(&self, key: StreamKey, ts: Timestamp) -> bool {
        self.streams
            .get(&key)
            .is_some_and(|ws| ws.iter().any(|w| w.0 <= ts && ts <= w.1))
    }
}

/// The RTP address an RTCP address goes with (RFC 3550 §11: the port below).
fn port_below(mut addr: SocketAddr) -> Option<SocketAddr> {
    addr.set_port(addr.port().checked_sub(1)?);
    Some(addr)
}
