//! CSeq: the sequence number and method that order requests within a dialog.

use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::{number_max, sws, token};
use crate::sip::method::Method;
use crate::sip::span::Span;
use crate::sip::text::Text;

/// The largest CSeq number: RFC 3261 §8.1.1.5 requires it to be below 2^31.
pub const MAX_CSEQ: u32 = (1 << 31) - 1;

/// A CSeq value: `21002 REGISTER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CSeq<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The sequence number.
    pub seq: u32,
    /// The method of the request this CSeq belongs to.
    pub method: Method<'a>,
}

impl<'a> CSeq<'a> {
    /// Parses a CSeq header value.
    pub fn from_slice(i: &'a [u8]) -> Result<CSeq<'a>, Error> {
        complete_in(i, i, "a CSeq value", parse_cseq)
    }

    /// Parses `value`, a sub-slice of `base`, with spans and errors measured from `base`.
    pub fn from_slice_in(base: &'a [u8], value: &'a [u8]) -> Result<CSeq<'a>, Error> {
        complete_in(base, value, "a CSeq value", parse_cseq)
    }
}

/// Parses `1*DIGIT LWS Method`; spans from `base`.
pub fn parse_cseq<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, CSeq<'a>> {
    let start = sws(i);
    let (r, seq) = number_max(start, u64::from(MAX_CSEQ), "a CSeq sequence number")?;
    let m = sws(r);
    if m.len() == r.len() {
        return expected(r, "white space before the CSeq method");
    }
    let (r, method) = token(m)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        CSeq {
            raw: Text(raw),
            span: Span::of(base, raw),
            seq: u32::try_from(seq).unwrap_or(MAX_CSEQ),
            method: Method::from_token(std::str::from_utf8(method).unwrap_or("?")),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let c = CSeq::from_slice(b"21002 REGISTER").unwrap();
        assert_eq!((c.seq, c.method), (21002, Method::Register));
        let c = CSeq::from_slice(b"0009\r\n  INVITE").unwrap();
        assert_eq!((c.seq, c.method), (9, Method::Invite));
        let c = CSeq::from_slice(b"29344 RE%47IST%45R").unwrap();
        assert_eq!(c.method, Method::Other("RE%47IST%45R"));
        assert!(CSeq::from_slice(b"36893488147419103232 REGISTER").is_err());
        assert!(CSeq::from_slice(b"2147483648 INVITE").is_err());
        assert!(CSeq::from_slice(b"1INVITE").is_err());
        assert!(CSeq::from_slice(b"1 INVITE x").is_err());
    }
}
