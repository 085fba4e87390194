//! Retry-After: when to try again, with an optional comment and duration.

use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::{number_max, sws};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

/// A Retry-After value: `120 (in a meeting);duration=3600`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryAfter<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// Seconds to wait.
    pub delta: u32,
    /// The comment between parentheses, without them.
    pub comment: Option<Text<'a>>,
    /// Parameters (`duration`).
    pub params: Params<'a>,
}

impl<'a> RetryAfter<'a> {
    /// Parses a Retry-After value.
    pub fn from_slice(i: &'a [u8]) -> Result<RetryAfter<'a>, Error> {
        complete_in(i, i, "a Retry-After value", parse_retry_after)
    }

    /// The `duration` parameter in seconds.
    pub fn duration(&self) -> Option<u32> {
        self.params
            .value("duration")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }
}

/// Parses a parenthesised comment (nesting allowed), returning its inside.
fn comment(i: &[u8]) -> IResult<'_, &[u8]> {
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(&b) = i.get(pos) {
        match b {
            b'\\' => pos += 1,
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok((
                        i.get(pos + 1..).unwrap_or_default(),
                        i.get(1..pos).unwrap_or_default(),
                    ));
                }
            }
            _ => {}
        }
        pos += 1;
    }
    expected(i, "a closing parenthesis")
}

/// Parses `delta-seconds [ comment ] *( SEMI retry-param )`; spans from `base`.
pub fn parse_retry_after<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, RetryAfter<'a>> {
    let start = sws(i);
    let (r, delta) = number_max(start, u64::from(u32::MAX), "a delay in seconds")?;
    let (r, comment) = match sws(r) {
        c if c.first() == Some(&b'(') => {
            let (r, c) = comment(c)?;
            (r, Some(Text(c)))
        }
        _ => (r, None),
    };
    let (r, params) = header_params(base, r)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        RetryAfter {
            raw: Text(raw),
            span: Span::of(base, raw),
            delta: delta as u32,
            comment,
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let r = RetryAfter::from_slice(b"120 (I'm in a meeting);duration=3600").unwrap();
        assert_eq!(r.delta, 120);
        assert_eq!(r.comment.unwrap(), "I'm in a meeting");
        assert_eq!(r.duration(), Some(3600));
        assert!(RetryAfter::from_slice(b"949302838503028349304023988").is_err());
    }
}
