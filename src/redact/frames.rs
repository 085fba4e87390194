//! Frames rebuilt for a redacted capture: the original frames hold the original addresses,
//! names and voice, so each message and media packet (already redacted) is written anew as
//! Ethernet, IPv4 or IPv6, then UDP or TCP, with lengths and checksums computed. SIP over UDP
//! stays UDP; every stream transport (TCP, WebSocket, SCTP) is written as one TCP stream per
//! direction, a message per segment. Encapsulations and fragments are not rebuilt: their
//! outer addresses would tell what the inner ones hide.

use std::net::{IpAddr, SocketAddr};

use etherparse::PacketBuilder;
use rustc_hash::FxHashMap as HashMap;

use crate::capture::{RtcpPacket, RtpPacket, SipPayload, Transport};

/// The TCP window announced in rebuilt segments.
const WINDOW: u16 = 65_535;
/// Time to live of rebuilt packets.
const TTL: u8 = 64;

/// Builds the frames of a redacted capture (link type Ethernet).
#[derive(Default)]
pub struct FrameBuilder {
    /// The next sequence number of each direction of each TCP stream.
    next_seq: HashMap<(SocketAddr, SocketAddr), u32>,
}

impl FrameBuilder {
    /// The frame of a (redacted) SIP message; `None` when it cannot be one IP packet.
    pub fn sip(&mut self, payload: &SipPayload<'_>) -> Option<Vec<u8>> {
        let (src, dst) = (payload.src, payload.dst);
        if payload.transport == Transport::Udp {
            return udp(src, dst, payload.bytes);
        }
        // A segment acknowledges what the other direction has sent so far.
        let ack = self.next_seq.get(&(dst, src)).copied().unwrap_or(1);
        let seq = self.next_seq.entry((src, dst)).or_insert(1);
        let this = *seq;
        *seq = seq.wrapping_add(u32::try_from(payload.bytes.len()).ok()?);
        let builder = ip_step(src.ip(), dst.ip())?
            .tcp(src.port(), dst.port(), this, WINDOW)
            .psh()
            .ack(ack);
        let mut out = Vec::with_capacity(builder.size(payload.bytes.len()));
        builder.write(&mut out, payload.bytes).ok()?;
        Some(out)
    }

    /// The frame of an RTP packet, its payload zeroed (the header's sequence, timestamp and
    /// SSRC kept, so loss and jitter read the same; contributing sources and extensions
    /// dropped with the payload).
    pub fn rtp(&mut self, packet: &RtpPacket) -> Option<Vec<u8>> {
        let mut bytes = vec![0u8; packet.len.max(12)];
        bytes[0] = 0x80;
        bytes[1] = (u8::from(packet.marker) << 7) | (packet.payload_type & 0x7f);
        bytes[2..4].copy_from_slice(&packet.seq.to_be_bytes());
        bytes[4..8].copy_from_slice(&packet.rtp_ts.to_be_bytes());
        bytes[8..12].copy_from_slice(&packet.ssrc.to_be_bytes());
        udp(packet.src, packet.dst, &bytes)
    }

    /// The frame of an RTCP compound packet (its text already blanked by
    /// [`Redactor::rtcp`](super::Redactor::rtcp)).
    pub fn rtcp(&mut self, packet: &RtcpPacket, bytes: &[u8]) -> Option<Vec<u8>> {
        udp(packet.src, packet.dst, bytes)
    }
}

/// An RTCP compound packet with what may name a person blanked: SDES items (CNAME is often
/// `user@address`), BYE reasons and APP data. Reports (SR, RR, feedback) name no one and stay.
pub(crate) fn rtcp(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let (Some(&first), Some(&packet_type), Some(length)) =
        (out.get(at), out.get(at + 1), out.get(at + 2..at + 4))
    {
        let len = (usize::from(u16::from_be_bytes([length[0], length[1]])) + 1) * 4;
        let end = (at + len).min(out.len());
        // The count in the first byte: SDES chunks, or BYE's sources.
        let count = usize::from(first & 0x1f);
        match packet_type {
            202 => blank_sdes(out.get_mut(at + 4..end).unwrap_or_default(), count),
            // BYE: its sources stay, the reason goes; APP: SSRC and name stay, data goes.
            203 | 204 => {
                let keep = if packet_type == 203 {
                    4 + 4 * count
                } else {
                    12
                };
                if let Some(rest) = out.get_mut((at + keep).min(end)..end) {
                    rest.fill(0);
                }
            }
            _ => {}
        }
        at = end;
    }
    out
}

