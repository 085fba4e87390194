//! Link layers: from a frame's bytes and its LINKTYPE_ to the sliced network layer.
//!
//! Ethernet (with 802.1Q and QinQ tags, handled by etherparse), Linux cooked captures SLL and
//! SLL2, raw IPv4/IPv6, and BSD/OpenBSD loopback. Other link types are reported, not guessed.
//! The same slicing serves the frames found inside tunnels.

use etherparse::{EtherType, LaxSlicedPacket};

use super::encap::{Layer, be16};

/// LINKTYPE_ values this module decodes.
mod linktype {
    pub(super) const NULL: i32 = 0;
    pub(super) const ETHERNET: i32 = 1;
    pub(super) const RAW_BSD_A: i32 = 12;
    pub(super) const RAW_BSD_B: i32 = 14;
    pub(super) const RAW: i32 = 101;
    pub(super) const LOOP: i32 = 108;
    pub(super) const LINUX_SLL: i32 = 113;
    pub(super) const IPV4: i32 = 228;
    pub(super) const IPV6: i32 = 229;
    pub(super) const LINUX_SLL2: i32 = 276;
}

/// Why a frame's link layer could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// This tool does not decode this LINKTYPE_.
    Unsupported(i32),
    /// The frame is shorter than its link header.
    TooShort {
        /// Bytes needed for the link header.
        needed: usize,
        /// Bytes present.
        len: usize,
    },
}

/// Says what a frame's bytes are, given its LINKTYPE_: the layer the decoder starts from.
pub fn classify(linktype: i32, data: &[u8]) -> Result<Layer<'_>, LinkError> {
    let too_short = |needed| LinkError::TooShort {
        needed,
        len: data.len(),
    };
    match linktype {
        linktype::ETHERNET => Ok(Layer::Ethernet(data)),
        linktype::LINUX_SLL => Ok(Layer::EtherType(
            be16(data, 14).ok_or(too_short(16))?,
            data.get(16..).ok_or(too_short(16))?,
        )),
        linktype::LINUX_SLL2 => Ok(Layer::EtherType(
            be16(data, 0).ok_or(too_short(20))?,
            data.get(20..).ok_or(too_short(20))?,
        )),
        // The 4-byte address family is in the capturing host's byte order (NULL) or network
        // order (LOOP), and its value differs between systems: the IP version nibble that
        // follows is the reliable guide.
        linktype::NULL | linktype::LOOP => Ok(Layer::Ip(data.get(4..).ok_or(too_short(4))?)),
        linktype::RAW
        | linktype::RAW_BSD_A
        | linktype::RAW_BSD_B
        | linktype::IPV4
        | linktype::IPV6 => Ok(Layer::Ip(data)),
        other => Err(LinkError::Unsupported(other)),
    }
}

/// Slices a layer with etherparse's lax slicing, which keeps whatever parsed (VLAN tags, IP
/// with extension headers); `None` when the bytes are not IP at all.
pub fn slice(layer: Layer<'_>) -> Result<Option<LaxSlicedPacket<'_>>, String> {
    match layer {
        Layer::Ethernet(data) => LaxSlicedPacket::from_ethernet(data)
            .map(Some)
            .map_err(|e| format!("Ethernet: {e}")),
        Layer::EtherType(t, data) => Ok(Some(LaxSlicedPacket::from_ether_type(EtherType(t), data))),
        Layer::Ip(data) => match data.first().map(|b| b >> 4) {
            Some(4) | Some(6) => LaxSlicedPacket::from_ip(data)
                .map(Some)
                .map_err(|e| format!("IP header: {e}")),
            _ => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPV4_UDP: [u8; 28] = [
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, 0x13, 0xc4, 0x13,
        0xc4, 0, 8, 0, 0,
    ];

    #[test]
    fn every_link_header_leads_to_ip() {
        let mut sll = vec![0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
        sll.extend_from_slice(&IPV4_UDP);
        let mut sll2 = vec![
            0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        sll2.extend_from_slice(&IPV4_UDP);
        let mut null = vec![2, 0, 0, 0];
        null.extend_from_slice(&IPV4_UDP);
        let mut eth = vec![0; 12];
        eth.extend_from_slice(&[0x81, 0x00, 0, 100, 0x08, 0x00]);
        eth.extend_from_slice(&IPV4_UDP);
        for (lt, frame) in [
            (113, sll),
            (276, sll2),
            (0, null),
            (101, IPV4_UDP.to_vec()),
            (1, eth),
        ] {
            let layer = classify(lt, &frame).expect("a known link type");
            let sliced = slice(layer).expect("decodable").expect("IP");
            assert!(sliced.net.is_some(), "link type {lt}");
        }
    }

    #[test]
    fn reports_what_it_cannot_read() {
        assert_eq!(
            classify(147, &[1, 2, 3]).err(),
            Some(LinkError::Unsupported(147))
        );
        assert!(matches!(
            classify(113, &[0; 5]),
            Err(LinkError::TooShort { .. })
        ));
        assert_eq!(slice(Layer::Ip(&[0x12, 0])), Ok(None));
        assert!(slice(Layer::Ip(&[0x45, 0])).is_err());
    }
}
