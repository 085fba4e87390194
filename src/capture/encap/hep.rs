//! HEP, the Homer encapsulation protocol (versions 1/2 and 3): a capture agent forwards each
//! packet it saw, with the original addresses, ports and time, inside UDP to a collector.
//! Read back, a HEP feed gives the original traffic, as if captured where the agent was.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::be16;
use crate::capture::time::Timestamp;

/// The usual collector port.
pub const PORT: u16 = 9060;
/// Chunks read in one HEP3 packet before it is given up as broken.
const MAX_CHUNKS: usize = 64;

/// One packet as the agent saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HepPacket<'a> {
    /// HEP version (1, 2 or 3).
    pub version: u8,
    /// Original sender.
    pub src: SocketAddr,
    /// Original receiver.
    pub dst: SocketAddr,
    /// Original IP protocol (17 UDP, 6 TCP, 132 SCTP).
    pub ip_protocol: u8,
    /// Original capture time, when sent.
    pub ts: Option<Timestamp>,
    /// Capture agent id, when sent.
    pub agent: Option<u32>,
    /// The captured payload (a SIP message for protocol type 1).
    pub payload: &'a [u8],
}

/// Reads a HEP packet of any version; `None` when the bytes are not HEP or are damaged.
pub fn parse(bytes: &[u8]) -> Option<HepPacket<'_>> {
    if bytes.starts_with(b"HEP3") {
        parse_v3(bytes)
    } else {
        parse_v2(bytes)
    }
}

fn parse_v3(bytes: &[u8]) -> Option<HepPacket<'_>> {
    let total = usize::from(be16(bytes, 4)?);
    let bytes = bytes.get(..total.min(bytes.len()))?;
    let mut at = 6;
    let (mut src_ip, mut dst_ip): (Option<IpAddr>, Option<IpAddr>) = (None, None);
    let (mut src_port, mut dst_port, mut protocol) = (None, None, None);
    let (mut secs, mut usecs, mut agent, mut payload, mut kind) = (None, None, None, None, None);
    for _ in 0..MAX_CHUNKS {
        if at + 6 > bytes.len() {
            break;
        }
        let vendor = be16(bytes, at)?;
        let chunk_type = be16(bytes, at + 2)?;
        let len = usize::from(be16(bytes, at + 4)?);
        if len < 6 {
            return None;
        }
        let value = bytes.get(at + 6..at + len)?;
        at += len;
        if vendor != 0 {
            continue;
        }
        match chunk_type {
            2 => protocol = value.first().copied(),
            3 => src_ip = ipv4(value),
            4 => dst_ip = ipv4(value),
            5 => src_ip = ipv6(value),
            6 => dst_ip = ipv6(value),
            7 => src_port = be16(value, 0),
            8 => dst_port = be16(value, 0),
            9 => secs = u32_be(value),
            10 => usecs = u32_be(value),
            11 => kind = value.first().copied(),
            12 => agent = u32_be(value),
            15 => payload = Some(value),
            _ => {}
        }
    }
    if kind.is_some_and(|k| k != 1) {
        return None; // RTCP, logs, QoS reports: not SIP
    }
    Some(HepPacket {
        version: 3,
        src: SocketAddr::new(src_ip?, src_port?),
        dst: SocketAddr::new(dst_ip?, dst_port?),
        ip_protocol: protocol.unwrap_or(17),
        ts: secs
            .map(|s| Timestamp::from_parts(i64::from(s), u64::from(usecs.unwrap_or(0)), 1_000_000)),
        agent,
        payload: payload?,
    })
}

