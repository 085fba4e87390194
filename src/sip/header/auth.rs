//! Authentication headers: challenges (WWW-Authenticate, Proxy-Authenticate) and credentials
//! (Authorization, Proxy-Authorization), Digest or any other scheme.

use crate::sip::charset::{is_lws, is_token};
use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::{quoted_string, sep, sws, token, trim};
use crate::sip::span::Span;
use crate::sip::text::Text;

/// A challenge or credentials: a scheme and its comma-separated `name=value` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Auth<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The scheme (`Digest`, `Bearer`...).
    pub scheme: Text<'a>,
    /// Everything after the scheme, as written.
    pub rest: Text<'a>,
    params_ok: bool,
}

/// A challenge (WWW-Authenticate, Proxy-Authenticate).
pub type Challenge<'a> = Auth<'a>;
/// Credentials (Authorization, Proxy-Authorization).
pub type Credentials<'a> = Auth<'a>;

/// One `name=value` authentication parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuthParam<'a> {
    /// The parameter name.
    pub name: Text<'a>,
    /// The value as written (quotes kept).
    pub value: Text<'a>,
}

impl<'a> AuthParam<'a> {
    /// The value without quotes.
    pub fn unquoted(&self) -> Text<'a> {
        self.value.unquoted()
    }
}

impl<'a> Auth<'a> {
    /// Parses an authentication header value.
    ///
    /// Schemes other than Digest may carry a token68 blob instead of parameters; such values
    /// are accepted and [`Auth::params`] is then empty.
    pub fn from_slice(i: &'a [u8]) -> Result<Auth<'a>, Error> {
        complete_in(i, i, "an authentication value", parse_auth)
    }

    /// True for the Digest scheme (RFC 3261 §22.4, RFC 8760).
    pub fn is_digest(&self) -> bool {
        self.scheme.eq_ignore_case("Digest")
    }

    /// The parameters in order (empty for token68 values).
    pub fn params(&self) -> AuthParams<'a> {
        AuthParams {
            rest: if self.params_ok {
                self.rest.as_bytes()
            } else {
                &[]
            },
            first: true,
        }
    }

    /// The unquoted value of parameter `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<Text<'a>> {
        self.params()
            .find(|p| p.name.eq_ignore_case(name))
            .map(|p| p.unquoted())
    }

    /// `realm`: the protection domain.
    pub fn realm(&self) -> Option<Text<'a>> {
        self.param("realm")
    }
    /// `nonce`: the server's one-time value.
    pub fn nonce(&self) -> Option<Text<'a>> {
        self.param("nonce")
    }
    /// `qop`: quality of protection (`auth`, `auth-int`).
    pub fn qop(&self) -> Option<Text<'a>> {
        self.param("qop")
    }
    /// `algorithm` (`MD5`, `SHA-256`...).
    pub fn algorithm(&self) -> Option<Text<'a>> {
        self.param("algorithm")
    }
    /// `opaque`: data the client must echo.
    pub fn opaque(&self) -> Option<Text<'a>> {
        self.param("opaque")
    }
    /// `stale`: true when only the nonce was too old.
    pub fn stale(&self) -> Option<bool> {
        self.param("stale").map(|v| v.eq_ignore_case("true"))
    }
    /// `username`.
    pub fn username(&self) -> Option<Text<'a>> {
        self.param("username")
    }
    /// `uri`: the digest URI.
    pub fn uri(&self) -> Option<Text<'a>> {
        self.param("uri")
    }
    /// `response`: the computed digest.
    pub fn response(&self) -> Option<Text<'a>> {
        self.param("response")
    }
    /// `cnonce`: the client nonce.
    pub fn cnonce(&self) -> Option<Text<'a>> {
        self.param("cnonce")
    }
    /// `nc`: the nonce count.
    pub fn nc(&self) -> Option<Text<'a>> {
        self.param("nc")
    }
}

/// Iterator over the parameters of an [`Auth`] value.
#[derive(Debug, Clone)]
pub struct AuthParams<'a> {
    rest: &'a [u8],
    first: bool,
}

impl<'a> Iterator for AuthParams<'a> {
    type Item = AuthParam<'a>;

