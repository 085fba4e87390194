//! Reason (RFC 3326): why a request was sent or a call ended (`Q.850;cause=16`).

use crate::sip::error::IResult;
use crate::sip::lexical::{sws, token};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

use super::list::List;

/// One Reason value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reason<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The protocol (`SIP`, `Q.850`...).
    pub protocol: Text<'a>,
    /// Parameters (`cause`, `text`).
    pub params: Params<'a>,
}

impl<'a> Reason<'a> {
    /// The values of a Reason header; spans and errors measured from `base`.
    pub fn list(base: &'a [u8], value: &'a [u8]) -> List<'a, Reason<'a>> {
        List::new(base, value, parse_reason)
    }

    /// The `cause` parameter (a SIP status code or a Q.850 cause).
    pub fn cause(&self) -> Option<u16> {
        self.params
            .value("cause")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }

    /// The `text` parameter, quotes removed.
    pub fn text(&self) -> Option<Text<'a>> {
        self.params.get("text").and_then(|p| p.unquoted())
    }
}

/// Parses `protocol *( SEMI reason-params )`; spans from `base`.
pub fn parse_reason<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Reason<'a>> {
    let start = sws(i);
    let (r, protocol) = token(start)?;
    let (r, params) = header_params(base, r)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        Reason {
            raw: Text(raw),
            span: Span::of(base, raw),
            protocol: Text(protocol),
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let v: &[u8] = b"Q.850;cause=16;text=\"Normal call clearing\", SIP;cause=200";
        let all: Vec<_> = Reason::list(v, v).map(Result::unwrap).collect();
        assert_eq!(all[0].protocol, "Q.850");
        assert_eq!(all[0].cause(), Some(16));
        assert_eq!(all[0].text().unwrap(), "Normal call clearing");
        assert_eq!(all[1].cause(), Some(200));
    }
}
