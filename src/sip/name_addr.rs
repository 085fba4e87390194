//! `name-addr` and `addr-spec`: the address form of From, To, Contact, Route and friends.
//!
//! `"Alice" <sip:alice@example.com>;tag=1` is a name-addr (display name, URI in angle
//! brackets, header parameters); `sip:alice@example.com;tag=1` is an addr-spec, where the
//! `;tag` belongs to the header, not to the URI.

use std::fmt;

use super::charset::{is_lws, is_token};
use super::error::{Error, IResult, complete_in, expected};
use super::lexical::{quoted_string, sws};
use super::params::{Params, header_params};
use super::span::Span;
use super::text::Text;
use super::uri::{Uri, UriContext, parse_uri};

/// An address with optional display name and header parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NameAddr<'a> {
    /// The whole value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The display name as written: a quoted string (quotes kept) or tokens.
    pub display_name: Option<Text<'a>>,
    /// The URI.
    pub uri: Uri<'a>,
    /// True for the name-addr form (`<uri>`), false for a bare addr-spec.
    pub bracketed: bool,
    /// Header parameters after the address (`tag`, `expires`, `q`...).
    pub params: Params<'a>,
}

impl<'a> NameAddr<'a> {
    /// Parses a whole header value (From, To, Refer-To...) as one address.
    pub fn from_slice(i: &'a [u8]) -> Result<NameAddr<'a>, Error> {
        complete_in(i, i, "an address", parse_name_addr)
    }

    /// Parses `value`, a sub-slice of `base`, with spans and errors measured from `base`.
    pub fn from_slice_in(base: &'a [u8], value: &'a [u8]) -> Result<NameAddr<'a>, Error> {
        complete_in(base, value, "an address", parse_name_addr)
    }

    /// The display name without quotes (escapes kept as written).
    pub fn display_name_unquoted(&self) -> Option<Text<'a>> {
        self.display_name.map(|d| d.unquoted())
    }

    /// The `tag` parameter (dialog identifier half).
    pub fn tag(&self) -> Option<Text<'a>> {
        self.params.value("tag").flatten()
    }

    /// The `expires` parameter (Contact of REGISTER).
    pub fn expires(&self) -> Option<u32> {
        self.params
            .value("expires")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }

    /// The `q` parameter (Contact preference, 0 to 1).
    pub fn q(&self) -> Option<f32> {
        self.params
            .value("q")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }
}

impl fmt::Display for NameAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.raw, f)
    }
}

/// True when `i` starts with `*(token LWS)` directly followed by `<`: a token display name.
fn token_display_len(i: &[u8]) -> Option<usize> {
    let mut pos = 0;
    let mut saw_token = false;
    while let Some(&b) = i.get(pos) {
        if b == b'<' {
            return saw_token.then_some(pos);
        }
        if is_token(b) {
            saw_token = true;
        } else if !is_lws(b) {
            return None;
        }
        pos += 1;
    }
    None
}

