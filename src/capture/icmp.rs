//! ICMP and ICMPv6 errors that quote a datagram: a "port unreachable" answering a SIP request
//! says the request was never received, which matters more than the request itself.

use etherparse::{LaxNetSlice, LaxSlicedPacket};
use std::net::{IpAddr, SocketAddr};

/// The datagram an ICMP error quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quoted<'a> {
    /// ICMP type.
    pub icmp_type: u8,
    /// ICMP code.
    pub code: u8,
    /// The original sender of the quoted datagram.
    pub src: SocketAddr,
    /// The original destination.
    pub dst: SocketAddr,
    /// The quoted UDP payload (often cut short by the ICMP size limit).
    pub payload: &'a [u8],
}

/// A readable description of an ICMP error type and code.
pub fn describe(v6: bool, icmp_type: u8, code: u8) -> &'static str {
    match (v6, icmp_type, code) {
        (false, 3, 3) | (true, 1, 4) => "port unreachable",
        (false, 3, 0) | (true, 1, 3) => "network/address unreachable",
        (false, 3, 1) => "host unreachable",
        (false, 3, 13) | (true, 1, 1) => "administratively prohibited",
        (false, 3, 4) | (true, 2, _) => "fragmentation needed / packet too big",
        (false, 3, _) | (true, 1, _) => "destination unreachable",
        (false, 11, _) | (true, 3, _) => "time exceeded",
        (false, 12, _) | (true, 4, _) => "parameter problem",
        _ => "error",
    }
}

/// Reads the UDP datagram quoted by an ICMP (`v6 == false`) or ICMPv6 error message.
pub fn quoted_udp(icmp: &[u8], v6: bool) -> Option<Quoted<'_>> {
    let (&icmp_type, &code) = (icmp.first()?, icmp.get(1)?);
    let is_error = if v6 {
        (1..=4).contains(&icmp_type)
    } else {
        matches!(icmp_type, 3 | 11 | 12)
    };
    if !is_error {
        return None;
    }
    let quoted = LaxSlicedPacket::from_ip(icmp.get(8..)?).ok()?;
    let (src, dst, payload) = match &quoted.net {
        Some(LaxNetSlice::Ipv4(ip)) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
            ip.payload(),
        ),
        Some(LaxNetSlice::Ipv6(ip)) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
            ip.payload(),
        ),
        _ => return None,
    };
    if payload.ip_number != etherparse::IpNumber::UDP {
        return None;
    }
    let udp = payload.payload;
    let port = |at: usize| Some(u16::from_be_bytes([*udp.get(at)?, *udp.get(at + 1)?]));
    Some(Quoted {
        icmp_type,
        code,
        src: SocketAddr::new(src, port(0)?),
        dst: SocketAddr::new(dst, port(2)?),
        payload: udp.get(8..)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_port_unreachable() {
        let sip = b"OPTIONS sip:x SIP/2.0\r\n";
        let mut ip = vec![
            0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 10, 127, 0, 0, 3,
        ];
        let total = (20 + 8 + sip.len()) as u16;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip.extend_from_slice(&[0x13, 0xc4, 0x13, 0xd8, 0, (8 + sip.len()) as u8, 0, 0]);
        ip.extend_from_slice(sip);
        let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&ip);
        let q = quoted_udp(&icmp, false).unwrap();
        assert_eq!(q.dst, "127.0.0.3:5080".parse().unwrap());
        assert_eq!(q.payload, sip);
        assert_eq!(describe(false, q.icmp_type, q.code), "port unreachable");
        assert_eq!(quoted_udp(&[8, 0, 0, 0], false), None);
        assert_eq!(quoted_udp(&[3, 3, 0], false), None);
    }
}
