//! GRE (RFC 2784, keys and sequence numbers of RFC 2890) and the ERSPAN mirror headers it
//! carries (types I, II and III, as Cisco and most switches send them); version 1 is PPTP's
//! enhanced GRE ([`super::pptp`]).

use super::{EncapKind, Layer, be16, be32, pptp};

/// What a GRE packet carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gre<'a> {
    /// GRE itself, or ERSPAN when the payload is a mirrored frame.
    pub kind: EncapKind,
    /// The GRE key, or the ERSPAN session id.
    pub id: Option<u32>,
    /// What follows.
    pub inner: Layer<'a>,
}

/// Reads a GRE header and, for ERSPAN, the mirror header after it; version 1 as PPTP.
pub fn parse(bytes: &[u8]) -> Option<Gre<'_>> {
    let flags = be16(bytes, 0)?;
    match flags & 0x0007 {
        0 => {}
        1 => {
            let pptp = pptp::parse(bytes)?;
            return Some(Gre {
                kind: EncapKind::Pptp,
                id: Some(u32::from(pptp.call_id)),
                inner: pptp.inner,
            });
        }
        _ => return None,
    }
    let protocol = be16(bytes, 2)?;
    let (checksum, key, sequence) = (
        flags & 0x8000 != 0,
        flags & 0x2000 != 0,
        flags & 0x1000 != 0,
    );
    let mut at = 4;
    if checksum {
        at += 4;
    }
    let key_value = if key { be32(bytes, at) } else { None };
    if key {
        at += 4;
    }
    if sequence {
        at += 4;
    }
    let payload = bytes.get(at..)?;
    let gre = |inner| {
        Some(Gre {
            kind: EncapKind::Gre,
            id: key_value,
            inner,
        })
    };
    match protocol {
        0x88be if !sequence => Some(Gre {
            // ERSPAN type I: no ERSPAN header, the mirrored frame follows at once.
            kind: EncapKind::Erspan,
            id: None,
            inner: Layer::Ethernet(payload),
        }),
        0x88be => Some(Gre {
            kind: EncapKind::Erspan,
            id: be16(payload, 2).map(|s| u32::from(s & 0x03ff)),
            inner: Layer::Ethernet(payload.get(8..)?),
        }),
        0x22eb => {
            // ERSPAN type III: 12 bytes, plus an 8-byte platform subheader when O is set.
            let optional = payload.get(11)? & 0x01 != 0;
            let skip = if optional { 20 } else { 12 };
            Some(Gre {
                kind: EncapKind::Erspan,
                id: be16(payload, 2).map(|s| u32::from(s & 0x03ff)),
                inner: Layer::Ethernet(payload.get(skip..)?),
            })
        }
        0x6558 => gre(Layer::Ethernet(payload)),
        0x0800 | 0x86dd => gre(Layer::Ip(payload)),
        other => gre(Layer::EtherType(other, payload)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_gre_with_key_and_sequence() {
        let pkt = [0x30, 0, 0x08, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0x45, 0];
        let gre = parse(&pkt).unwrap();
        assert_eq!(gre.kind, EncapKind::Gre);
        assert_eq!(gre.id, Some(7));
        assert_eq!(gre.inner, Layer::Ip(&[0x45, 0]));
    }

    #[test]
    fn erspan_two_and_three() {
        let two = [
            0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0, 0x00, 0x05, 0, 0, 0, 0, 0xee,
        ];
        let g = parse(&two).unwrap();
        assert_eq!(
            (g.kind, g.id, g.inner),
            (EncapKind::Erspan, Some(5), Layer::Ethernet(&[0xee]))
        );
        let mut three = vec![0x10, 0, 0x22, 0xeb, 0, 0, 0, 1, 0x20, 0, 0x00, 0x09];
        three.extend_from_slice(&[0; 7]);
        three.push(0x01); // O flag: platform subheader follows
        three.extend_from_slice(&[0; 8]);
        three.push(0xee);
        let g = parse(&three).unwrap();
        assert_eq!((g.id, g.inner), (Some(9), Layer::Ethernet(&[0xee])));
        assert_eq!(parse(&[0x30, 0x01, 0x88, 0x0b]), None, "PPTP GRE cut short");
        assert_eq!(parse(&[0x30, 0]), None);
    }
}
