//! The PPP header (RFC 1661) as PPPoE and PPTP carry it: address and control bytes
//! (`FF 03`) when not compressed away, then a protocol field of two bytes, or one with
//! protocol-field compression (RFC 1661 §6.5).

use super::{Layer, be16};

/// The IP packet a PPP frame carries; `None` for anything else (LCP, IPCP, CCP...).
pub fn ip_payload(ppp: &[u8]) -> Option<Layer<'_>> {
    let ppp = match ppp {
        [0xff, 0x03, rest @ ..] => rest,
        _ => ppp,
    };
    let (protocol, rest) = match ppp.first()? {
        // Protocol-field compression: a one-byte odd protocol value.
        b if b & 1 == 1 => (u16::from(*b), ppp.get(1..)?),
        _ => (be16(ppp, 0)?, ppp.get(2..)?),
    };
    match protocol {
        0x0021 | 0x0057 => Some(Layer::Ip(rest)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_or_without_address_control_and_compression() {
        let ip = [0x45, 0];
        for frame in [
            &[0xff, 0x03, 0x00, 0x21, 0x45, 0][..],
            &[0xff, 0x03, 0x21, 0x45, 0],
            &[0x00, 0x21, 0x45, 0],
            &[0x21, 0x45, 0],
        ] {
            assert_eq!(ip_payload(frame), Some(Layer::Ip(&ip)), "{frame:?}");
        }
        assert_eq!(ip_payload(&[0xff, 0x03, 0xc0, 0x21, 1]), None, "LCP");
        assert_eq!(ip_payload(&[0xff, 0x03]), None);
        assert_eq!(ip_payload(&[]), None);
    }
}
