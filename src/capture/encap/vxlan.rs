//! VXLAN (RFC 7348): an Ethernet frame inside UDP, usually on port 4789.

use super::{Layer, be32};

/// The IANA port of VXLAN.
pub const PORT: u16 = 4789;
/// The port Linux used before IANA assigned one.
pub const LEGACY_PORT: u16 = 8472;

/// The VNI and the inner Ethernet frame, when the header has its I flag.
pub fn parse(bytes: &[u8]) -> Option<(u32, Layer<'_>)> {
    if bytes.first()? & 0x08 == 0 {
        return None;
    }
    let vni = be32(bytes, 4)? >> 8;
    Some((vni, Layer::Ethernet(bytes.get(8..)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vni() {
        let pkt = [0x08, 0, 0, 0, 0, 0, 42, 0, 0xaa];
        assert_eq!(parse(&pkt), Some((42, Layer::Ethernet(&[0xaa]))));
        assert_eq!(parse(&[0, 0, 0, 0, 0, 0, 42, 0]), None);
    }
}