/// SDES chunks (`chunk`s of SSRC and items) with every item's text replaced by `x`.
fn blank_sdes(chunks: &mut [u8], count: usize) {
    let mut at = 0;
    for _ in 0..count {
        at += 4; // SSRC
        while let Some(&item) = chunks.get(at) {
            if item == 0 {
                // End of the chunk's items, padded to four bytes.
                at = (at + 4) & !3;
                break;
            }
            let len = usize::from(chunks.get(at + 1).copied().unwrap_or(0));
            let end = (at + 2 + len).min(chunks.len());
            if let Some(text) = chunks.get_mut(at + 2..end) {
                text.fill(b'x');
            }
            at = end;
        }
    }
}

/// A UDP datagram in its IP packet and Ethernet frame.
fn udp(src: SocketAddr, dst: SocketAddr, payload: &[u8]) -> Option<Vec<u8>> {
    let builder = ip_step(src.ip(), dst.ip())?.udp(src.port(), dst.port());
    let mut out = Vec::with_capacity(builder.size(payload.len()));
    builder.write(&mut out, payload).ok()?;
    Some(out)
}

/// Ethernet (made-up MAC addresses derived from the IP ones) and IP.
fn ip_step(
    src: IpAddr,
    dst: IpAddr,
) -> Option<etherparse::PacketBuilderStep<etherparse::IpHeaders>> {
    let ether = PacketBuilder::ethernet2(mac(src), mac(dst));
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Some(ether.ipv4(s.octets(), d.octets(), TTL)),
        (IpAddr::V6(s), IpAddr::V6(d)) => Some(ether.ipv6(s.octets(), d.octets(), TTL)),
        _ => None,
    }
}

/// A locally administered MAC address ending with the address's last four bytes.
fn mac(ip: IpAddr) -> [u8; 6] {
    let tail = match ip {
        IpAddr::V4(v4) => v4.octets(),
        IpAddr::V6(v6) => {
            let o = v6.octets();
            [o[12], o[13], o[14], o[15]]
        }
    };
    [0x02, 0x00, tail[0], tail[1], tail[2], tail[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdes_text_is_blanked_and_reports_kept() {
        // RR with no report block, then SDES with CNAME "al@h" and the end item.
        let mut packet = vec![0x80, 201, 0, 1, 1, 2, 3, 4];
        packet.extend_from_slice(&[
            0x81, 202, 0, 3, 1, 2, 3, 4, 1, 4, b'a', b'l', b'@', b'h', 0, 0,
        ]);
        let out = rtcp(&packet);
        assert_eq!(out.len(), packet.len());
        assert_eq!(&out[..8], &packet[..8]);
        assert_eq!(&out[18..22], b"xxxx");
    }

    #[test]
    fn damaged_rtcp_never_panics() {
        for bytes in [
            &[][..],
            &[0x81, 202],
            &[0x81, 202, 0xff, 0xff, 1],
            &[0x9f, 203, 0, 0],
        ] {
            let _ = rtcp(bytes);
        }
    }

    #[test]
    fn rebuilt_frames_decode_with_their_checksums() {
        let src: SocketAddr = "192.0.2.1:5060".parse().unwrap();
        let dst: SocketAddr = "192.0.2.2:5060".parse().unwrap();
        let frame = udp(src, dst, b"OPTIONS sip:x SIP/2.0\r\n\r\n").unwrap();
        let sliced = etherparse::SlicedPacket::from_ethernet(&frame).unwrap();
        assert!(matches!(
            sliced.transport,
            Some(etherparse::TransportSlice::Udp(_))
        ));
    }
}
