//! GTP-U (3GPP TS 29.281): user traffic of mobile networks, IPv4 or IPv6 inside UDP 2152.

use super::{Layer, be16, be32};

/// The GTP-U port.
pub const PORT: u16 = 2152;
/// Extension headers followed before the packet is given up as broken.
const MAX_EXTENSIONS: usize = 16;

/// The TEID and the inner IP packet of a G-PDU; `None` for signalling messages (echo, error
/// indication) and anything damaged.
pub fn parse(bytes: &[u8]) -> Option<(u32, Layer<'_>)> {
    let flags = *bytes.first()?;
    if flags >> 5 != 1 || flags & 0x10 == 0 || *bytes.get(1)? != 0xff {
        return None; // not version 1 GTP (PT=1), or not a G-PDU
    }
    let length = usize::from(be16(bytes, 2)?);
    let teid = be32(bytes, 4)?;
    let end = (8 + length).min(bytes.len());
    let mut at = 8;
    if flags & 0x07 != 0 {
        // Sequence number (2), N-PDU number (1), next extension header type (1).
        let mut next = *bytes.get(11)?;
        at = 12;
        for _ in 0..MAX_EXTENSIONS {
            if next == 0 {
                break;
            }
            let units = usize::from(*bytes.get(at)?);
            if units == 0 {
                return None;
            }
            at += units * 4;
            next = *bytes.get(at - 1)?;
        }
        if next != 0 {
            return None;
        }
    }
    let inner = bytes.get(at..end)?;
    match inner.first()? >> 4 {
        4 | 6 => Some((teid, Layer::Ip(inner))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_with_extension_headers() {
        let plain = [0x30, 0xff, 0, 2, 0, 0, 0x12, 0x34, 0x45, 0];
        assert_eq!(parse(&plain), Some((0x1234, Layer::Ip(&[0x45, 0]))));
        // S flag and one PDU session container (type 0x85, 1 unit of 4 bytes).
        let ext = [
            0x36, 0xff, 0, 10, 0, 0, 0, 1, 0, 7, 0, 0x85, 1, 0x10, 0x01, 0, 0x60, 0,
        ];
        assert_eq!(parse(&ext), Some((1, Layer::Ip(&[0x60, 0]))));
        let echo = [0x32, 0x01, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0];
        assert_eq!(parse(&echo), None);
        let zero_len_ext = [0x34, 0xff, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0x85, 0, 0, 0, 0];
        assert_eq!(parse(&zero_len_ext), None);
    }
}
