/*!
Encapsulations: the headers that wrap a packet inside another one on mirrored ports, in
mobile cores and in monitoring feeds. Each is one small decoder that, given the bytes after
its outer layer, says what comes next ([`Layer`]) and notes itself on the packet's outer path.

The decoder follows them nested in any order, up to [`MAX_DEPTH`] layers: a packet with more is
reported and skipped rather than followed until the stack runs out.
*/

pub mod gre;
pub mod gtpu;
pub mod hep;
pub mod mpls;
pub mod ppp;
pub mod pppoe;
pub mod pptp;
pub mod vxlan;

use std::fmt;
use std::net::IpAddr;

/// Encapsulation layers followed in one packet before it is given up as hostile or broken.
pub const MAX_DEPTH: usize = 16;

/// What the bytes that follow a header are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer<'a> {
    /// An Ethernet II frame (possibly VLAN-tagged).
    Ethernet(&'a [u8]),
    /// A payload announced by an EtherType.
    EtherType(u16, &'a [u8]),
    /// An IPv4 or IPv6 packet (the version nibble says which).
    Ip(&'a [u8]),
}

/// The kinds of outer layers a SIP message can be found under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncapKind {
    /// IPv4 or IPv6 inside IPv4 or IPv6 (protocols 4 and 41).
    IpInIp,
    /// GRE (RFC 2784/2890).
    Gre,
    /// Cisco ERSPAN type I/II/III, inside GRE.
    Erspan,
    /// PPPoE session and PPP.
    Pppoe,
    /// PPTP: enhanced GRE (version 1) and PPP (RFC 2637).
    Pptp,
    /// MPLS label stack.
    Mpls,
    /// VXLAN (RFC 7348).
    Vxlan,
    /// GTP-U (3GPP TS 29.281).
    GtpU,
    /// HEP v2/v3, the Homer capture protocol.
    Hep,
}

impl fmt::Display for EncapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EncapKind::IpInIp => "IP-in-IP",
            EncapKind::Gre => "GRE",
            EncapKind::Erspan => "ERSPAN",
            EncapKind::Pppoe => "PPPoE",
            EncapKind::Pptp => "PPTP",
            EncapKind::Mpls => "MPLS",
            EncapKind::Vxlan => "VXLAN",
            EncapKind::GtpU => "GTP-U",
            EncapKind::Hep => "HEP",
        })
    }
}

/// One outer layer a message was found under: its kind, the addresses of the packet that
/// carried it, and its identifier (GRE key, VNI, TEID, MPLS label, PPPoE session, PPTP call ID,
/// HEP agent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OuterLayer {
    /// Which encapsulation.
    pub kind: EncapKind,
    /// Source address of the carrying IP packet, when there is one.
    pub src: Option<IpAddr>,
    /// Destination address of the carrying IP packet.
    pub dst: Option<IpAddr>,
    /// The encapsulation's own identifier, when it has one.
    pub id: Option<u32>,
}

impl fmt::Display for OuterLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(id) = self.id {
            write!(f, " {id}")?;
        }
        if let (Some(src), Some(dst)) = (self.src, self.dst) {
            write!(f, " ({src} -> {dst})")?;
        }
        Ok(())
    }
}

/// Reads a big-endian u16 at `at`, if present.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Reads a big-endian u32 at `at`, if present.
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}