/// HEP versions 1 and 2: a fixed header, the addresses, and (version 2) a time header.
fn parse_v2(bytes: &[u8]) -> Option<HepPacket<'_>> {
    let version = *bytes.first()?;
    if version != 1 && version != 2 {
        return None;
    }
    let family = *bytes.get(2)?;
    let protocol = *bytes.get(3)?;
    if !matches!(protocol, 6 | 17 | 132) {
        return None;
    }
    let src_port = be16(bytes, 4)?;
    let dst_port = be16(bytes, 6)?;
    let (src_ip, dst_ip, mut at) = match family {
        2 => (ipv4(bytes.get(8..12)?)?, ipv4(bytes.get(12..16)?)?, 16),
        10 => (ipv6(bytes.get(8..24)?)?, ipv6(bytes.get(24..40)?)?, 40),
        _ => return None,
    };
    let mut ts = None;
    let mut agent = None;
    if version == 2 {
        // The time header is written in the agent's byte order, little-endian in practice.
        let le32 = |i: usize| -> Option<u32> {
            Some(u32::from_le_bytes([
                *bytes.get(i)?,
                *bytes.get(i + 1)?,
                *bytes.get(i + 2)?,
                *bytes.get(i + 3)?,
            ]))
        };
        ts = Some(Timestamp::from_parts(
            i64::from(le32(at)?),
            u64::from(le32(at + 4)?),
            1_000_000,
        ));
        agent = Some(u32::from(u16::from_le_bytes([
            *bytes.get(at + 8)?,
            *bytes.get(at + 9)?,
        ])));
        at += 12;
    }
    Some(HepPacket {
        version,
        src: SocketAddr::new(src_ip, src_port),
        dst: SocketAddr::new(dst_ip, dst_port),
        ip_protocol: protocol,
        ts,
        agent,
        payload: bytes.get(at..)?,
    })
}

fn u32_be(v: &[u8]) -> Option<u32> {
    super::be32(v, 0)
}

fn ipv4(v: &[u8]) -> Option<IpAddr> {
    let b: [u8; 4] = v.get(..4)?.try_into().ok()?;
    Some(IpAddr::V4(Ipv4Addr::from(b)))
}

fn ipv6(v: &[u8]) -> Option<IpAddr> {
    let b: [u8; 16] = v.get(..16)?.try_into().ok()?;
    Some(IpAddr::V6(Ipv6Addr::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(t: u16, v: &[u8]) -> Vec<u8> {
        let mut c = vec![0, 0];
        c.extend_from_slice(&t.to_be_bytes());
        c.extend_from_slice(&((v.len() + 6) as u16).to_be_bytes());
        c.extend_from_slice(v);
        c
    }

    #[test]
    fn reads_hep3() {
        let mut body = Vec::new();
        for (t, v) in [
            (1, &[2u8][..]),
            (2, &[17]),
            (3, &[192, 0, 2, 1]),
            (4, &[192, 0, 2, 2]),
            (7, &[0x13, 0xc4]),
            (8, &[0x13, 0xc5]),
            (9, &[0, 0, 0, 10]),
            (10, &[0, 0, 0, 5]),
            (11, &[1]),
            (12, &[0, 0, 0, 99]),
            (15, b"OPTIONS sip:x SIP/2.0\r\n\r\n"),
        ] {
            body.extend(chunk(t, v));
        }
        let mut pkt = b"HEP3".to_vec();
        pkt.extend_from_slice(&((body.len() + 6) as u16).to_be_bytes());
        pkt.extend(body);
        let hep = parse(&pkt).unwrap();
        assert_eq!(hep.src, "192.0.2.1:5060".parse().unwrap());
        assert_eq!(hep.dst, "192.0.2.2:5061".parse().unwrap());
        assert_eq!(hep.ts, Some(Timestamp(10_000_005_000)));
        assert_eq!(hep.agent, Some(99));
        assert!(hep.payload.starts_with(b"OPTIONS"));
        // A zero-length chunk is damage, not an endless loop.
        let mut bad = b"HEP3\x00\x10".to_vec();
        bad.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(parse(&bad), None);
    }

    #[test]
    fn reads_hep2() {
        let mut pkt = vec![
            2, 28, 2, 17, 0x13, 0xc4, 0x13, 0xc4, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        pkt.extend_from_slice(&7u32.to_le_bytes());
        pkt.extend_from_slice(&8u32.to_le_bytes());
        pkt.extend_from_slice(&[3, 0, 0, 0]);
        pkt.extend_from_slice(b"SIP/2.0 200 OK\r\n\r\n");
        let hep = parse(&pkt).unwrap();
        assert_eq!(hep.version, 2);
        assert_eq!(hep.dst, "10.0.0.2:5060".parse().unwrap());
        assert_eq!(hep.ts, Some(Timestamp(7_000_008_000)));
        assert_eq!(hep.payload, b"SIP/2.0 200 OK\r\n\r\n");
        assert_eq!(parse(&[0x80, 0, 0, 0]), None);
    }
}
