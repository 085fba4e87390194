//! URIs: SIP and SIPS URIs parsed into their parts, `tel:` numbers, other schemes kept raw.

use std::fmt;

use super::charset::{is_hnv, is_lws, is_password, is_user};
use super::error::{Error, IResult, complete, expected};
use super::host::{Host, parse_host};
use super::lexical::port;
use super::params::{Params, ParamsKind, uri_params};
use super::span::Span;
use super::text::Text;

/// A URI scheme; known ones by name, anything else kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme<'a> {
    /// `sip:`
    Sip,
    /// `sips:` (TLS required end to end).
    Sips,
    /// `tel:` (RFC 3966 telephone number).
    Tel,
    /// Any other scheme (`urn:`, `mailto:`, `http:`...), as written.
    Other(&'a str),
}

impl fmt::Display for Scheme<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Sip => "sip",
            Scheme::Sips => "sips",
            Scheme::Tel => "tel",
            Scheme::Other(s) => s,
        })
    }
}

/// Where a URI appears, which decides where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriContext {
    /// A Request-URI or a URI inside `<...>`: parameters and headers belong to the URI.
    Full,
    /// A bare `addr-spec` in a header: `;` starts header parameters, so the URI has none.
    AddrSpec,
}

/// A parsed URI, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uri<'a> {
    /// The URI as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The scheme.
    pub scheme: Scheme<'a>,
    /// The user part (SIP/SIPS) or the subscriber number (tel), escapes kept as written.
    pub user: Option<Text<'a>>,
    /// The password of a SIP URI (deprecated but legal).
    pub password: Option<Text<'a>>,
    /// The host of a SIP or SIPS URI.
    pub host: Option<Host<'a>>,
    /// The host as written (brackets kept for IPv6).
    pub host_raw: Option<Text<'a>>,
    /// The port, when written.
    pub port: Option<u16>,
    /// URI parameters (`;transport=tcp;lr`).
    pub params: Params<'a>,
    /// The headers part after `?`, as written (`Route=%3Csip:...%3E`).
    pub headers: Option<Text<'a>>,
}

impl<'a> Uri<'a> {
    /// Parses a whole slice as a URI (Request-URI rules: parameters and headers allowed).
    pub fn from_slice(i: &'a [u8]) -> Result<Uri<'a>, Error> {
        complete(i, "a URI", |i| parse_uri(i, i, UriContext::Full))
    }

    /// True for `sip:` and `sips:` URIs.
    pub fn is_sip(&self) -> bool {
        matches!(self.scheme, Scheme::Sip | Scheme::Sips)
    }

    /// The `transport` URI parameter.
    pub fn transport(&self) -> Option<Text<'a>> {
        self.params.value("transport").flatten()
    }

    /// True when the `lr` (loose routing) parameter is present.
    pub fn lr(&self) -> bool {
        self.params.contains("lr")
    }

    /// The `user` URI parameter (`phone` for telephone numbers).
    pub fn user_param(&self) -> Option<Text<'a>> {
        self.params.value("user").flatten()
    }

    /// The `maddr` URI parameter.
    pub fn maddr(&self) -> Option<Text<'a>> {
        self.params.value("maddr").flatten()
    }
}

impl fmt::Display for Uri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.raw, f)
    }
}

fn scheme(i: &[u8]) -> IResult<'_, &[u8]> {
    let ok_first = i.first().is_some_and(u8::is_ascii_alphabetic);
    let n = i
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .unwrap_or(i.len());
    if !ok_first || i.get(n) != Some(&b':') {
        return expected(i, "a URI scheme followed by a colon");
    }
    let (s, rest) = i.split_at(n);
    Ok((rest.get(1..).unwrap_or_default(), s))
}

