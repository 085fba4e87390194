//! The frame most captures are made of, Ethernet then IPv4 then UDP (RTP above all), recognised
//! in a few comparisons so that it skips the general slicing of [`super::link`]. Anything
//! unusual (a VLAN tag, a fragment, a length that does not add up) returns `None` and takes the
//! general path, which gives the same answer for the frames this one accepts.

use std::net::Ipv4Addr;

use super::encap::be16;

/// LINKTYPE_ETHERNET.
const ETHERNET: i32 = 1;
/// Bytes of an Ethernet header without tags.
const ETHERNET_LEN: usize = 14;

/// An unfragmented IPv4 UDP datagram carried directly over Ethernet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PlainUdp<'a> {
    pub(super) src: Ipv4Addr,
    pub(super) dst: Ipv4Addr,
    pub(super) src_port: u16,
    pub(super) dst_port: u16,
    /// The UDP payload, as long as the UDP header says.
    pub(super) payload: &'a [u8],
}

/// Recognises Ethernet / IPv4 / UDP whose lengths all agree.
pub(super) fn plain_udp(linktype: i32, frame: &[u8]) -> Option<PlainUdp<'_>> {
    if linktype != ETHERNET || be16(frame, 12)? != 0x0800 {
        return None;
    }
    let ip = frame.get(ETHERNET_LEN..)?;
    let version_ihl = *ip.first()?;
    let header_len = usize::from(version_ihl & 0x0f) * 4;
    let total_len = usize::from(be16(ip, 2)?);
    let fragment = be16(ip, 6)? & 0x3fff; // more-fragments flag and offset
    if version_ihl >> 4 != 4
        || header_len < 20
        || fragment != 0
        || *ip.get(9)? != 17
        || total_len < header_len + 8
        || total_len > ip.len()
    {
        return None;
    }
    let udp = ip.get(header_len..total_len)?;
    let udp_len = usize::from(be16(udp, 4)?);
    if udp_len < 8 || udp_len > udp.len() {
        return None;
    }
    let addr = |at: usize| -> Option<Ipv4Addr> {
        let b: [u8; 4] = ip.get(at..at + 4)?.try_into().ok()?;
        Some(Ipv4Addr::from(b))
    };
    Some(PlainUdp {
        src: addr(12)?,
        dst: addr(16)?,
        src_port: be16(udp, 0)?,
        dst_port: be16(udp, 2)?,
        payload: udp.get(8..udp_len)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = (28 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 17, 0, 0]);
        f[16..18].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2, 0x13, 0xc4, 0x27, 0x10]);
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn takes_plain_udp_and_trims_ethernet_padding() {
        let mut f = frame(b"hello");
        f.extend_from_slice(&[0; 20]);
        let udp = plain_udp(1, &f).unwrap();
        assert_eq!(udp.src, Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!((udp.src_port, udp.dst_port), (5060, 10000));
        assert_eq!(udp.payload, b"hello");
    }

    #[test]
    fn leaves_the_unusual_to_the_general_path() {
        let f = frame(b"hello");
        assert!(plain_udp(113, &f).is_none(), "other link types");
        let mut fragment = f.clone();
        fragment[20] = 0x20; // more fragments
        assert!(plain_udp(1, &fragment).is_none());
        let mut tcp = f.clone();
        tcp[23] = 6;
        assert!(plain_udp(1, &tcp).is_none());
        assert!(
            plain_udp(1, &f[..f.len() - 1]).is_none(),
            "IP length beyond the frame"
        );
        let mut short_udp = f.clone();
        short_udp[38..40].copy_from_slice(&7u16.to_be_bytes());
        assert!(plain_udp(1, &short_udp).is_none());
        for cut in 0..f.len() {
            let _ = plain_udp(1, &f[..cut]);
        }
    }
}
