//! Hosts in URIs and Via sent-by: names, IPv4 addresses and bracketed IPv6 references.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::charset::is_host;
use super::error::{IResult, expected};
use super::text::Text;

/// A host as found in a SIP URI or a Via header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host<'a> {
    /// A domain name (not resolved).
    Name(Text<'a>),
    /// A dotted IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 reference, written `[...]` in SIP.
    Ipv6(Ipv6Addr),
}

impl Host<'_> {
    /// The address when the host is a literal IP address.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Host::Name(_) => None,
            Host::Ipv4(a) => Some(IpAddr::V4(*a)),
            Host::Ipv6(a) => Some(IpAddr::V6(*a)),
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => write!(f, "{n}"),
            Host::Ipv4(a) => write!(f, "{a}"),
            Host::Ipv6(a) => write!(f, "[{a}]"),
        }
    }
}

/// Parses `host = hostname / IPv4address / IPv6reference`.
///
/// Names are accepted leniently (letters, digits, `-`, `.`, and `_` which real devices use);
/// an all-numeric dotted name that is not a valid IPv4 address is an error.
pub fn parse_host(i: &[u8]) -> IResult<'_, Host<'_>> {
    if i.first() == Some(&b'[') {
        let Some(close) = i.iter().position(|b| *b == b']') else {
            return expected(i, "a closing bracket after an IPv6 address");
        };
        let inner = i.get(1..close).unwrap_or_default();
        let rest = i.get(close + 1..).unwrap_or_default();
        return match std::str::from_utf8(inner)
            .ok()
            .and_then(|s| s.parse::<Ipv6Addr>().ok())
        {
            Some(a) => Ok((rest, Host::Ipv6(a))),
            None => expected(i, "an IPv6 address"),
        };
    }
    let n = i
        .iter()
        .position(|b| !(is_host(*b) || *b == b'_'))
        .unwrap_or(i.len());
    if n == 0 {
        return expected(i, "a host");
    }
    let (h, rest) = i.split_at(n);
    if h.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return match std::str::from_utf8(h)
            .ok()
            .and_then(|s| s.parse::<Ipv4Addr>().ok())
        {
            Some(a) => Ok((rest, Host::Ipv4(a))),
            None => expected(i, "an IPv4 address"),
        };
    }
    Ok((rest, Host::Name(Text(h))))
}

/// Parses a host that may also be a bare IPv6 address (as in `received=2001:db8::1`).
pub fn parse_host_lenient(i: &[u8]) -> Option<Host<'_>> {
    if let Ok((rest, h)) = parse_host(i) {
        if rest.is_empty() {
            return Some(h);
        }
    }
    std::str::from_utf8(i)
        .ok()
        .and_then(|s| s.parse::<Ipv6Addr>().ok())
        .map(Host::Ipv6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            parse_host(b"192.0.2.1:5060").unwrap().1,
            Host::Ipv4(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert!(matches!(
            parse_host(b"[2001:db8::1]:5060").unwrap(),
            (b":5060", Host::Ipv6(_))
        ));
        assert_eq!(
            parse_host(b"example.com;x").unwrap().1,
            Host::Name(Text(b"example.com"))
        );
        assert!(parse_host(b"300.1.1.1").is_err());
        assert!(parse_host(b"[2001:db8::1").is_err());
        assert!(parse_host_lenient(b"2001:db8::9").is_some());
    }
}
