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

    mod round_trip {
        use super::super::*;
        use crate::sip::test_gens::lws;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn print_then_parse(
                seq in 0..=MAX_CSEQ,
                zeros in 0usize..3,
                method in prop_oneof![Just("INVITE".to_string()), Just("ACK".to_string()), Just("REGISTER".to_string()), Just("BYE".to_string()), "[A-Za-z!%*_+`'~.-]{1,12}"],
                ws in lws(),
            ) {
                let text = format!("{ws}{}{seq} {ws}{method}{ws}", "0".repeat(zeros));
                let c = CSeq::from_slice(text.as_bytes()).unwrap();
                prop_assert_eq!(c.seq, seq);
                prop_assert_eq!(c.method.as_str(), method.as_str());
                prop_assert_eq!(c.method, Method::from_token(&method));
            }

            #[test]
            fn too_large_is_an_error(seq in (u64::from(MAX_CSEQ) + 1)..u64::MAX) {
                let text = format!("{seq} INVITE");
                prop_assert!(CSeq::from_slice(text.as_bytes()).is_err());
            }
        }
    }
}
