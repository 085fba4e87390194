//! Via: the path a request took, one value per hop, top value added by the last sender.
//!
//! Transactions are matched on the top Via's `branch` and sent-by; responses are routed back
//! through `received` and `rport` (RFC 3581).

use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::host::{Host, parse_host, parse_host_lenient};
use crate::sip::lexical::{port, sep, sws, token};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

use super::list::List;

/// The RFC 3261 branch prefix ("magic cookie").
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// The transport of a Via value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport<'a> {
    /// UDP
    Udp,
    /// TCP
    Tcp,
    /// TLS over TCP
    Tls,
    /// SCTP
    Sctp,
    /// TLS over SCTP
    TlsSctp,
    /// WebSocket (RFC 7118)
    Ws,
    /// Secure WebSocket (RFC 7118)
    Wss,
    /// Any other transport token, as written.
    Other(&'a str),
}

impl<'a> Transport<'a> {
    /// Recognises a transport token (case-insensitive).
    pub fn from_token(t: &'a str) -> Self {
        const KNOWN: [(&str, Transport<'static>); 7] = [
            ("UDP", Transport::Udp),
            ("TCP", Transport::Tcp),
            ("TLS", Transport::Tls),
            ("SCTP", Transport::Sctp),
            ("TLS-SCTP", Transport::TlsSctp),
            ("WS", Transport::Ws),
            ("WSS", Transport::Wss),
        ];
        KNOWN
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(t))
            .map_or(Transport::Other(t), |k| k.1)
    }

    /// The canonical upper-case name.
    pub fn as_str(&self) -> &'a str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
            Transport::Sctp => "SCTP",
            Transport::TlsSctp => "TLS-SCTP",
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
            Transport::Other(s) => s,
        }
    }
}

/// The `rport` parameter (RFC 3581): asked for by the client, or filled in by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rport<'a> {
    /// `;rport` without value: "please answer to the source port you see".
    Requested,
    /// `;rport=5060`: the source port the server saw.
    Port(u16),
    /// A value that is not a port number, as written.
    Invalid(Text<'a>),
}

/// One Via value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Via<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// Protocol name, normally `SIP`.
    pub protocol: Text<'a>,
    /// Protocol version, normally `2.0`.
    pub version: Text<'a>,
    /// Transport.
    pub transport: Transport<'a>,
    /// The sent-by host.
    pub host: Host<'a>,
    /// The sent-by host as written.
    pub host_raw: Text<'a>,
    /// The sent-by port, when written.
    pub port: Option<u16>,
    /// Via parameters (`branch`, `rport`, `received`, `maddr`, `ttl`, others).
    pub params: Params<'a>,
}

impl<'a> Via<'a> {
    /// Parses one Via value (not a comma list).
    pub fn from_slice(i: &'a [u8]) -> Result<Via<'a>, Error> {
        complete_in(i, i, "a Via value", parse_via)
    }

    /// The values of a Via header line, which may hold several separated by commas; spans and
    /// errors are measured from `base`.
    pub fn list(base: &'a [u8], value: &'a [u8]) -> List<'a, Via<'a>> {
        List::new(base, value, parse_via)
    }

    /// The `branch` parameter: the transaction identifier.
    pub fn branch(&self) -> Option<Text<'a>> {
        self.params.value("branch").flatten()
    }

    /// True when the branch starts with the RFC 3261 magic cookie `z9hG4bK`.
    pub fn has_magic_cookie(&self) -> bool {
        self.branch()
            .is_some_and(|b| b.as_bytes().starts_with(MAGIC_COOKIE.as_bytes()))
    }

    /// The `rport` parameter.
    pub fn rport(&self) -> Option<Rport<'a>> {
        self.params.value("rport").map(|v| match v {
            None => Rport::Requested,
            Some(t) => match t.to_str().and_then(|s| s.parse::<u16>().ok()) {
                Some(p) => Rport::Port(p),
                None => Rport::Invalid(t),
            },
        })
    }

    /// The `received` parameter as written.
    pub fn received(&self) -> Option<Text<'a>> {
        self.params.value("received").flatten()
    }

    /// The `received` parameter as a host (IPv4, IPv6 with or without brackets).
    pub fn received_host(&self) -> Option<Host<'a>> {
        self.received()
            .and_then(|t| parse_host_lenient(t.as_bytes()))
    }

    /// The `maddr` parameter.
    pub fn maddr(&self) -> Option<Text<'a>> {
        self.params.value("maddr").flatten()
    }

    /// The `ttl` parameter (0..=255).
    pub fn ttl(&self) -> Option<u8> {
        self.params
            .value("ttl")
            .flatten()
            .and_then(|t| t.to_str()?.parse().ok())
    }

    /// The sent-by as written (`host[:port]`).
    pub fn sent_by(&self) -> Text<'a> {
        self.host_raw
    }
}

