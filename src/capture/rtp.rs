//! RTP headers (RFC 3550), read from UDP datagrams that are not SIP, so correlation can tie
//! media streams to the calls that announced them. Only the fixed header is read.

use std::net::SocketAddr;

use super::time::Timestamp;

/// The fixed header of an RTP packet and where it travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtpPacket {
    /// Frame number.
    pub frame: u64,
    /// Capture time.
    pub ts: Timestamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Synchronisation source.
    pub ssrc: u32,
    /// Sequence number.
    pub seq: u16,
    /// Media timestamp.
    pub rtp_ts: u32,
    /// Payload type.
    pub payload_type: u8,
    /// Marker bit.
    pub marker: bool,
    /// UDP payload bytes.
    pub len: usize,
}

/// Reads the fixed RTP header; `None` for anything that is not RTP version 2, and for RTCP
/// (payload types 72-76 with the marker bit, i.e. packet types 200-204).
pub fn parse(
    payload: &[u8],
    frame: u64,
    ts: Timestamp,
    src: SocketAddr,
    dst: SocketAddr,
) -> Option<RtpPacket> {
    let header = payload.get(..12)?;
    let (b0, b1) = (*header.first()?, *header.get(1)?);
    if b0 >> 6 != 2 || (200..=204).contains(&b1) {
        return None;
    }
    let u16_at = |i: usize| Some(u16::from_be_bytes([*header.get(i)?, *header.get(i + 1)?]));
    let u32_at = |i: usize| {
        Some(u32::from_be_bytes([
            *header.get(i)?,
            *header.get(i + 1)?,
            *header.get(i + 2)?,
            *header.get(i + 3)?,
        ]))
    };
    Some(RtpPacket {
        frame,
        ts,
        src,
        dst,
        ssrc: u32_at(8)?,
        seq: u16_at(2)?,
        rtp_ts: u32_at(4)?,
        payload_type: b1 & 0x7f,
        marker: b1 & 0x80 != 0,
        len: payload.len(),
    })
}

/// An RTCP packet (RFC 3550 §6): where it travelled and its sender's SSRC, which is the SSRC
/// of the RTP stream that sender sends (so RTCP follows its session's streams).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtcpPacket {
    /// Frame number.
    pub frame: u64,
    /// Capture time.
    pub ts: Timestamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// The sender's synchronisation source (first packet of the compound).
    pub ssrc: u32,
}

/// Reads the first RTCP header of a compound packet; `None` unless version 2 and a packet type
/// from 200 (sender report) to 204 (application).
pub fn parse_rtcp(
    payload: &[u8],
    frame: u64,
    ts: Timestamp,
    src: SocketAddr,
    dst: SocketAddr,
) -> Option<RtcpPacket> {
    let header = payload.get(..8)?;
    let (b0, b1) = (*header.first()?, *header.get(1)?);
    if b0 >> 6 != 2 || !(200..=204).contains(&b1) {
        return None;
    }
    let ssrc = u32::from_be_bytes([
        *header.get(4)?,
        *header.get(5)?,
        *header.get(6)?,
        *header.get(7)?,
    ]);
    Some(RtcpPacket {
        frame,
        ts,
        src,
        dst,
        ssrc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rtp_and_skips_rtcp() {
        let a: SocketAddr = "192.0.2.1:7000".parse().unwrap();
        let b: SocketAddr = "192.0.2.2:6000".parse().unwrap();
        let rtp = [0x80, 0x08, 0, 5, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef, 0xd5];
        let p = parse(&rtp, 1, Timestamp(0), a, b).unwrap();
        assert_eq!(
            (p.seq, p.rtp_ts, p.payload_type, p.ssrc),
            (5, 160, 8, 0xdead_beef)
        );
        let rtcp = [0x80, 200, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(parse(&rtcp, 1, Timestamp(0), a, b), None);
        assert_eq!(parse(&[0x80, 0], 1, Timestamp(0), a, b), None);
        let r = parse_rtcp(&rtcp, 1, Timestamp(0), a, b).unwrap();
        assert_eq!(r.ssrc, 0);
        assert_eq!(parse_rtcp(&rtp, 1, Timestamp(0), a, b), None);
    }
}
