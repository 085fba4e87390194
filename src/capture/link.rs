//! Link layers: from a frame's bytes and its LINKTYPE_ to the sliced network layer.
//!
//! Ethernet (with 802.1Q and QinQ tags, handled by etherparse), Linux cooked captures SLL and
//! SLL2, raw IPv4/IPv6, and BSD/OpenBSD loopback. Other link types are reported, not guessed.

use etherparse::{EtherType, LaxSlicedPacket};

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
    /// The link header carries something other than IP (ARP, LLDP...): not an error, just not ours.
    NotIp,
}

/// Slices a frame down to its network layer; etherparse's lax slicing keeps what parsed.
pub fn slice_frame(linktype: i32, data: &[u8]) -> Result<LaxSlicedPacket<'_>, LinkError> {
    match linktype {
        linktype::ETHERNET => {
            LaxSlicedPacket::from_ethernet(data).map_err(|_| LinkError::TooShort {
                needed: 14,
                len: data.len(),
            })
        }
        linktype::LINUX_SLL => {
            let proto = be16(data, 14, 16)?;
            ether_typed(proto, data.get(16..).unwrap_or_default())
        }
        linktype::LINUX_SLL2 => {
            let proto = be16(data, 0, 20)?;
            ether_typed(proto, data.get(20..).unwrap_or_default())
        }
        linktype::NULL | linktype::LOOP => {
            // The 4-byte address family is in the capturing host's byte order (NULL) or
            // network order (LOOP), and its value differs between systems: the IP version
            // nibble that follows is the reliable guide.
            let ip = data.get(4..).ok_or(LinkError::TooShort {
                needed: 4,
                len: data.len(),
            })?;
            from_ip(ip)
        }
        linktype::RAW
        | linktype::RAW_BSD_A
        | linktype::RAW_BSD_B
        | linktype::IPV4
        | linktype::IPV6 => from_ip(data),
        other => Err(LinkError::Unsupported(other)),
    }
}

fn be16(data: &[u8], at: usize, header_len: usize) -> Result<u16, LinkError> {
    if data.len() < header_len {
        return Err(LinkError::TooShort {
            needed: header_len,
            len: data.len(),
        });
    }
    match data.get(at..at + 2) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(LinkError::TooShort {
            needed: header_len,
            len: data.len(),
        }),
    }
}

/// A payload announced by an EtherType (SLL/SLL2 protocol field).
fn ether_typed(proto: u16, payload: &[u8]) -> Result<LaxSlicedPacket<'_>, LinkError> {
    match EtherType(proto) {
        EtherType::IPV4
        | EtherType::IPV6
        | EtherType::VLAN_TAGGED_FRAME
        | EtherType::PROVIDER_BRIDGING
        | EtherType::VLAN_DOUBLE_TAGGED_FRAME => {
            Ok(LaxSlicedPacket::from_ether_type(EtherType(proto), payload))
        }
        _ => Err(LinkError::NotIp),
    }
}

fn from_ip(data: &[u8]) -> Result<LaxSlicedPacket<'_>, LinkError> {
    match data.first().map(|b| b >> 4) {
        Some(4) | Some(6) => LaxSlicedPacket::from_ip(data).map_err(|_| LinkError::TooShort {
            needed: 20,
            len: data.len(),
        }),
        Some(_) => Err(LinkError::NotIp),
        None => Err(LinkError::TooShort { needed: 1, len: 0 }),
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
            let sliced = slice_frame(lt, &frame).expect("decodable");
            assert!(sliced.net.is_some(), "link type {lt}");
        }
    }

    #[test]
    fn reports_what_it_cannot_read() {
        assert_eq!(
            slice_frame(147, &[1, 2, 3]).err(),
            Some(LinkError::Unsupported(147))
        );
        assert!(matches!(
            slice_frame(113, &[0; 5]),
            Err(LinkError::TooShort { .. })
        ));
        assert_eq!(slice_frame(101, &[0x12, 0]).err(), Some(LinkError::NotIp));
        let arp = [0u8; 16]
            .iter()
            .copied()
            .chain([0x08, 0x06])
            .collect::<Vec<_>>();
        assert_eq!(
            slice_frame(276, &{
                let mut v = vec![0x08, 0x06];
                v.extend_from_slice(&arp);
                v.extend_from_slice(&[0; 10]);
                v
            })
            .err(),
            Some(LinkError::NotIp)
        );
    }
}
