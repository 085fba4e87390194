//! PPPoE session frames (EtherType 0x8864) and the PPP header inside them (RFC 2516, 1661).

use super::{Layer, be16, ppp};

/// EtherType of PPPoE session stage frames.
pub const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;

/// The PPP payload of a PPPoE session frame, with the session id; `None` when it is not IP
/// (LCP, IPCP...) or is cut short.
pub fn parse(bytes: &[u8]) -> Option<(u32, Layer<'_>)> {
    // ver/type (0x11), code (0 for session data), session id, length
    if bytes.first() != Some(&0x11) || bytes.get(1) != Some(&0) {
        return None;
    }
    let session = u32::from(be16(bytes, 2)?);
    let length = usize::from(be16(bytes, 4)?);
    let rest = bytes.get(6..)?;
    let frame = rest.get(..length.min(rest.len()))?;
    Some((session, ppp::ip_payload(frame)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ip_inside_a_session() {
        let frame = [0x11, 0, 0x12, 0x34, 0, 6, 0x00, 0x21, 0x45, 0, 0, 0];
        assert_eq!(parse(&frame), Some((0x1234, Layer::Ip(&[0x45, 0, 0, 0]))));
        let lcp = [0x11, 0, 0, 1, 0, 4, 0xc0, 0x21, 1, 1];
        assert_eq!(parse(&lcp), None);
        assert_eq!(
            parse(&[0x11, 0x09, 0, 0, 0, 0]),
            None,
            "discovery, not session"
        );
        assert_eq!(parse(&[0x11]), None);
    }
}
