//! Media types: Content-Type (`application/sdp`, `multipart/mixed;boundary=...`) and the
//! ranges of Accept.

use crate::sip::charset::is_token;
use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::{sep, sws};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

use super::list::List;

/// A media type with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MediaType<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// Top-level type (`application`), `*` in Accept ranges.
    pub main: Text<'a>,
    /// Subtype (`sdp`).
    pub sub: Text<'a>,
    /// Parameters (`boundary`, `charset`, `version`...).
    pub params: Params<'a>,
}

impl<'a> MediaType<'a> {
    /// Parses a Content-Type value.
    pub fn from_slice(i: &'a [u8]) -> Result<MediaType<'a>, Error> {
        complete_in(i, i, "a media type", parse_media_type)
    }

    /// The items of an Accept header; spans and errors measured from `base`.
    pub fn list(base: &'a [u8], value: &'a [u8]) -> List<'a, MediaType<'a>> {
        List::new(base, value, parse_media_type)
    }

    /// True when `type/subtype` equals `ty` (case-insensitive), e.g. `"application/sdp"`.
    pub fn is(&self, ty: &str) -> bool {
        let (m, s) = ty.split_once('/').unwrap_or((ty, ""));
        self.main.eq_ignore_case(m) && self.sub.eq_ignore_case(s)
    }

    /// True for `application/sdp`.
    pub fn is_sdp(&self) -> bool {
        self.is("application/sdp")
    }

    /// True for any `multipart/*` type.
    pub fn is_multipart(&self) -> bool {
        self.main.eq_ignore_case("multipart")
    }

    /// The `boundary` parameter of a multipart type, quotes removed.
    pub fn boundary(&self) -> Option<Text<'a>> {
        self.params.get("boundary").and_then(|p| p.unquoted())
    }
}

/// Parses `m-type SLASH m-subtype *( SEMI m-parameter )`; spans from `base`.
pub fn parse_media_type<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, MediaType<'a>> {
    let start = sws(i);
    let tok = |i: &'a [u8]| -> IResult<'a, &'a [u8]> {
        let n = i.iter().position(|b| !is_token(*b)).unwrap_or(i.len());
        if n == 0 {
            return expected(i, "a media type token");
        }
        let (t, r) = i.split_at(n);
        Ok((r, t))
    };
    let (r, main) = tok(start)?;
    let (r, ()) = sep(b'/', "a slash in the media type")(r)?;
    let (r, sub) = tok(r)?;
    let (r, params) = header_params(base, r)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        MediaType {
            raw: Text(raw),
            span: Span::of(base, raw),
            main: Text(main),
            sub: Text(sub),
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        let m = MediaType::from_slice(b"multipart/mixed;boundary=7a9cbec02ceef655").unwrap();
        assert!(m.is_multipart());
        assert_eq!(m.boundary().unwrap(), "7a9cbec02ceef655");
        let m = MediaType::from_slice(b"Application/SDP").unwrap();
        assert!(m.is_sdp());
        let m = MediaType::from_slice(b"multipart/mixed; boundary=\"a b\"").unwrap();
        assert_eq!(m.boundary().unwrap(), "a b");
        let v: &[u8] = b"application/sdp, application/pkcs7-mime,\r\n        multipart/mixed";
        assert_eq!(MediaType::list(v, v).filter(Result::is_ok).count(), 3);
        assert!(MediaType::from_slice(b"sdp").is_err());
    }
}