    fn next(&mut self) -> Option<AuthParam<'a>> {
        let i = if self.first {
            sws(self.rest)
        } else {
            sep(b',', "a comma")(self.rest).ok()?.0
        };
        self.first = false;
        if i.is_empty() {
            return None;
        }
        match auth_param(i) {
            Ok((r, p)) => {
                self.rest = r;
                Some(p)
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}

fn auth_param(i: &[u8]) -> IResult<'_, AuthParam<'_>> {
    let (r, name) = token(i)?;
    let (r, ()) = sep(b'=', "an equals sign")(r)?;
    let (r, value) = if r.first() == Some(&b'"') {
        quoted_string(r)?
    } else {
        let n = r
            .iter()
            .position(|b| !(is_token(*b) || matches!(b, b'/' | b':')))
            .unwrap_or(r.len());
        if n == 0 {
            return expected(r, "an authentication parameter value");
        }
        let (v, r) = r.split_at(n);
        (r, v)
    };
    Ok((
        r,
        AuthParam {
            name: Text(name),
            value: Text(value),
        },
    ))
}

fn params_valid(mut i: &[u8]) -> IResult<'_, ()> {
    let mut first = true;
    loop {
        let j = if first {
            sws(i)
        } else {
            sep(b',', "a comma between authentication parameters")(i)?.0
        };
        first = false;
        if j.is_empty() {
            return Ok((j, ()));
        }
        i = auth_param(j)?.0;
        if sws(i).is_empty() {
            return Ok((sws(i), ()));
        }
    }
}

/// Parses `auth-scheme LWS auth-param *(COMMA auth-param)` (or a token68 blob for schemes
/// other than Digest); spans from `base`.
pub fn parse_auth<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Auth<'a>> {
    let start = sws(i);
    let (r, scheme) = token(start)?;
    if !r.is_empty() && !r.first().is_some_and(|b| is_lws(*b)) {
        return expected(r, "white space after the authentication scheme");
    }
    let rest = sws(r);
    let end = rest.iter().rposition(|b| !is_lws(*b)).map_or(0, |p| p + 1);
    let rest = rest.get(..end).unwrap_or_default();
    let params_ok = match params_valid(rest) {
        Ok(_) => true,
        Err(e) => {
            let digest = scheme.eq_ignore_ascii_case(b"Digest");
            let token68 = !rest.is_empty()
                && rest.iter().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
                });
            if digest || !(token68 || rest.is_empty()) {
                return Err(e);
            }
            false
        }
    };
    let raw = trim(start);
    let after = start.get(start.len()..).unwrap_or_default();
    Ok((
        after,
        Auth {
            raw: Text(raw),
            span: Span::of(base, raw),
            scheme: Text(scheme),
            rest: Text(rest),
            params_ok,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_challenge() {
        let a = Auth::from_slice(b"Digest realm=\"192.0.2.10\", nonce=\"U9PVz1PT1KMLCPDjscFFepG0TUAF67/E\", qop=\"auth\"").unwrap();
        assert!(a.is_digest());
        assert_eq!(a.realm().unwrap(), "192.0.2.10");
        assert_eq!(a.nonce().unwrap(), "U9PVz1PT1KMLCPDjscFFepG0TUAF67/E");
        assert_eq!(a.qop().unwrap(), "auth");
        assert_eq!(a.params().count(), 3);
    }

    #[test]
    fn credentials() {
        let a = Auth::from_slice(
            b"Digest username=\"202\",realm=\"r\",nonce=\"n\",uri=\"sip:r\",response=\"abc\",\r\n algorithm=MD5,cnonce=\"c\",qop=auth,nc=00000001,opaque=\"o\",stale=TRUE",
        )
        .unwrap();
        assert_eq!(a.username().unwrap(), "202");
        assert_eq!(a.uri().unwrap(), "sip:r");
        assert_eq!(a.response().unwrap(), "abc");
        assert_eq!(a.algorithm().unwrap(), "MD5");
        assert_eq!(a.cnonce().unwrap(), "c");
        assert_eq!(a.nc().unwrap(), "00000001");
        assert_eq!(a.opaque().unwrap(), "o");
        assert_eq!(a.stale(), Some(true));
    }

    #[test]
    fn other_schemes() {
        let a = Auth::from_slice(b"Bearer eyJhbGciOi.eyJzdWIi.SflKxw==").unwrap();
        assert_eq!(a.scheme, "Bearer");
        assert_eq!(a.params().count(), 0);
        let a = Auth::from_slice(b"NoOneKnowsThisScheme opaque-data=here").unwrap();
        assert_eq!(a.param("opaque-data").unwrap(), "here");
        assert!(Auth::from_slice(b"Digest realm=").is_err());
    }
}