/// Parses a URI starting at `i`; spans are measured from `base`.
///
/// In [`UriContext::Full`] the URI runs to the first white space or `>`; in
/// [`UriContext::AddrSpec`] it also stops at `;`, `?` and `,`.
pub fn parse_uri<'a>(base: &'a [u8], i: &'a [u8], ctx: UriContext) -> IResult<'a, Uri<'a>> {
    let start = i;
    let (rest, s) = scheme(i)?;
    let sch = if s.eq_ignore_ascii_case(b"sip") {
        Scheme::Sip
    } else if s.eq_ignore_ascii_case(b"sips") {
        Scheme::Sips
    } else if s.eq_ignore_ascii_case(b"tel") {
        Scheme::Tel
    } else {
        Scheme::Other(std::str::from_utf8(s).unwrap_or("?"))
    };
    let (rest, mut uri) = match sch {
        Scheme::Sip | Scheme::Sips => sip_rest(base, rest, ctx)?,
        _ => other_rest(base, rest, ctx, sch == Scheme::Tel)?,
    };
    uri.scheme = sch;
    let raw = start.get(..start.len() - rest.len()).unwrap_or_default();
    uri.raw = Text(raw);
    uri.span = Span::of(base, raw);
    Ok((rest, uri))
}

fn blank<'a>(base: &'a [u8], at: &'a [u8]) -> Uri<'a> {
    Uri {
        raw: Text(&[]),
        span: Span::default(),
        scheme: Scheme::Sip,
        user: None,
        password: None,
        host: None,
        host_raw: None,
        port: None,
        params: Params::empty(ParamsKind::Uri, Span::of(base, at).start),
        headers: None,
    }
}

fn sip_rest<'a>(base: &'a [u8], i: &'a [u8], ctx: UriContext) -> IResult<'a, Uri<'a>> {
    let mut uri = blank(base, i);
    // userinfo: the first '@' reached through user and password characters.
    let scan = i
        .iter()
        .position(|b| !(is_user(*b) || is_password(*b) || *b == b':'));
    let mut rest = i;
    if let Some(at) = scan {
        if i.get(at) == Some(&b'@') {
            let info = i.get(..at).unwrap_or_default();
            let (user, password) = match info.iter().position(|b| *b == b':') {
                Some(c) => (info.get(..c).unwrap_or_default(), info.get(c + 1..)),
                None => (info, None),
            };
            if user.is_empty() || !user.iter().all(|b| is_user(*b)) {
                return expected(i, "a URI user part");
            }
            if let Some(p) = password {
                if !p.iter().all(|b| is_password(*b)) {
                    return expected(i, "a URI password");
                }
            }
            uri.user = Some(Text(user));
            uri.password = password.map(Text);
            rest = i.get(at + 1..).unwrap_or_default();
        }
    }
    let before_host = rest;
    let (r, host) = parse_host(rest)?;
    uri.host = Some(host);
    uri.host_raw = Some(Text(
        before_host
            .get(..before_host.len() - r.len())
            .unwrap_or_default(),
    ));
    rest = r;
    if let Some((b':', r)) = rest.split_first() {
        let (r, p) = port(r)?;
        uri.port = Some(p);
        rest = r;
    }
    if ctx == UriContext::Full {
        let (r, params) = uri_params(base, rest)?;
        uri.params = params;
        rest = r;
        if let Some((b'?', r)) = rest.split_first() {
            let n = r
                .iter()
                .position(|b| !(is_hnv(*b) || matches!(b, b'=' | b'&')))
                .unwrap_or(r.len());
            let (h, r) = r.split_at(n);
            uri.headers = Some(Text(h));
            rest = r;
        }
    } else {
        uri.params = Params::empty(ParamsKind::Uri, Span::of(base, rest).start);
    }
    Ok((rest, uri))
}

