//! Call-ID: the identifier shared by every message of a call or registration.

use crate::sip::charset::is_word;
use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::sws;
use crate::sip::span::Span;
use crate::sip::text::Text;

/// A Call-ID value: `word [ "@" word ]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CallId<'a> {
    /// The identifier, exactly as written (Call-IDs compare byte for byte).
    pub value: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
}

impl<'a> CallId<'a> {
    /// Parses a Call-ID header value.
    pub fn from_slice(i: &'a [u8]) -> Result<CallId<'a>, Error> {
        complete_in(i, i, "a Call-ID", parse_call_id)
    }

    /// Parses `value`, a sub-slice of `base`, with spans and errors measured from `base`.
    pub fn from_slice_in(base: &'a [u8], value: &'a [u8]) -> Result<CallId<'a>, Error> {
        complete_in(base, value, "a Call-ID", parse_call_id)
    }
}

/// Parses `word [ "@" word ]`; spans from `base`.
pub fn parse_call_id<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, CallId<'a>> {
    let start = sws(i);
    let n = start
        .iter()
        .position(|b| !(is_word(*b) || *b == b'@'))
        .unwrap_or(start.len());
    let (v, rest) = start.split_at(n);
    let ats = v.iter().filter(|b| **b == b'@').count();
    if v.is_empty() || v.first() == Some(&b'@') || v.last() == Some(&b'@') || ats > 1 {
        return expected(start, "a Call-ID (word or word@word)");
    }
    Ok((
        rest,
        CallId {
            value: Text(v),
            span: Span::of(base, v),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(
            CallId::from_slice(b" 89ec7e03-7777@192.0.2.1 ")
                .unwrap()
                .value,
            "89ec7e03-7777@192.0.2.1"
        );
        let odd = b"intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{";
        assert_eq!(CallId::from_slice(odd).unwrap().value.as_bytes(), odd);
        assert!(CallId::from_slice(b"a@b@c").is_err());
        assert!(CallId::from_slice(b"two words").is_err());
        assert!(CallId::from_slice(b"").is_err());
    }
}
