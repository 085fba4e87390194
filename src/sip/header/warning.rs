//! Warning: extra information about a response's failure (`307 isi.edu "Session parameter
//! 'foo' not understood"`).

use crate::sip::charset::is_lws;
use crate::sip::error::{IResult, expected};
use crate::sip::lexical::{number_max, quoted_string, sws};
use crate::sip::span::Span;
use crate::sip::text::Text;

use super::list::List;

/// One Warning value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Warning<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The three-digit warning code.
    pub code: u16,
    /// The agent that added the warning (host or pseudonym).
    pub agent: Text<'a>,
    /// The warning text, quotes removed.
    pub text: Text<'a>,
}

impl<'a> Warning<'a> {
    /// The values of a Warning header; spans and errors measured from `base`.
    pub fn list(base: &'a [u8], value: &'a [u8]) -> List<'a, Warning<'a>> {
        List::new(base, value, parse_warning)
    }
}

/// Parses `warn-code SP warn-agent SP warn-text`; spans from `base`.
pub fn parse_warning<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Warning<'a>> {
    let start = sws(i);
    let n = start.iter().take_while(|b| b.is_ascii_digit()).count();
    if n != 3 {
        return expected(start, "a three-digit warning code");
    }
    let (r, code) = number_max(start, 999, "a warning code")?;
    let a = sws(r);
    if a.len() == r.len() {
        return expected(r, "white space after the warning code");
    }
    let m = a.iter().position(|b| is_lws(*b)).unwrap_or(a.len());
    let (agent, r) = a.split_at(m);
    let (r, text) = quoted_string(sws(r))?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        Warning {
            raw: Text(raw),
            span: Span::of(base, raw),
            code: code as u16,
            agent: Text(agent),
            text: Text(text).unquoted(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let v: &[u8] = b"307 isi.edu \"Session parameter 'foo' not understood\", 301 isi.edu \"Incompatible network address type 'E.164'\"";
        let all: Vec<_> = Warning::list(v, v).map(Result::unwrap).collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].code, 307);
        assert_eq!(all[0].agent, "isi.edu");
        assert_eq!(all[1].text, "Incompatible network address type 'E.164'");
        let v: &[u8] = b"1812 overture \"In Progress\"";
        assert!(Warning::list(v, v).next().unwrap().is_err());
    }
}