fn other_rest<'a>(base: &'a [u8], i: &'a [u8], ctx: UriContext, tel: bool) -> IResult<'a, Uri<'a>> {
    let mut uri = blank(base, i);
    let stop = |b: &u8| {
        is_lws(*b)
            || *b == b'>'
            || (ctx == UriContext::AddrSpec && matches!(b, b';' | b',' | b'?'))
            || (tel && matches!(b, b';' | b'?'))
    };
    let n = i.iter().position(stop).unwrap_or(i.len());
    if n == 0 {
        return expected(i, "the body of a URI");
    }
    let (body, mut rest) = i.split_at(n);
    if tel {
        uri.user = Some(Text(body));
        if ctx == UriContext::Full {
            let (r, params) = uri_params(base, rest)?;
            uri.params = params;
            rest = r;
        }
    }
    Ok((rest, uri))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn sip_uri_parts() {
        let u =
            Uri::from_slice(b"sip:alice:secret@192.0.2.1:5070;transport=tcp;lr?subject=x").unwrap();
        assert_eq!(u.scheme, Scheme::Sip);
        assert_eq!(u.user.unwrap(), "alice");
        assert_eq!(u.password.unwrap(), "secret");
        assert_eq!(u.host, Some(Host::Ipv4(Ipv4Addr::new(192, 0, 2, 1))));
        assert_eq!(u.port, Some(5070));
        assert_eq!(u.transport().unwrap(), "tcp");
        assert!(u.lr());
        assert_eq!(u.headers.unwrap(), "subject=x");
    }

    #[test]
    fn torture_user_parts() {
        let u = Uri::from_slice(
            b"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
        )
        .unwrap();
        assert_eq!(
            u.user.unwrap(),
            "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
        );
        assert_eq!(
            u.password.unwrap(),
            "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
        );
        assert_eq!(u.host_raw.unwrap(), "example.com");
        let u = Uri::from_slice(b"sip:user;par=u%40example.net@example.com").unwrap();
        assert_eq!(u.user.unwrap(), "user;par=u%40example.net");
        assert!(u.params.is_empty());
    }

    #[test]
    fn ipv6_tel_and_others() {
        let u = Uri::from_slice(b"sips:[2001:db8::10]:5061").unwrap();
        assert!(matches!(u.host, Some(Host::Ipv6(_))));
        assert_eq!(u.port, Some(5061));
        let t = Uri::from_slice(b"tel:+1-201-555-0123;phone-context=example.com").unwrap();
        assert_eq!(t.scheme, Scheme::Tel);
        assert_eq!(t.user.unwrap(), "+1-201-555-0123");
        assert!(t.params.contains("phone-context"));
        let o = Uri::from_slice(b"urn:service:sos").unwrap();
        assert_eq!(o.scheme, Scheme::Other("urn"));
        assert!(Uri::from_slice(b"<sip:user@example.com>").is_err());
        assert!(Uri::from_slice(b"sip:user@example.com; lr").is_err());
    }

    #[test]
    fn addr_spec_stops_at_semicolon() {
        let v: &[u8] = b"sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n";
        let (rest, u) = parse_uri(v, v, UriContext::AddrSpec).unwrap();
        assert_eq!(u.raw, "sip:vivekg@chair-dnrc.example.com");
        assert_eq!(rest, b" ;   tag    = 1918181833n");
        assert_eq!(u.span, Span::new(0, 33));
    }

    mod round_trip {
        use super::super::*;
        use crate::sip::test_gens::sip_uri;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn print_then_parse(g in sip_uri(true)) {
                let text = g.print();
                let u = Uri::from_slice(text.as_bytes()).unwrap();
                prop_assert_eq!(u.raw.as_bytes(), text.as_bytes());
                prop_assert_eq!(u.scheme, if g.sips { Scheme::Sips } else { Scheme::Sip });
                prop_assert_eq!(u.user.map(|t| t.to_string()), g.user.clone());
                prop_assert_eq!(u.password.map(|t| t.to_string()), g.password.clone());
                prop_assert_eq!(u.host_raw.unwrap().to_string(), g.host.clone());
                prop_assert_eq!(u.port, g.port);
                let params: Vec<_> = u.params.iter()
                    .map(|p| (p.name.to_string(), p.value.map(|v| v.to_string())))
                    .collect();
                prop_assert_eq!(params, g.params.clone());
                prop_assert_eq!(u.headers.map(|t| t.to_string()), g.headers.clone());
            }

            #[test]
            fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
                let _ = Uri::from_slice(&b);
            }
        }
    }
}
