//! MPLS label stacks (EtherTypes 0x8847 and 0x8848, RFC 3032), and what follows the bottom
//! label: IPv4, IPv6, or an Ethernet pseudowire behind its control word (RFC 4448).

use super::{Layer, be32};

/// EtherType of MPLS unicast.
pub const ETHERTYPE_MPLS_UNICAST: u16 = 0x8847;
/// EtherType of MPLS multicast.
pub const ETHERTYPE_MPLS_MULTICAST: u16 = 0x8848;
/// Labels read before the stack is given up as broken.
pub const MAX_LABELS: usize = 16;

/// Skips the label stack; returns the bottom label and the layer under it.
pub fn parse(bytes: &[u8]) -> Option<(u32, Layer<'_>)> {
    let mut at = 0;
    for _ in 0..MAX_LABELS {
        let entry = be32(bytes, at)?;
        at += 4;
        if entry & 0x100 != 0 {
            let label = entry >> 12;
            let rest = bytes.get(at..)?;
            return match rest.first()? >> 4 {
                4 | 6 => Some((label, Layer::Ip(rest))),
                // A zero nibble is the pseudowire control word; an Ethernet frame follows.
                0 => Some((label, Layer::Ethernet(rest.get(4..)?))),
                _ => None,
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_stack_to_the_bottom_label() {
        let two = [0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40, 0x45, 0];
        assert_eq!(parse(&two), Some((32, Layer::Ip(&[0x45, 0]))));
        let pw = [0x00, 0x03, 0x01, 0x40, 0, 0, 0, 0, 0xaa];
        assert_eq!(parse(&pw), Some((48, Layer::Ethernet(&[0xaa]))));
        let endless = [0u8; 4 * (MAX_LABELS + 1)];
        assert_eq!(parse(&endless), None);
    }
}
