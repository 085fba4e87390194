//! PPTP's enhanced GRE (RFC 2637 §4.1, GRE version 1): a key made of the payload length and
//! the peer's call ID, optional sequence and acknowledgment numbers, then a PPP frame.

use super::{Layer, be16, ppp};

/// GRE protocol type of PPP.
pub const PROTOCOL_PPP: u16 = 0x880b;

/// What an enhanced GRE packet carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pptp<'a> {
    /// The call ID of the key field (the peer's identifier of the session).
    pub call_id: u16,
    /// The IP packet inside the PPP frame.
    pub inner: Layer<'a>,
}

/// Reads an enhanced GRE header and its PPP frame; `None` when it is not version 1 carrying
/// PPP, carries no payload (an acknowledgment only) or no IP packet.
pub fn parse(bytes: &[u8]) -> Option<Pptp<'_>> {
    let flags = be16(bytes, 0)?;
    if flags & 0x0007 != 1 || flags & 0x2000 == 0 || be16(bytes, 2)? != PROTOCOL_PPP {
        return None;
    }
    let (sequence, acknowledgment) = (flags & 0x1000 != 0, flags & 0x0080 != 0);
    let length = usize::from(be16(bytes, 4)?);
    let call_id = be16(bytes, 6)?;
    let at = 8 + if sequence { 4 } else { 0 } + if acknowledgment { 4 } else { 0 };
    let payload = bytes.get(at..)?;
    let payload = payload.get(..length.min(payload.len()))?;
    Some(Pptp {
        call_id,
        inner: ppp::ip_payload(payload)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ppp_with_sequence_and_acknowledgment() {
        // K, S, A, version 1; length 6; call ID 0x4000; seq 1; ack 0; PPP FF 03 00 21
        let pkt = [
            0x30, 0x81, 0x88, 0x0b, 0, 6, 0x40, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0x21,
            0x45, 0, 0xaa,
        ];
        let p = parse(&pkt).unwrap();
        assert_eq!(p.call_id, 0x4000);
        assert_eq!(p.inner, Layer::Ip(&[0x45, 0]), "cut to the payload length");
        // Sequence only, compressed PPP (protocol 0x21).
        let pkt = [
            0x30, 0x01, 0x88, 0x0b, 0, 3, 0, 7, 0, 0, 0, 2, 0x21, 0x45, 0,
        ];
        assert_eq!(parse(&pkt).unwrap().inner, Layer::Ip(&[0x45, 0]));
        // An acknowledgment without payload; GRE version 0; not PPP.
        assert_eq!(
            parse(&[0x20, 0x81, 0x88, 0x0b, 0, 0, 0, 7, 0, 0, 0, 1]),
            None
        );
        assert_eq!(
            parse(&[0x30, 0x00, 0x88, 0x0b, 0, 2, 0, 7, 0, 0, 0, 1, 0x21, 0x45]),
            None
        );
        assert_eq!(parse(&[0x30, 0x01, 0x08, 0x00]), None);
    }
}