/// Parses a name-addr or an addr-spec followed by header parameters; spans from `base`.
pub fn parse_name_addr<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, NameAddr<'a>> {
    let start = sws(i);
    let mut display = None;
    let mut rest = start;
    if start.first() == Some(&b'"') {
        let (r, q) = quoted_string(start)?;
        display = Some(Text(q));
        rest = sws(r);
        if rest.first() != Some(&b'<') {
            return expected(rest, "a URI in angle brackets after the display name");
        }
    } else if let Some(n) = token_display_len(start) {
        let d = start.get(..n).unwrap_or_default();
        let d = d
            .get(..d.iter().rposition(|b| !is_lws(*b)).map_or(0, |p| p + 1))
            .unwrap_or(d);
        display = Some(Text(d));
        rest = start.get(n..).unwrap_or_default();
    }
    let (rest, uri, bracketed) = if let Some((b'<', inner)) = rest.split_first() {
        let (r, uri) = parse_uri(base, inner, UriContext::Full)?;
        match r.split_first() {
            Some((b'>', r)) => (r, uri, true),
            _ => return expected(r, "a closing angle bracket"),
        }
    } else {
        let (r, uri) = parse_uri(base, rest, UriContext::AddrSpec)?;
        (r, uri, false)
    };
    let (rest, params) = header_params(base, rest)?;
    let raw = start.get(..start.len() - rest.len()).unwrap_or_default();
    Ok((
        rest,
        NameAddr {
            raw: Text(raw),
            span: Span::of(base, raw),
            display_name: display,
            uri,
            bracketed,
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::uri::Scheme;

    #[test]
    fn quoted_display_name_with_escapes() {
        let v: &[u8] =
            b"\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8";
        let a = NameAddr::from_slice(v).unwrap();
        assert_eq!(a.display_name.unwrap(), "\"J Rosenberg \\\\\\\"\"");
        assert_eq!(a.display_name_unquoted().unwrap(), "J Rosenberg \\\\\\\"");
        assert_eq!(a.uri.user.unwrap(), "jdrosen");
        assert_eq!(a.tag().unwrap(), "98asjd8");
        assert!(a.bracketed);
    }

    #[test]
    fn addr_spec_params_belong_to_header() {
        let a = NameAddr::from_slice(b"sip:202@192.0.2.10;tag=41bc").unwrap();
        assert!(!a.bracketed);
        assert!(a.uri.params.is_empty());
        assert_eq!(a.tag().unwrap(), "41bc");
        assert_eq!(a.uri.scheme, Scheme::Sip);
    }

    #[test]
    fn token_display_names() {
        let a = NameAddr::from_slice(b"caller<sip:caller@example.com>;tag=323").unwrap();
        assert_eq!(a.display_name.unwrap(), "caller");
        let a =
            NameAddr::from_slice(b"token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;tag=x")
                .unwrap();
        assert_eq!(a.display_name.unwrap(), "token1~` token2'+_ token3*%!.-");
        let c = NameAddr::from_slice(b"<sip:202@192.0.2.10:5060>;expires=60;q=0.5").unwrap();
        assert_eq!(c.expires(), Some(60));
        assert_eq!(c.q(), Some(0.5));
    }

    #[test]
    fn invalid_forms() {
        assert!(NameAddr::from_slice(b"\"Mr. J. User <sip:j.user@example.com>").is_err());
        assert!(NameAddr::from_slice(b"\"Watson, Thomas\" < sip:t.watson@example.org >").is_err());
        assert!(
            NameAddr::from_slice(b"Bell, Alexander <sip:a.g.bell@example.com>;tag=43").is_err()
        );
        assert!(
            NameAddr::from_slice(b"sip:user@example.com?Route=%3Csip:sip.example.com%3E").is_err()
        );
        assert!(NameAddr::from_slice(b"\"Joe\" <sip:joe@example.org>;;;;").is_err());
    }

    mod round_trip {
        use super::super::*;
        use crate::sip::test_gens::{header_params, lws, print_params, sip_uri};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn print_then_parse(
                bracketed in any::<bool>(),
                display in proptest::option::of(prop_oneof![
                    "[a-zA-Z0-9 ,;<>@:\\\\]{0,12}".prop_map(|d| format!("\"{}\"", d.replace('\\', "\\\\"))),
                    "[a-zA-Z0-9.!%*_+`'~-]{1,8}( [a-zA-Z0-9.!%*_+`'~-]{1,8}){0,2}",
                ]),
                full_uri in sip_uri(true),
                bare_uri in sip_uri(false),
                tag in proptest::option::of("[a-zA-Z0-9.!%*_+`'~-]{1,16}"),
                extra in header_params(),
                ws in lws(),
            ) {
                let display = if bracketed { display } else { None };
                let uri = if bracketed { full_uri.print() } else { bare_uri.print() };
                let mut text = String::new();
                if let Some(d) = &display {
                    text.push_str(d);
                    text.push(' ');
                }
                if bracketed {
                    text.push('<');
                    text.push_str(&uri);
                    text.push('>');
                } else {
                    text.push_str(&uri);
                }
                let mut params: Vec<_> = extra.into_iter().filter(|(n, _)| !n.eq_ignore_ascii_case("tag")).collect();
                if let Some(t) = &tag {
                    params.insert(0, ("tag".to_string(), Some(t.clone())));
                }
                text.push_str(&print_params(&params, ws));
                let a = NameAddr::from_slice(text.as_bytes()).unwrap();
                prop_assert_eq!(a.raw.as_bytes(), text.as_bytes());
                prop_assert_eq!(a.bracketed, bracketed);
                prop_assert_eq!(a.display_name.map(|d| d.to_string()), display);
                prop_assert_eq!(a.uri.raw.to_string(), uri);
                prop_assert_eq!(a.tag().map(|t| t.to_string()), tag);
                prop_assert_eq!(a.params.len(), params.len());
            }
        }
    }
}