/// Parses one Via value (`sent-protocol LWS sent-by *( SEMI via-params )`); spans from `base`.
pub fn parse_via<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Via<'a>> {
    let start = sws(i);
    let (r, protocol) = token(start)?;
    let (r, ()) = sep(b'/', "a slash in the Via protocol")(r)?;
    let (r, version) = token(r)?;
    let (r, ()) = sep(b'/', "a slash in the Via protocol")(r)?;
    let (r, transport) = token(r)?;
    let after = sws(r);
    if after.len() == r.len() {
        return expected(r, "white space before the Via sent-by");
    }
    let (r, host) = parse_host(after)?;
    let host_raw = after.get(..after.len() - r.len()).unwrap_or_default();
    let (r, port) = match sep(b':', "a colon")(r) {
        Ok((r2, ())) => {
            let (r3, p) = port(r2)?;
            (r3, Some(p))
        }
        Err(_) => (r, None),
    };
    let (r, params) = header_params(base, r)?;
    if let Some(b) = sws(r).first() {
        if *b != b',' {
            return expected(sws(r), "a Via parameter, a comma or the end of the header");
        }
    }
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        Via {
            raw: Text(raw),
            span: Span::of(base, raw),
            protocol: Text(protocol),
            version: Text(version),
            transport: Transport::from_token(std::str::from_utf8(transport).unwrap_or("?")),
            host,
            host_raw: Text(host_raw),
            port,
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_f1_via() {
        let v = Via::from_slice(b"SIP/2.0/UDP 192.0.2.101:5060;rport;branch=z9hG4bKPj3709e229")
            .unwrap();
        assert_eq!(v.transport, Transport::Udp);
        assert_eq!(v.port, Some(5060));
        assert_eq!(v.rport(), Some(Rport::Requested));
        assert_eq!(v.branch().unwrap(), "z9hG4bKPj3709e229");
        assert!(v.has_magic_cookie());
        let v = Via::from_slice(
            b"SIP/2.0/UDP 192.0.2.101:5060;rport=5060;received=192.0.2.7;ttl=16;maddr=224.2.0.1",
        )
        .unwrap();
        assert_eq!(v.rport(), Some(Rport::Port(5060)));
        assert_eq!(v.received().unwrap(), "192.0.2.7");
        assert_eq!(v.ttl(), Some(16));
        assert_eq!(v.maddr().unwrap(), "224.2.0.1");
    }

    #[test]
    fn torture_spacing() {
        let value: &[u8] = b"SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw";
        let v = Via::from_slice(value).unwrap();
        assert_eq!(v.protocol, "SIP");
        assert_eq!(v.version, "2.0");
        assert_eq!(v.host_raw, "192.0.2.2");
        assert!(!v.has_magic_cookie());
        let value: &[u8] = b" SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239";
        let all: Vec<_> = Via::list(value, value).collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].branch().unwrap(), "z9hG4bK9ikj8");
        assert_eq!(all[1].transport, Transport::Udp);
        assert_eq!(all[1].branch().unwrap(), "z9hG4bK30239");
    }

    #[test]
    fn ipv6_and_unknown_transport() {
        let v = Via::from_slice(
            b"SIP/2.0/UNKNOWN [2001:db8::9]:5061;branch=z9hG4bKasd0f3en;received=2001:db8::9",
        )
        .unwrap();
        assert_eq!(v.transport, Transport::Other("UNKNOWN"));
        assert!(matches!(v.host, Host::Ipv6(_)));
        assert!(matches!(v.received_host(), Some(Host::Ipv6(_))));
    }

    #[test]
    fn invalid_vias() {
        let value: &[u8] = b"SIP/2.0/UDP 192.0.2.15;;,;,,";
        let items: Vec<_> = Via::list(value, value).collect();
        assert!(items[0].is_err());
        assert!(Via::from_slice(b"SIP/2.0/UDP").is_err());
        assert!(Via::from_slice(b"SIP/2.0/UDP host:99999").is_err());
    }

    mod round_trip {
        use super::super::*;
        use crate::sip::test_gens::{header_params, host, lws, print_params};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn print_then_parse(
                transport in prop_oneof![Just("UDP".to_string()), Just("TCP".to_string()), Just("TLS".to_string()), Just("SCTP".to_string()), Just("WS".to_string()), "[A-Z]{2,8}"],
                h in host(),
                port in proptest::option::of(any::<u16>()),
                branch in "z9hG4bK[a-zA-Z0-9.!%*_+`'~-]{0,16}",
                rport in proptest::option::of(proptest::option::of(any::<u16>())),
                extra in header_params(),
                ws in lws(),
            ) {
                let mut text = format!("SIP{ws}/{ws}2.0{ws}/{ws}{transport} {h}");
                if let Some(p) = port {
                    text.push_str(&format!("{ws}:{ws}{p}"));
                }
                let mut params = vec![("branch".to_string(), Some(branch.clone()))];
                if let Some(r) = rport {
                    params.push(("rport".to_string(), r.map(|p| p.to_string())));
                }
                params.extend(extra.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("branch") && !n.eq_ignore_ascii_case("rport")).cloned());
                text.push_str(&print_params(&params, ws));
                let v = Via::from_slice(text.as_bytes()).unwrap();
                prop_assert_eq!(v.raw.as_bytes(), text.as_bytes());
                prop_assert_eq!(v.transport.as_str(), Transport::from_token(transport.as_str()).as_str());
                prop_assert_eq!(v.host_raw.to_string(), h);
                prop_assert_eq!(v.port, port);
                prop_assert_eq!(v.branch().unwrap().to_string(), branch);
                prop_assert_eq!(v.rport(), rport.map(|r| r.map_or(Rport::Requested, Rport::Port)));
                prop_assert_eq!(v.params.len(), params.len());
                // The same value twice in one header line is a two-item list.
                let two = format!("{text}{ws},{ws}{text}");
                let all: Vec<_> = Via::list(two.as_bytes(), two.as_bytes()).collect::<Result<_, _>>().unwrap();
                prop_assert_eq!(all.len(), 2);
            }
        }
    }
}
