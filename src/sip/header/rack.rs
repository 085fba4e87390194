//! RAck (RFC 3262): which reliable provisional response a PRACK acknowledges.

use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::{number_max, sws, token};
use crate::sip::method::Method;
use crate::sip::span::Span;
use crate::sip::text::Text;

/// An RAck value: `RSeq CSeq-number Method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RAck<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The RSeq of the acknowledged response.
    pub rseq: u32,
    /// The CSeq number of the acknowledged response.
    pub cseq: u32,
    /// The CSeq method of the acknowledged response.
    pub method: Method<'a>,
}

impl<'a> RAck<'a> {
    /// Parses an RAck value.
    pub fn from_slice(i: &'a [u8]) -> Result<RAck<'a>, Error> {
        complete_in(i, i, "an RAck value", parse_rack)
    }
}

/// Parses `response-num LWS CSeq-num LWS Method`; spans from `base`.
pub fn parse_rack<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, RAck<'a>> {
    let start = sws(i);
    let (r, rseq) = number_max(start, u64::from(u32::MAX), "an RSeq number")?;
    let s = sws(r);
    if s.len() == r.len() {
        return expected(r, "white space in RAck");
    }
    let (r, cseq) = number_max(s, u64::from(u32::MAX), "a CSeq number")?;
    let s = sws(r);
    if s.len() == r.len() {
        return expected(r, "white space in RAck");
    }
    let (r, m) = token(s)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        RAck {
            raw: Text(raw),
            span: Span::of(base, raw),
            rseq: rseq as u32,
            cseq: cseq as u32,
            method: Method::from_token(std::str::from_utf8(m).unwrap_or("?")),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let r = RAck::from_slice(b"776656 1 INVITE").unwrap();
        assert_eq!((r.rseq, r.cseq, r.method), (776656, 1, Method::Invite));
        assert!(RAck::from_slice(b"1 INVITE").is_err());
    }
}
